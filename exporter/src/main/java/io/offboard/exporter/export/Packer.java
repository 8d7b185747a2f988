package io.offboard.exporter.export;

import io.offboard.exporter.archive.JsonText;
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
import io.offboard.exporter.storage.LineSorter;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Phase two of an export: lays the spooled rows (as JSONL, or converted to Parquet) and the tenant's S3
 * objects out as a BagIt bag with {@code data/README.md} and {@code data/manifest.json}, and streams it
 * through the archive writer. Everything is added in path order and depends only on the spool, so the
 * same spool always gives the same archive bytes.
 *
 * <p>A bucket's objects are placed by {@link BucketLayout} and written one after the other in path order, then its
 * key map ({@code <service>/s3/<bucket>~keys.jsonl}, which sorts after the bucket's directory) with each object's
 * key, path, size and SHA-256 in key order. Nothing per object is kept in memory: placements and key map lines go
 * through sorts on disk in the work directory.
 *
 * <p>Failures name their source: reading an object, or converting a table's rows to Parquet, fails with a
 * {@link SourceFailedException}; anything else comes from writing the archive.
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

    /** What goes into the bag, in path order: one file, or a bucket's objects. */
    private interface Item {
        /** Sorts the items: a file's path; a bucket's directory with its trailing slash. */
        String order();

        long bytes();
    }

    /**
     * One payload file: where it goes under data/, its size, and how to read it. A key map's size is known only once
     * its bucket has been written (it sorts after the bucket's objects): then {@code sizeOf} names the file.
     */
    private record Entry(String path, long size, Opener opener, String service, Path sizeOf) implements Item {
        Entry(String path, long size, Opener opener, String service) {
            this(path, size, opener, service, null);
        }

        @Override
        public String order() {
            return path;
        }

        @Override
        public long bytes() {
            return size;
        }

        long sizeNow() throws IOException {
            return sizeOf == null ? size : Files.size(sizeOf);
        }
    }

    @FunctionalInterface
    private interface Opener {
        InputStream open() throws IOException;
    }

    /** A bucket's objects, under {@code dir}; its key map is written to {@code keyMapFile} as they are. */
    private record Bucket(String service, Registry.Bucket bucket, String dir, Path listing, long size,
                          Path keyMapFile) implements Item {
        @Override
        public String order() {
            return dir;
        }

        @Override
        public long bytes() {
            return size;
        }
    }

    ExportOutcome pack(ExportRequest request, SpoolState state, Path workDir, OutputStream sink,
                       ExportProgress progress) throws IOException {
        List<Item> items = new ArrayList<>();
        List<ExportManifest.ServiceSummary> services = new ArrayList<>();
        long items0 = 0;
        long objects = 0;
        long payloadBytes = 0;
        long payloadFiles = 0;
        Path keyMaps = Files.createDirectories(workDir.resolve("keys"));
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
                    Path file;
                    if (request.format() == ExportFormat.JSONL) {
                        file = workDir.resolve(part.file);
                    } else {
                        try {
                            file = toParquet(workDir, part, table);
                        } catch (RuntimeException e) {
                            // a value the Parquet writer cannot take is a shape of the table's data
                            throw new SourceFailedException(service.name(), SourceFailedException.Kind.TABLE,
                                    table.name(), e);
                        }
                    }
                    long size = Files.size(file);
                    items.add(new Entry(name, size, () -> Files.newInputStream(file), service.name()));
                    files.add(name);
                    rows += part.rows;
                    bytes += size;
                }
                sources.add(new ExportManifest.SourceSummary(ExportManifest.SourceSummary.DYNAMODB, table.name(),
                        table.findBy().name().toLowerCase(), null, rows, bytes, files));
                items0 += rows;
                readUnits += st.readUnits;
                payloadBytes += bytes;
                payloadFiles += files.size();
            }
            for (Registry.Bucket bucket : ExportPlan.buckets(service)) {
                SpoolState.BucketState st = state.buckets.get(Spooler.bucketKey(service, bucket));
                String dir = service.name() + "/s3/" + bucket.name() + "/";
                String keyMap = keyMapPath(service.name(), bucket.name());
                Path keyMapFile = keyMaps.resolve(service.name() + "_" + bucket.name() + ".keys.jsonl");
                Files.deleteIfExists(keyMapFile);
                Bucket block = new Bucket(service.name(), bucket, dir, workDir.resolve(st.listing), st.bytes,
                        keyMapFile);
                items.add(block);
                items.add(new Entry(keyMap, 0, () -> Files.newInputStream(keyMapFile), service.name(), keyMapFile));
                sources.add(new ExportManifest.SourceSummary(ExportManifest.SourceSummary.S3, bucket.name(), "prefix",
                        bucket.prefixFor(request.orgcode()), st.objects, st.bytes, List.of(), keyMap));
                objects += st.objects;
                getRequests += st.objects;
                s3Bytes += st.bytes;
                payloadBytes += st.bytes;
                payloadFiles += st.objects;
            }
            services.add(new ExportManifest.ServiceSummary(service.name(), sources,
                    new ExportManifest.CostSummary(readUnits, getRequests, s3Bytes)));
        }
        ExportManifest.CostSummary cost = services.stream().map(ExportManifest.ServiceSummary::costSummary)
                .reduce(ExportManifest.CostSummary.ZERO, ExportManifest.CostSummary::plus);
        ExportManifest manifest = new ExportManifest(request.orgcode(), request.format().id(), request.asOf(),
                request.snapshot(), registry.version(), services,
                new ExportManifest.Totals(items0, objects, payloadBytes, payloadFiles), cost);

        byte[] manifestJson = manifest.toJson();
        byte[] readme = BagReadme.render(request, manifest, registry).getBytes(StandardCharsets.UTF_8);
        items.add(new Entry("manifest.json", manifestJson.length, () -> new ByteArrayInputStream(manifestJson), ""));
        items.add(new Entry("README.md", readme.length, () -> new ByteArrayInputStream(readme), ""));
        // a bucket's directory sorts as a block: no other item lies inside it
        items.sort((a, b) -> BagArchiveWriter.PATH_ORDER.compare(a.order(), b.order()));

        Progress packed = new Progress(progress, Math.max(1, items.stream().mapToLong(Item::bytes).sum()));
        ArchiveResult result;
        try (BagArchiveWriter writer = new BagArchiveWriter(sink, request.compression(), request.bagName(),
                request.asOf(), settings.threads(), workDir.resolve("sort"))) {
            for (Item item : items) {
                if (item instanceof Bucket bucket) {
                    writeBucket(request, bucket, workDir, writer, packed);
                    continue;
                }
                Entry entry = (Entry) item;
                packed.update(entry.service().isEmpty() ? "packing" : entry.service());
                long size = entry.sizeNow();
                try (InputStream in = entry.opener().open()) {
                    writer.addPayload(entry.path(), size, in);
                }
                packed.add(entry.size());
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

    /** {@code <service>/s3/<bucket>~keys.jsonl}: beside the bucket's directory, after it in path order. */
    static String keyMapPath(String service, String bucket) {
        return service + "/s3/" + bucket + "~keys.jsonl";
    }

    /** Objects up to this size are read ahead, on {@link ExportSettings#objectReads()} threads. */
    static final long READ_AHEAD_MAX_OBJECT = 1 << 20;
    /** Bytes of objects read ahead at most (plus one object). */
    static final long READ_AHEAD_BYTES = 32L << 20;
    /** Objects ahead of the one being written at most. */
    static final int READ_AHEAD_OBJECTS = 256;

    /** An object waiting its turn: its content when it is read ahead, else null (it is streamed when its turn comes). */
    private record Pending(BucketLayout.Placed object, Future<byte[]> content) {
    }

    /**
     * Writes a bucket's objects in path order, reading them from S3 as it goes (small ones a little ahead, on several
     * threads: the archive does not change, only the wait for each GET), and its key map in key order into the work
     * directory. An object that cannot be read, or whose size is not the listed one, fails the bucket.
     */
    private void writeBucket(ExportRequest request, Bucket bucket, Path workDir, BagArchiveWriter writer,
                             Progress packed) throws IOException {
        String service = bucket.service();
        String name = bucket.bucket().name();
        BucketSource source = new BucketSource(s3, bucket.bucket(), request.orgcode());
        Path tmp = workDir.resolve("sort");
        ExecutorService readers = settings.objectReads() <= 1 ? null
                : Executors.newFixedThreadPool(settings.objectReads(), r -> {
                    Thread t = new Thread(r, "object-read-" + name);
                    t.setDaemon(true);
                    return t;
                });
        Deque<Pending> ahead = new ArrayDeque<>();
        try (BufferedReader listing = Files.newBufferedReader(bucket.listing(), StandardCharsets.UTF_8);
             BucketLayout layout = BucketLayout.plan(listed(listing), tmp, LineSorter.DEFAULT_BUDGET);
             LineSorter keyMap = new LineSorter(tmp, "keys", String::compareTo)) {
            Iterator<BucketLayout.Placed> placed = layout.placed();
            long aheadBytes = 0;
            while (true) {
                while (placed.hasNext() && ahead.size() < READ_AHEAD_OBJECTS && aheadBytes < READ_AHEAD_BYTES) {
                    BucketLayout.Placed next = placed.next();
                    Future<byte[]> content = null;
                    if (readers != null && next.size() <= READ_AHEAD_MAX_OBJECT) {
                        // one byte more than listed, so that a longer object is noticed as such
                        content = readers.submit(() -> {
                            try (InputStream in = source.open(next.key(), next.versionId())) {
                                return in.readNBytes((int) next.size() + 1);
                            }
                        });
                        aheadBytes += next.size();
                    }
                    ahead.add(new Pending(next, content));
                }
                Pending pending = ahead.poll();
                if (pending == null) {
                    break;
                }
                BucketLayout.Placed object = pending.object();
                packed.update(service);
                String path = bucket.dir() + object.path();
                InputStream content;
                if (pending.content() != null) {
                    content = new ByteArrayInputStream(awaitContent(pending.content(), service, name));
                    aheadBytes -= object.size();
                } else {
                    try {
                        content = new SourceStream(source.open(object.key(), object.versionId()), service, name);
                    } catch (RuntimeException e) {
                        throw new SourceFailedException(service, SourceFailedException.Kind.BUCKET, name, e);
                    }
                }
                String sha;
                try (InputStream in = content) {
                    sha = writer.addPayload(path, object.size(), in);
                } catch (BagArchiveWriter.ContentLengthException e) {
                    // the object is not the size it was listed with: it changed while the export ran
                    throw new SourceFailedException(service, SourceFailedException.Kind.BUCKET, name, e);
                }
                packed.add(object.size());
                keyMap.add(BucketLayout.index(object.index()) + "\t{\"key\":" + JsonText.quote(object.key())
                        + ",\"path\":" + JsonText.quote(path) + ",\"sha256\":\"" + sha + "\",\"size\":" + object.size()
                        + ",\"version_id\":" + JsonText.quote(object.versionId()) + "}");
            }
            try (BufferedWriter out = Files.newBufferedWriter(bucket.keyMapFile(), StandardCharsets.UTF_8)) {
                Iterator<String> lines = keyMap.sorted();
                while (lines.hasNext()) {
                    String line = lines.next();
                    out.write(line, line.indexOf('\t') + 1, line.length() - line.indexOf('\t') - 1);
                    out.write('\n');
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            if (readers != null) {
                ahead.forEach(p -> {
                    if (p.content() != null) {
                        p.content().cancel(true);
                    }
                });
                readers.shutdownNow();
            }
        }
    }

    /** The content read ahead; what went wrong reading it is the bucket's failure. */
    private static byte[] awaitContent(Future<byte[]> content, String service, String bucket) throws IOException {
        try {
            return content.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading an object of " + bucket);
        } catch (ExecutionException e) {
            throw new SourceFailedException(service, SourceFailedException.Kind.BUCKET, bucket, e.getCause());
        }
    }

    /** The spooled listing, one JSON line per object in key order. */
    private static Iterator<BucketLayout.Listed> listed(BufferedReader listing) {
        ObjectMapper json = CanonicalJson.mapper();
        return new Iterator<>() {
            private String line = read();

            private String read() {
                try {
                    String next = listing.readLine();
                    while (next != null && next.isEmpty()) {
                        next = listing.readLine();
                    }
                    return next;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean hasNext() {
                return line != null;
            }

            @Override
            public BucketLayout.Listed next() {
                if (line == null) {
                    throw new NoSuchElementException();
                }
                try {
                    JsonNode object = json.readTree(line);
                    line = read();
                    return new BucketLayout.Listed(object.get("key").asText(),
                            object.hasNonNull("version_id") ? object.get("version_id").asText() : null,
                            object.get("size").asLong());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** An object's content: what goes wrong reading it is the bucket's failure, not the archive's. */
    private static final class SourceStream extends FilterInputStream {
        private final String service;
        private final String bucket;

        SourceStream(InputStream in, String service, String bucket) {
            super(in);
            this.service = service;
            this.bucket = bucket;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                throw new SourceFailedException(service, SourceFailedException.Kind.BUCKET, bucket, e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw new SourceFailedException(service, SourceFailedException.Kind.BUCKET, bucket, e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (IOException | RuntimeException ignored) {
                // the content was read (or the failure is already on its way)
            }
        }
    }

    /** Packing is the last 10 % of the progress bar, by bytes. */
    private static final class Progress {
        private final ExportProgress progress;
        private final long total;
        private long done;

        Progress(ExportProgress progress, long total) {
            this.progress = progress;
            this.total = total;
        }

        void update(String service) {
            progress.update(90 + (int) (Math.min(done, total) * 10 / total), service.isEmpty() ? "packing" : service);
        }

        void add(long bytes) {
            done += bytes;
        }
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
}
