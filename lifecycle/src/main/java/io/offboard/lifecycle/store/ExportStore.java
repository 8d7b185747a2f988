package io.offboard.lifecycle.store;

import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.export.ExportStatus;
import io.offboard.lifecycle.export.FailureCause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Stores export jobs. A tenant has at most one running export: starting one writes a claim
 * ({@code export#<tenant>}) in the same transaction, finishing one releases it. The latest finished export of
 * a tenant is remembered ({@code latest-export#<tenant>}) so the next one can delete its archive.
 */
public class ExportStore {

    static final String KEY = "export_id";
    private static final String CLAIM_KEY = EvictionStore.CLAIM_KEY;

    private final DynamoDbClient dynamo;
    private final BotTables tables;

    /** Thrown when the tenant already has a running export; carries that export's id. */
    public static class ExportRunningException extends RuntimeException {
        private final String runningExportId;

        public ExportRunningException(String tenant, String runningExportId) {
            super("tenant " + tenant + " already has a running export " + runningExportId);
            this.runningExportId = runningExportId;
        }

        public String runningExportId() {
            return runningExportId;
        }
    }

    /** Thrown when the eviction no longer holds exportable data (the purge has begun, or it ended). */
    public static class NotExportableException extends RuntimeException {
        public NotExportableException(EvictionId eviction) {
            super("eviction " + eviction + " is past its export window: its data is being or has been deleted");
        }
    }

    /** Tries of {@link #modify} before a concurrent change is passed on. */
    static final int ATTEMPTS = 3;

    public ExportStore(DynamoDbClient dynamo, BotTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    public Optional<ExportJob> find(String exportId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.exports())
                .key(Map.of(KEY, AttributeValue.fromS(exportId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** The running export of a tenant, if any. */
    public Optional<String> running(String tenant) {
        return claim("export#" + tenant);
    }

    /** The tenant's latest finished export, if any. */
    public Optional<String> latest(String tenant) {
        return claim("latest-export#" + tenant);
    }

    /**
     * Stores a new export and claims its tenant, in one transaction that also checks the eviction still holds
     * exportable data (notice or cutover): the purge moves the eviction on in a conditional write too, so an
     * export can never be claimed once the purge has begun. Fails with {@link ExportRunningException} if an export
     * of the tenant runs, {@link NotExportableException} if the eviction is past its export window.
     */
    public ExportJob start(ExportJob job) {
        ExportJob stored = job.atRevision(1);
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                TransactWriteItem.builder().put(p -> p.tableName(tables.exports()).item(toItem(stored))
                        .conditionExpression("attribute_not_exists(" + KEY + ")")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(tables.tenantClaims())
                        .item(Map.of(CLAIM_KEY, AttributeValue.fromS("export#" + job.tenant()),
                                KEY, AttributeValue.fromS(job.exportId())))
                        .conditionExpression("attribute_not_exists(" + CLAIM_KEY + ")")).build()));
        job.eviction().ifPresent(eviction -> writes.add(TransactWriteItem.builder().conditionCheck(c -> c
                .tableName(tables.evictions())
                .key(Map.of(EvictionStore.KEY, AttributeValue.fromS(eviction.toString())))
                .conditionExpression("#state IN (:notice, :cutover)")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(
                        ":notice", AttributeValue.fromS(EvictionState.NOTICE.name()),
                        ":cutover", AttributeValue.fromS(EvictionState.CUTOVER.name())))).build()));
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() > 2 && "ConditionalCheckFailed".equals(reasons.get(2).code())) {
                throw new NotExportableException(job.eviction().orElseThrow());
            }
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
                throw new ExportRunningException(job.tenant(), running(job.tenant()).orElse("(finished meanwhile)"));
            }
            throw e;
        }
        return stored;
    }

    /** Replaces {@code previous} by {@code next} if nobody changed it since it was read. */
    public ExportJob update(ExportJob previous, ExportJob next) {
        ExportJob stored = next.atRevision(previous.revision() + 1);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(tables.exports()).item(toItem(stored))
                .conditionExpression("revision = :expected")
                .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(previous.revision())))))
                .build());
        if (previous.status().running() && !stored.status().running()) {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(tables.tenantClaims())
                    .key(Map.of(CLAIM_KEY, AttributeValue.fromS("export#" + stored.tenant())))
                    .conditionExpression(KEY + " = :id")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(stored.exportId())))).build());
            if (stored.status() == ExportStatus.EXPORTED) {
                writes.add(TransactWriteItem.builder().put(p -> p.tableName(tables.tenantClaims())
                        .item(Map.of(CLAIM_KEY, AttributeValue.fromS("latest-export#" + stored.tenant()),
                                KEY, AttributeValue.fromS(stored.exportId())))).build());
            }
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            throw new ConcurrentChangeException("export " + stored.exportId() + " changed since it was read");
        }
        return stored;
    }

    /**
     * Applies {@code change} to the export, starting from {@code known}; if someone else wrote it in between (its
     * worker's progress, the purge's cancellation), re-reads it and applies the change again, at most
     * {@value #ATTEMPTS} times. {@code change} returns empty when there is nothing left to do.
     */
    public ExportJob modify(ExportJob known, Function<ExportJob, Optional<ExportJob>> change) {
        return Revisions.modify(known, change, this::update, () -> find(known.exportId()), ATTEMPTS);
    }

    /** Exports still marked running (after a crash, a restart or a sweep resumes them). */
    public List<ExportJob> runningJobs() {
        List<ExportJob> jobs = new ArrayList<>();
        dynamo.scanPaginator(b -> b.tableName(tables.tenantClaims())
                        .filterExpression("begins_with(" + CLAIM_KEY + ", :p)")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("export#"))))
                .items().forEach(item -> find(item.get(KEY).s()).ifPresent(jobs::add));
        return jobs;
    }

    /** Finished exports whose archive is past its expiry and not yet deleted. */
    public List<ExportJob> expired(Instant now) {
        List<ExportJob> jobs = new ArrayList<>();
        dynamo.scanPaginator(b -> b.tableName(tables.exports())
                        .filterExpression("attribute_exists(archive_key) AND expires_epoch <= :now")
                        .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                        .consistentRead(true))
                .items().forEach(item -> jobs.add(fromItem(item)));
        return jobs;
    }

    private Optional<String> claim(String key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.tenantClaims())
                .key(Map.of(CLAIM_KEY, AttributeValue.fromS(key))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item.get(KEY).s());
    }

    static Map<String, AttributeValue> toItem(ExportJob j) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, AttributeValue.fromS(j.exportId()));
        item.put("tenant", AttributeValue.fromS(j.tenant()));
        j.eviction().ifPresent(e -> item.put("eviction_id", AttributeValue.fromS(e.toString())));
        item.put("status", AttributeValue.fromS(j.status().name()));
        item.put("format", AttributeValue.fromS(j.format()));
        item.put("compression", AttributeValue.fromS(j.compression()));
        item.put("requested_by", AttributeValue.fromS(j.requestedBy()));
        item.put("requested_at", AttributeValue.fromS(j.requestedAt().toString()));
        item.put("as_of", AttributeValue.fromS(j.asOf().toString()));
        item.put("snapshot", AttributeValue.fromBool(j.snapshot()));
        j.replyCommentId().ifPresent(id -> item.put("reply_comment_id", AttributeValue.fromN(Long.toString(id))));
        j.commandCommentId().ifPresent(id -> item.put("command_comment_id", AttributeValue.fromN(Long.toString(id))));
        j.heartbeatAt().ifPresent(v -> item.put("heartbeat_at", AttributeValue.fromS(v.toString())));
        item.put("percent", AttributeValue.fromN(Integer.toString(j.percent())));
        item.put("current_service", AttributeValue.fromS(j.currentService()));
        j.archiveName().ifPresent(v -> item.put("archive_name", AttributeValue.fromS(v)));
        j.archiveKey().ifPresent(v -> item.put("archive_key", AttributeValue.fromS(v)));
        j.sha256().ifPresent(v -> item.put("sha256", AttributeValue.fromS(v)));
        j.bytes().ifPresent(v -> item.put("bytes", AttributeValue.fromN(Long.toString(v))));
        item.put("counts", AttributeValue.fromL(j.counts().stream().map(AttributeValue::fromS).toList()));
        j.completedAt().ifPresent(v -> item.put("completed_at", AttributeValue.fromS(v.toString())));
        j.expiresAt().ifPresent(v -> {
            item.put("expires_at", AttributeValue.fromS(v.toString()));
            // numeric twin for range conditions: ISO strings of varying precision do not sort as instants
            item.put("expires_epoch", AttributeValue.fromN(Long.toString(v.getEpochSecond())));
        });
        j.failure().ifPresent(v -> item.put("failure", AttributeValue.fromS(v)));
        j.failureCause().ifPresent(v -> item.put("failure_cause", AttributeValue.fromS(v.name())));
        item.put("revision", AttributeValue.fromN(Long.toString(j.revision())));
        return item;
    }

    static ExportJob fromItem(Map<String, AttributeValue> item) {
        return new ExportJob(
                item.get(KEY).s(),
                item.get("tenant").s(),
                Optional.ofNullable(item.get("eviction_id")).map(v -> EvictionId.parse(v.s())),
                ExportStatus.valueOf(item.get("status").s()),
                item.get("format").s(),
                item.get("compression").s(),
                item.get("requested_by").s(),
                Instant.parse(item.get("requested_at").s()),
                Instant.parse(item.get("as_of").s()),
                item.get("snapshot").bool(),
                Optional.ofNullable(item.get("reply_comment_id")).map(v -> Long.parseLong(v.n())),
                Optional.ofNullable(item.get("command_comment_id")).map(v -> Long.parseLong(v.n())),
                Optional.ofNullable(item.get("heartbeat_at")).map(v -> Instant.parse(v.s())),
                Integer.parseInt(item.get("percent").n()),
                item.get("current_service").s(),
                Optional.ofNullable(item.get("archive_name")).map(AttributeValue::s),
                Optional.ofNullable(item.get("archive_key")).map(AttributeValue::s),
                Optional.ofNullable(item.get("sha256")).map(AttributeValue::s),
                Optional.ofNullable(item.get("bytes")).map(v -> Long.parseLong(v.n())),
                item.containsKey("counts") ? item.get("counts").l().stream().map(AttributeValue::s).toList() : List.of(),
                Optional.ofNullable(item.get("completed_at")).map(v -> Instant.parse(v.s())),
                Optional.ofNullable(item.get("expires_at")).map(v -> Instant.parse(v.s())),
                Optional.ofNullable(item.get("failure")).map(AttributeValue::s),
                Optional.ofNullable(item.get("failure_cause")).map(v -> FailureCause.valueOf(v.s())),
                Long.parseLong(item.get("revision").n()));
    }
}
