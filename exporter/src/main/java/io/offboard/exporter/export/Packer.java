package io.offboard.exporter.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offboard.exporter.archive.ArchiveResult;
import io.offboard.exporter.archive.BagArchiveWriter;
import io.offboard.exporter.format.CanonicalJson;
import io.offboard.exporter.format.ExportRow;
import io.offboard.exporter.format.ParquetWriter;
import io.offboard.exporter.format.RowWriter;
import io.offboard.exporter.manifest.ExportManifest;
import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.source.BucketSource;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Phase two of an export: lays the spooled rows (as JSONL, or converted to Parquet) and the tenant's S3
 * objects out as a BagIt bag with {@code data/README.md} and {@code data/manifest.json}, and streams it
 * through the archive writer. Everything is added in path order and depends only on the spool, so the
 * same spool always gives the same archive bytes.
 */
final class Packer {

    private final Registry registry;
    private final S3Client s3;
    private final ExportSettings settings;

    Packer(Registry registry, S3Client s3, ExportSettings settings) {
        this.registry = registry;
        this.s3 = s3;
        this.settings = settings;
    }

    /** One payload file: where it goes under data/, its size, and how to read it. */
    private record Entry(String path, long size, Opener opener, String service) {
    }

    @FunctionalInterface
    private interface Opener {
        InputStream open() throws IOException;
    }

    ExportOutcome pack(ExportRequest request, SpoolState state, Path workDir, OutputStream sink,
                       ExportProgress progress) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<ExportManifest.ServiceSummary> services = new ArrayList<>();
        long items = 0;
        long objects = 0;
        for (Registry.Service service : ExportPlan.services(registry)) {
            List<ExportManifest.SourceSummary> sources = new ArrayList<>();
            double readUnits = 0;
            long getRequests = 0;
            long s3Bytes = 0;
            for (Registry.Table table : ExportPlan.tables(service)) {
                SpoolState.TableState st = state.tables.get(Spooler.tableKey(service, table));
                List<String> files = new ArrayList<>();
                long rows = 0;
                long bytes = 0;
                for (int i = 0; i < st.parts.size(); i++) {
                    SpoolState.Part part = st.parts.get(i);
                    String name = service.name() + "/" + table.name()
                            + (st.parts.size() == 1 ? "" : String.format(".part-%05d", i + 1))
                            + request.format().extension();
                    Path file = request.format() == ExportFormat.JSONL
                            ? workDir.resolve(part.file)
                            : toParquet(workDir, part, table);
                    long size = Files.size(file);
                    entries.add(new Entry(name, size, () -> Files.newInputStream(file), service.name()));
                    files.add(name);
                    rows += part.rows;
                    bytes += size;
                }
                sources.add(new ExportManifest.SourceSummary(ExportManifest.SourceSummary.DYNAMODB, table.name(),
                        table.findBy().name().toLowerCase(), null, rows, bytes, files));
                items += rows;
                readUnits += st.readUnits;
            }
            for (Registry.Bucket bucket : ExportPlan.buckets(service)) {
                SpoolState.BucketState st = state.buckets.get(Spooler.bucketKey(service, bucket));
                BucketSource source = new BucketSource(s3, bucket, request.orgcode());
                List<String> files = new ArrayList<>();
                for (JsonNode object : listing(workDir.resolve(st.listing))) {
                    String key = object.get("key").asText();
                    String versionId = object.hasNonNull("version_id") ? object.get("version_id").asText() : null;
                    String name = service.name() + "/s3/" + bucket.name() + "/" + ObjectPaths.pathFor(key);
                    entries.add(new Entry(name, object.get("size").asLong(), () -> source.open(key, versionId),
                            service.name()));
                    files.add(name);
                }
                sources.add(new ExportManifest.SourceSummary(ExportManifest.SourceSummary.S3, bucket.name(), "prefix",
                        bucket.prefixFor(request.orgcode()), st.objects, st.bytes, files));
                objects += st.objects;
                getRequests += st.objects;
                s3Bytes += st.bytes;
            }
            services.add(new ExportManifest.ServiceSummary(service.name(), sources,
                    new ExportManifest.CostSummary(readUnits, getRequests, s3Bytes)));
        }
        long payloadBytes = entries.stream().mapToLong(Entry::size).sum();
        ExportManifest.CostSummary cost = services.stream().map(ExportManifest.ServiceSummary::costSummary)
                .reduce(ExportManifest.CostSummary.ZERO, ExportManifest.CostSummary::plus);
        ExportManifest manifest = new ExportManifest(request.orgcode(), request.format().id(), request.asOf(),
                request.snapshot(), registry.version(), services,
                new ExportManifest.Totals(items, objects, payloadBytes, entries.size()), cost);

        byte[] manifestJson = manifest.toJson();
        byte[] readme = BagReadme.render(request, manifest, registry).getBytes(StandardCharsets.UTF_8);
        entries.add(new Entry("manifest.json", manifestJson.length, () -> new ByteArrayInputStream(manifestJson), ""));
        entries.add(new Entry("README.md", readme.length, () -> new ByteArrayInputStream(readme), ""));
        entries.sort((a, b) -> BagArchiveWriter.PATH_ORDER.compare(a.path(), b.path()));

        long total = Math.max(1, entries.stream().mapToLong(Entry::size).sum());
        long packed = 0;
        ArchiveResult result;
        try (BagArchiveWriter writer = new BagArchiveWriter(sink, request.compression(), request.bagName(),
                request.asOf(), settings.threads())) {
            for (Entry entry : entries) {
                progress.update(90 + (int) (packed * 10 / total), entry.service().isEmpty() ? "packing" : entry.service());
                try (InputStream in = entry.opener().open()) {
                    writer.addPayload(entry.path(), entry.size(), in);
                } catch (SdkException e) {
                    throw new SourceFailedException(entry.path(), e);
                }
                packed += entry.size();
            }
            Map<String, String> bagInfo = new LinkedHashMap<>();
            bagInfo.put("Source-Organization", "offboard");
            bagInfo.put("External-Identifier", request.bagName());
            bagInfo.put("Orgcode", request.orgcode());
            bagInfo.put(request.snapshot() ? "Snapshot-Time" : "Exported-At", ExportRow.timestamp(request.asOf()));
            bagInfo.put("Registry-Version", registry.version());
            bagInfo.put("Export-Format", request.format().id());
            result = writer.finish(bagInfo);
        }
        progress.update(100, "done");
        return new ExportOutcome(request.archiveName(), result, manifest);
    }

    /** Converts one spooled JSONL part to Parquet beside it (deterministic: same rows, same bytes). */
    private static Path toParquet(Path workDir, SpoolState.Part part, Registry.Table table) throws IOException {
        Path target = workDir.resolve(part.file.replace(".jsonl", ".parquet"));
        ObjectMapper json = CanonicalJson.mapper();
        try (BufferedReader rows = Files.newBufferedReader(workDir.resolve(part.file), StandardCharsets.UTF_8);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(target));
             RowWriter writer = ParquetWriter.forTable(out, table)) {
            for (String line = rows.readLine(); line != null; line = rows.readLine()) {
                if (!line.isEmpty()) {
                    writer.write((com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line));
                }
            }
        }
        return target;
    }

    private static List<JsonNode> listing(Path file) throws IOException {
        ObjectMapper json = CanonicalJson.mapper();
        List<JsonNode> objects = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                objects.add(json.readTree(line));
            }
        }
        return objects;
    }
}
