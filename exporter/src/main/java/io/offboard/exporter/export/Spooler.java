package io.offboard.exporter.export;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.offboard.exporter.format.CanonicalJson;
import io.offboard.exporter.format.JsonEncoder;
import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.source.BucketSource;
import io.offboard.exporter.source.Checkpoint;
import io.offboard.exporter.source.ItemRowEncoder;
import io.offboard.exporter.source.TableSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Phase one of an export: reads every registry source for the tenant into local spool files (JSONL rows,
 * whatever the final format), checkpointing after every page. Resuming truncates each spool file back to
 * its checkpointed length and reads on from the checkpointed cursor, so a resumed spool is byte-for-byte
 * the spool of an uninterrupted run.
 *
 * <p>Up to {@link ExportSettings#sources()} sources are read at once, each on its own thread, and each table's
 * next pages are requested while the current one is converted and written ({@link ExportSettings#readAhead()}
 * pages per segment): a source's spool depends only on its own pages, so neither changes a byte. Memory holds at
 * most {@code readAhead + 1} pages per segment being read.
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

    /** One source to read: its checkpoint key, its service (for progress), what it is, and how to read it. */
    private record Source(String key, String service, SourceFailedException.Kind kind, String name,
                          SourceReader reader) {
    }

    /** The caller's progress callback threw: passed on as it was, never blamed on the source being read. */
    private static final class CallbackFailure extends RuntimeException {
        CallbackFailure(RuntimeException cause) {
            super(cause);
        }
    }

    @FunctionalInterface
    private interface SourceReader {
        void read(Run run) throws IOException;
    }

    /** What the sources of one spool share: the checkpoint (its lock guards it), progress, cancellation. */
    private static final class Run {
        final ExportRequest request;
        final Path workDir;
        final SpoolState state;
        final ExportProgress progress;
        final int total;
        final AtomicInteger done = new AtomicInteger();
        volatile boolean cancelled;

        Run(ExportRequest request, Path workDir, SpoolState state, ExportProgress progress, int total) {
            this.request = request;
            this.workDir = workDir;
            this.state = state;
            this.progress = progress;
            this.total = total;
        }

        /** Progress from any source thread, one call at a time (implementations need not be thread-safe). */
        void started(String service) {
            synchronized (progress) {
                try {
                    progress.update(percent(done.get(), total), service);
                } catch (RuntimeException e) {
                    throw new CallbackFailure(e);
                }
            }
        }

        void pageSpooled(String key) {
            synchronized (progress) {
                try {
                    progress.pageSpooled(key);
                } catch (RuntimeException e) {
                    throw new CallbackFailure(e);
                }
            }
        }
    }

    SpoolState spool(ExportRequest request, Path workDir, ExportProgress progress) throws IOException {
        Files.createDirectories(workDir);
        SpoolState state = SpoolState.load(workDir, fingerprint(request));
        List<Source> sources = new ArrayList<>();
        for (Registry.Service service : ExportPlan.services(registry)) {
            for (Registry.Table table : ExportPlan.tables(service)) {
                String key = tableKey(service, table);
                sources.add(new Source(key, service.name(), SourceFailedException.Kind.TABLE, table.name(),
                        run -> spoolTable(run, key, table)));
            }
            for (Registry.Bucket bucket : ExportPlan.buckets(service)) {
                String key = bucketKey(service, bucket);
                sources.add(new Source(key, service.name(), SourceFailedException.Kind.BUCKET, bucket.name(),
                        run -> spoolBucket(run, key, bucket)));
            }
        }
        Run run = new Run(request, workDir, state, progress, sources.size());
        int threads = Math.min(settings.sources(), sources.size());
        if (threads <= 1) {
            for (Source source : sources) {
                read(run, source);
            }
        } else {
            readConcurrently(run, sources, threads);
        }
        progress.update(percent(sources.size(), sources.size()), "packing");
        return state;
    }

    private static void read(Run run, Source source) throws IOException {
        if (run.cancelled) {
            return;
        }
        try {
            run.started(source.service());
            source.reader().read(run);
        } catch (CallbackFailure e) {
            throw (RuntimeException) e.getCause();
        } catch (RuntimeException e) {
            // the service's errors, a listing out of order, an item the encoder cannot take: the source's failure
            // (writing the spool files fails with an IOException, which is the export's own)
            throw new SourceFailedException(source.service(), source.kind(), source.name(), e);
        }
        run.done.incrementAndGet();
    }

    /**
     * Reads the sources on {@code threads} threads, in plan order. The first failure stops the others after their
     * current page (their checkpoints stay consistent) and is thrown as it was, once every thread has stopped, so
     * a resume in the same work directory never races a reader of the failed run.
     */
    private static void readConcurrently(Run run, List<Source> sources, int threads) throws IOException {
        AtomicInteger ids = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "spool-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<Void> completion = new ExecutorCompletionService<>(pool);
        try {
            for (Source source : sources) {
                completion.submit(() -> {
                    read(run, source);
                    return null;
                });
            }
            Throwable failure = null;
            boolean interrupted = false;
            for (int finished = 0; finished < sources.size(); ) {
                try {
                    completion.take().get();
                    finished++;
                } catch (ExecutionException e) {
                    finished++;
                    run.cancelled = true;
                    if (failure == null) {
                        failure = e.getCause();
                    }
                } catch (InterruptedException e) {
                    // keep waiting for the readers to stop; the flag is restored for the caller
                    interrupted = true;
                    run.cancelled = true;
                    if (failure == null) {
                        failure = new InterruptedIOException("interrupted while reading the sources");
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw new IOException("reading the sources failed", failure);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reading is 90 % of the progress bar; packing the rest. */
    private static int percent(int done, int total) {
        return total == 0 ? 90 : done * 90 / total;
    }

    private void spoolTable(Run run, String key, Registry.Table table) throws IOException {
        SpoolState state = run.state;
        SpoolState.TableState st;
        synchronized (state) {
            st = state.tables.computeIfAbsent(key, k -> new SpoolState.TableState());
            if (st.done) {
                return;
            }
            if (st.parts.isEmpty()) {
                st.parts.add(new SpoolState.Part(partFile(key, 1)));
            }
        }
        // only this thread changes st; other threads read it under the lock (to save the checkpoint)
        discardUncheckpointed(run.workDir, key, st);
        TableSource source = new TableSource(dynamo, table, run.request.orgcode(), TableSource.Options.defaults()
                .withTotalSegments(settings.scanSegments())
                .withPageLimit(settings.pageSize() == null ? 0 : settings.pageSize())
                .withPrefetchPages(settings.readAhead())
                // the cost summary estimates read units from the items' size, the same on every run
                .withConsumedCapacity(false));
        Checkpoint from = st.cursor == null ? Checkpoint.START : Checkpoint.parse(st.cursor);
        JsonEncoder buffer = new JsonEncoder();
        ItemRowEncoder rows = new ItemRowEncoder(buffer, run.request.asOf(), table.revision());
        int[] rowEnds = new int[1024];
        SpoolState.Part current = st.parts.get(st.parts.size() - 1);
        long partRows = current.rows;
        long partBytes = current.bytes;
        int partCount = st.parts.size();
        OutputStream out = append(run.workDir.resolve(current.file));
        try (TableSource.Cursor pages = source.pages(from)) {
            while (pages.hasNext() && !run.cancelled) {
                TableSource.Page page = pages.next();
                List<Map<String, AttributeValue>> items = page.items();
                if (rowEnds.length < items.size()) {
                    rowEnds = new int[items.size()];
                }
                buffer.reset();
                for (int i = 0; i < items.size(); i++) {
                    rows.append(items.get(i));
                    rowEnds[i] = buffer.size();
                }
                // write the page, starting a new part file before a row that would take the current one past
                // the size (rows are never split); the parts finished here get their final counts below
                List<SpoolState.Part> finished = new ArrayList<>();
                List<long[]> finishedCounts = new ArrayList<>();
                List<SpoolState.Part> started = new ArrayList<>();
                int from0 = 0;
                int rowStart = 0;
                for (int i = 0; i < items.size(); i++) {
                    int length = rowEnds[i] - rowStart;
                    if (partRows > 0 && partBytes + length > settings.partBytes()) {
                        buffer.writeTo(out, from0, rowStart - from0);
                        out.close();
                        finished.add(current);
                        finishedCounts.add(new long[] {partRows, partBytes});
                        current = new SpoolState.Part(partFile(key, ++partCount));
                        started.add(current);
                        out = append(run.workDir.resolve(current.file));
                        partRows = 0;
                        partBytes = 0;
                        from0 = rowStart;
                    }
                    partRows++;
                    partBytes += length;
                    rowStart = rowEnds[i];
                }
                buffer.writeTo(out, from0, rowStart - from0);
                out.flush();
                run.pageSpooled(key);
                Checkpoint next = page.next();
                synchronized (state) {
                    for (int i = 0; i < finished.size(); i++) {
                        finished.get(i).rows = finishedCounts.get(i)[0];
                        finished.get(i).bytes = finishedCounts.get(i)[1];
                    }
                    st.parts.addAll(started);
                    current.rows = partRows;
                    current.bytes = partBytes;
                    // the source already sized the page's items; a strongly consistent read costs one unit per
                    // started 4 KB (estimated per page, which is deterministic because pages have a fixed limit)
                    st.itemBytes += page.itemBytes();
                    st.readUnits += (page.itemBytes() + 4095) / 4096;
                    st.cursor = next.token();
                    st.done = next.isDone();
                    state.save(run.workDir);
                }
            }
        } finally {
            out.close();
        }
    }

    private void spoolBucket(Run run, String key, Registry.Bucket bucket) throws IOException {
        SpoolState state = run.state;
        SpoolState.BucketState st;
        synchronized (state) {
            st = state.buckets.computeIfAbsent(key, k -> new SpoolState.BucketState());
            if (st.done) {
                return;
            }
        }
        String listing = key.replace('/', '_') + ".objects.jsonl";
        long objects = 0;
        long bytes = 0;
        BucketSource source = new BucketSource(s3, bucket, run.request.orgcode());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(run.workDir.resolve(listing)));
             Stream<BucketSource.ObjectEntry> entries = source.listLatest()) {
            Iterator<BucketSource.ObjectEntry> it = entries.iterator();
            while (it.hasNext()) {
                BucketSource.ObjectEntry object = it.next();
                ObjectNode line = JsonNodeFactory.instance.objectNode()
                        .put("key", object.key())
                        .put("version_id", object.versionId())
                        .put("size", object.size());
                out.write(line(line));
                objects++;
                bytes += object.size();
            }
        }
        synchronized (state) {
            st.listing = listing;
            st.objects = objects;
            st.bytes = bytes;
            st.done = true;
            state.save(run.workDir);
        }
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

    /** Unbuffered: whole pages are written at once from the encoder's buffer. */
    private static OutputStream append(Path file) throws IOException {
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
