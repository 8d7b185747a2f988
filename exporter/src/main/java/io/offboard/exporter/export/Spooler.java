package io.offboard.exporter.export;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.offboard.exporter.format.CanonicalJson;
import io.offboard.exporter.format.ExportRow;
import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.source.BucketSource;
import io.offboard.exporter.source.Checkpoint;
import io.offboard.exporter.source.ItemJson;
import io.offboard.exporter.source.TableSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Phase one of an export: reads every registry source for the tenant into local spool files (JSONL rows,
 * whatever the final format), checkpointing after every page. Resuming truncates each spool file back to
 * its checkpointed length and reads on from the checkpointed cursor, so a resumed spool is byte-for-byte
 * the spool of an uninterrupted run. Memory holds one page at a time.
 */
final class Spooler {

    private final Registry registry;
    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final ExportSettings settings;

    Spooler(Registry registry, DynamoDbClient dynamo, S3Client s3, ExportSettings settings) {
        this.registry = registry;
        this.dynamo = dynamo;
        this.s3 = s3;
        this.settings = settings;
    }

    static String tableKey(Registry.Service service, Registry.Table table) {
        return service.name() + "/" + table.name();
    }

    static String bucketKey(Registry.Service service, Registry.Bucket bucket) {
        return service.name() + "/s3/" + bucket.name();
    }

    SpoolState spool(ExportRequest request, Path workDir, ExportProgress progress) throws IOException {
        Files.createDirectories(workDir);
        SpoolState state = SpoolState.load(workDir, fingerprint(request));
        List<Registry.Service> services = ExportPlan.services(registry);
        int total = ExportPlan.sourceCount(registry);
        int done = 0;
        for (Registry.Service service : services) {
            for (Registry.Table table : ExportPlan.tables(service)) {
                progress.update(percent(done, total), service.name());
                try {
                    spoolTable(request, service, table, state, workDir, progress);
                } catch (SdkException e) {
                    throw new SourceFailedException(tableKey(service, table), e);
                }
                done++;
            }
            for (Registry.Bucket bucket : ExportPlan.buckets(service)) {
                progress.update(percent(done, total), service.name());
                try {
                    spoolBucket(request, service, bucket, state, workDir);
                } catch (SdkException e) {
                    throw new SourceFailedException(bucketKey(service, bucket), e);
                }
                done++;
            }
        }
        progress.update(percent(done, total), "packing");
        return state;
    }

    /** Reading is 90 % of the progress bar; packing the rest. */
    private static int percent(int done, int total) {
        return total == 0 ? 90 : done * 90 / total;
    }

    private void spoolTable(ExportRequest request, Registry.Service service, Registry.Table table, SpoolState state,
                            Path workDir, ExportProgress progress) throws IOException {
        String key = tableKey(service, table);
        SpoolState.TableState st = state.tables.computeIfAbsent(key, k -> new SpoolState.TableState());
        if (st.done) {
            return;
        }
        if (st.parts.isEmpty()) {
            st.parts.add(new SpoolState.Part(partFile(key, 1)));
        }
        discardUncheckpointed(workDir, key, st);
        TableSource source = new TableSource(dynamo, table, request.orgcode(), TableSource.Options.defaults()
                .withTotalSegments(settings.scanSegments())
                .withPageLimit(settings.pageSize() == null ? 0 : settings.pageSize()));
        Checkpoint cursor = st.cursor == null ? Checkpoint.START : Checkpoint.parse(st.cursor);
        SpoolState.Part current = st.parts.get(st.parts.size() - 1);
        OutputStream out = append(workDir.resolve(current.file));
        try {
            while (!cursor.isDone()) {
                TableSource.Page page = source.readPage(cursor);
                for (Map<String, AttributeValue> item : page.items()) {
                    ObjectNode json = ItemJson.toJson(item);
                    ObjectNode row = ExportRow.of(json, request.asOf(), ExportRow.revisionOf(json, table.revision()));
                    byte[] line = line(row);
                    if (current.rows > 0 && current.bytes + line.length > settings.partBytes()) {
                        out.close();
                        current = new SpoolState.Part(partFile(key, st.parts.size() + 1));
                        st.parts.add(current);
                        out = append(workDir.resolve(current.file));
                    }
                    out.write(line);
                    current.rows++;
                    current.bytes += line.length;
                }
                // the source already sized the page's items; a strongly consistent read costs one unit per
                // started 4 KB (estimated per page, which is deterministic because pages have a fixed limit)
                st.itemBytes += page.itemBytes();
                st.readUnits += (page.itemBytes() + 4095) / 4096;
                out.flush();
                progress.pageSpooled(key);
                cursor = page.next();
                st.cursor = cursor.token();
                st.done = cursor.isDone();
                state.save(workDir);
            }
        } finally {
            out.close();
        }
    }

    private void spoolBucket(ExportRequest request, Registry.Service service, Registry.Bucket bucket,
                             SpoolState state, Path workDir) throws IOException {
        String key = bucketKey(service, bucket);
        SpoolState.BucketState st = state.buckets.computeIfAbsent(key, k -> new SpoolState.BucketState());
        if (st.done) {
            return;
        }
        st.listing = key.replace('/', '_') + ".objects.jsonl";
        st.objects = 0;
        st.bytes = 0;
        BucketSource source = new BucketSource(s3, bucket, request.orgcode());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(workDir.resolve(st.listing)));
             Stream<BucketSource.ObjectEntry> objects = source.listLatest()) {
            Iterator<BucketSource.ObjectEntry> it = objects.iterator();
            while (it.hasNext()) {
                BucketSource.ObjectEntry object = it.next();
                ObjectNode line = JsonNodeFactory.instance.objectNode()
                        .put("key", object.key())
                        .put("version_id", object.versionId())
                        .put("size", object.size());
                out.write(line(line));
                st.objects++;
                st.bytes += object.size();
            }
        }
        st.done = true;
        state.save(workDir);
    }

    /** Cuts the current part back to its checkpointed length and removes parts started after the checkpoint. */
    private static void discardUncheckpointed(Path workDir, String key, SpoolState.TableState st) throws IOException {
        SpoolState.Part current = st.parts.get(st.parts.size() - 1);
        Path file = workDir.resolve(current.file);
        if (Files.exists(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(current.bytes);
            }
        }
        for (int n = st.parts.size() + 1; Files.exists(workDir.resolve(partFile(key, n))); n++) {
            Files.delete(workDir.resolve(partFile(key, n)));
        }
    }

    static String partFile(String key, int part) {
        return key.replace('/', '_') + String.format(".%05d.jsonl", part);
    }

    private static OutputStream append(Path file) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), 1 << 16);
    }

    private static byte[] line(ObjectNode row) {
        byte[] json = CanonicalJson.bytes(row);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    /** The rows depend on the tenant, the as-of time and the registry, not on the final format or compression. */
    private String fingerprint(ExportRequest request) {
        return request.orgcode() + "@" + request.asOf() + "/registry " + registry.version()
                + "/parts " + settings.partBytes();
    }
}
