package io.offboard.bot.journey;

import io.offboard.exporter.purge.PurgeCheckpoints;
import io.offboard.exporter.purge.PurgeProgress;
import io.offboard.exporter.purge.PurgeReport;
import io.offboard.lifecycle.store.BotTables;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The purges table: each purge's checkpoint (rewritten after every batch, so any sweep on any host resumes it)
 * and, once verified, its report, kept permanently as the record behind the deletion receipt.
 */
@Singleton
public class DynamoPurgeCheckpoints implements PurgeCheckpoints {

    private static final String KEY = "purge_id";
    private static final String REPORT_PREFIX = "report#";

    private final DynamoDbClient dynamo;
    private final BotTables tables;

    public DynamoPurgeCheckpoints(DynamoDbClient dynamo, BotTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public Optional<PurgeProgress> load(String purgeId) {
        return read(purgeId, "progress").map(PurgeProgress::fromJson);
    }

    @Override
    public void save(PurgeProgress progress) {
        write(progress.purgeId(), "progress", progress.toJson());
    }

    /** Stores a verification report permanently; the id is what the receipt refers to. */
    public String saveReport(PurgeReport report) {
        String id = REPORT_PREFIX + report.purgeId() + "#" + report.verifiedAt();
        write(id, "report", report.toJson());
        return id;
    }

    public Optional<PurgeReport> report(String reportId) {
        return read(reportId, "report").map(PurgeReport::fromJson);
    }

    private void write(String id, String attribute, String json) {
        dynamo.putItem(b -> b.tableName(tables.purges()).item(Map.of(
                KEY, AttributeValue.fromS(id),
                attribute, AttributeValue.fromS(json))));
    }

    private Optional<String> read(String id, String attribute) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.purges())
                .key(Map.of(KEY, AttributeValue.fromS(id))).consistentRead(true)).item();
        return item == null || !item.containsKey(attribute) ? Optional.empty() : Optional.of(item.get(attribute).s());
    }
}
