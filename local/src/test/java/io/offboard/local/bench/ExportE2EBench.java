package io.offboard.local.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.offboard.exporter.archive.Compression;
import io.offboard.exporter.aws.AwsClients;
import io.offboard.exporter.export.ExportEngine;
import io.offboard.exporter.export.ExportFormat;
import io.offboard.exporter.export.ExportOutcome;
import io.offboard.exporter.export.ExportProgress;
import io.offboard.exporter.export.ExportRequest;
import io.offboard.exporter.export.ExportSettings;
import io.offboard.exporter.manifest.ExportManifest;
import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.source.ItemJson;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * End-to-end export benchmark (issue 4, "Performance": {@code bench/export-e2e.sh}).
 *
 * <p>Starts the embedded stack (DynamoDB Local + s3proxy, in memory), seeds the demo platform, bulk-loads a
 * benchmark tenant {@value #TENANT} ({@code N} orders of about 1 KB into {@code ord_orders}, found by partition key,
 * and {@code M} events into {@code evt_changelog}, found only by a filtered parallel scan on {@code tenant_ref}, plus
 * its {@code uas_orgs} row), then, in the same run and alternating for {@code --rounds} rounds:
 * <ul>
 *   <li><b>raw</b>: what a peer reading the same data does: a paginated Query of {@code ord_orders} for the tenant,
 *       then a parallel Scan (4 segments, same filter, strongly consistent like the export) of
 *       {@code evt_changelog}, counting items;</li>
 *   <li><b>export</b>: {@link ExportEngine} JSONL + gzip of the tenant to a file (as {@code offboard export}
 *       does), timed from engine construction to the archive's last byte on disk.</li>
 * </ul>
 * With {@code --page-limit L} both sides send {@code Limit L} on every Query and Scan (the export through
 * {@link ExportSettings#withPageSize}); by default neither does and DynamoDB's 1 MB pages apply. DynamoDB Local
 * answers a Query page without {@code Limit} by reading every remaining item of the partition, so a big partition
 * costs time quadratic in its size on both sides; with a limit near 1 MB of items it stays linear.
 * The best round of each counts. Prints rows/s for both, the export's MB/s (JSONL payload and archive), the ratio
 * export/raw (target &gt;= 0.8), the archive size, and the client JVM's heap during the export from GC notifications:
 * the peak occupancy (largest heap use right before a GC) and the largest occupancy right after one.
 *
 * <p>With {@code --client-jvm "<jvm options>"} the readers (raw and export) run in a separate client JVM started
 * with those options (e.g. {@code -Xmx256m -Xlog:gc:file=gc.log}), which talks to the stack in this JVM over
 * loopback exactly like {@code offboard export --dynamodb-endpoint ... --s3-endpoint ...}: its heap then holds the
 * export only, not DynamoDB Local. Without it everything runs in this JVM.
 *
 * <pre>
 * usage: ExportE2EBench [N orders, default 200000] [--events M (default N/4)] [--other-events K (default 0)]
 *                       [--load-threads T (8)] [--rounds R (2)] [--page-limit L (0)] [--client-jvm "OPTS"]
 *                       [--work DIR] [--keep]
 * </pre>
 */
public final class ExportE2EBench {

    static final String TENANT = "benchco";
    private static final String ORDERS = DemoPlatform.ORD_ORDERS;
    private static final String EVENTS = DemoPlatform.EVT_CHANGELOG;
    private static final int BATCH = 25;
    private static final int SCAN_SEGMENTS = 4;
    private static final Instant BASE = Instant.parse("2025-01-01T00:00:00Z");
    private static final double MB = 1_000_000.0;
    private static final double MIB = 1024.0 * 1024.0;

    /** True in a client JVM started by the stack JVM: its parent process is then the stack (for its CPU time). */
    private static volatile boolean separateClient;

    private ExportE2EBench() {
    }

    // ---- options ------------------------------------------------------------------------------------------

    static final class Options {
        String mode = "all";
        long orders = 200_000;
        long events = -1;
        long otherEvents = 0;
        int loadThreads = 8;
        int rounds = 2;
        int pageLimit = 0;
        String clientJvm;
        Path work;
        boolean keep;
        String dynamoEndpoint;
        String s3Endpoint;
        /** S3 objects of the tenant (small JSON files in {@value #OBJECT_BUCKET}). */
        long objects = 0;
        /** Serve the objects from {@link SyntheticS3} instead of loading them into the embedded S3 server. */
        boolean s3StandIn;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "client" -> o.mode = "client";
                    case "--orders" -> o.orders = Long.parseLong(args[++i]);
                    case "--events" -> o.events = Long.parseLong(args[++i]);
                    case "--other-events" -> o.otherEvents = Long.parseLong(args[++i]);
                    case "--load-threads" -> o.loadThreads = Integer.parseInt(args[++i]);
                    case "--rounds" -> o.rounds = Integer.parseInt(args[++i]);
                    case "--page-limit" -> o.pageLimit = Integer.parseInt(args[++i]);
                    case "--client-jvm" -> o.clientJvm = args[++i];
                    case "--work" -> o.work = Path.of(args[++i]);
                    case "--keep" -> o.keep = true;
                    case "--dynamodb-endpoint" -> o.dynamoEndpoint = args[++i];
                    case "--s3-endpoint" -> o.s3Endpoint = args[++i];
                    case "--objects" -> o.objects = Long.parseLong(args[++i]);
                    case "--s3-standin" -> o.s3StandIn = true;
                    default -> {
                        if (a.matches("\\d+")) {
                            o.orders = Long.parseLong(a);
                        } else {
                            throw new IllegalArgumentException("unknown argument " + a);
                        }
                    }
                }
            }
            if (o.events < 0) {
                o.events = o.orders / 4;
            }
            if (o.rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1");
            }
            return o;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.mode.equals("client")) {
            separateClient = true;
            System.exit(new Client(options).run());
        }
        System.exit(runAll(options));
    }

    // ---- stack side: start, seed, load, then the readers (here or in a client JVM) -------------------------

    private static int runAll(Options o) throws Exception {
        Path work = o.work != null ? Files.createDirectories(o.work) : Files.createTempDirectory("export-e2e-");
        o.work = work;
        long t0 = System.nanoTime();
        try (EmbeddedStack stack = EmbeddedStack.start(StackOptions.inMemory())) {
            DemoPlatform.seed(stack.dynamo(), stack.s3());
            System.out.printf(Locale.ROOT, "stack up and demo platform seeded in %.1f s (dynamodb %s, s3 %s)%n",
                    secs(System.nanoTime() - t0), stack.dynamoEndpoint(), stack.s3Endpoint());
            load(stack.dynamo(), o);
            SyntheticS3 standIn = null;
            URI s3Endpoint = stack.s3Endpoint();
            if (o.objects > 0 && o.s3StandIn) {
                standIn = SyntheticS3.start(o.objects);
                s3Endpoint = standIn.endpoint();
                System.out.printf(Locale.ROOT, "S3 stand-in at %s serves %d synthetic objects of %s (the embedded S3 "
                        + "server's listing is quadratic in the bucket's size)%n", s3Endpoint, o.objects, TENANT);
            } else if (o.objects > 0) {
                loadObjects(stack.s3(), o);
            }
            try {
                return runClients(o, stack, s3Endpoint, work);
            } finally {
                if (standIn != null) {
                    standIn.stop();
                }
            }
        } finally {
            if (!o.keep) {
                deleteRecursively(work);
            }
        }
    }

    private static int runClients(Options o, EmbeddedStack stack, URI s3Endpoint, Path work) throws Exception {
        {
            // braces kept from when this was inline in runAll
            if (o.clientJvm == null) {
                if (s3Endpoint.equals(stack.s3Endpoint())) {
                    return new Client(o).run(stack.dynamo(), stack.s3());
                }
                try (S3Client s3 = AwsClients.s3(EmbeddedStack.REGION, s3Endpoint.toString())) {
                    return new Client(o).run(stack.dynamo(), s3);
                }
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String opt : o.clientJvm.trim().split("\\s+")) {
                if (!opt.isEmpty()) {
                    command.add(opt);
                }
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ExportE2EBench.class.getName(),
                    "client", "--orders", Long.toString(o.orders), "--events", Long.toString(o.events),
                    "--rounds", Integer.toString(o.rounds), "--page-limit", Integer.toString(o.pageLimit),
                    "--objects", Long.toString(o.objects),
                    "--work", work.toString(),
                    "--dynamodb-endpoint", stack.dynamoEndpoint().toString(),
                    "--s3-endpoint", s3Endpoint.toString()));
            if (o.keep) {
                command.add("--keep");
            }
            System.out.println("client JVM: " + String.join(" ", command.subList(0, command.indexOf("-cp")))
                    + " ... client");
            Process client = new ProcessBuilder(command).inheritIO().start();
            return client.waitFor();
        }
    }

    // ---- the objects tenant: many small S3 objects ---------------------------------------------------------

    static final String OBJECT_BUCKET = DemoPlatform.ORD_ATTACHMENTS;
    /** The export's default: {@link ExportSettings#objectReads()}. */
    static final int OBJECT_READS = ExportSettings.defaults().objectReads();

    /** The i-th object's key: 1,000 per folder, in listing order by i. */
    static String objectKey(long i) {
        return String.format(Locale.ROOT, "%s/objects/%04d/%07d.json", TENANT, i / 1000, i);
    }

    /** The i-th object's content: a small JSON document of about 200 bytes. */
    static byte[] objectContent(long i) {
        SplittableRandom r = new SplittableRandom(0x0b1ec7L ^ (i * 0x9E3779B97F4A7C15L));
        return String.format(Locale.ROOT, "{\"id\":%d,\"kind\":\"attachment\",\"order\":\"ORD-%010d\",\"bytes\":%d,"
                + "\"sha\":\"%016x%016x\",\"note\":\"%s\"}%n", i, r.nextInt(1_000_000), r.nextInt(1 << 20),
                r.nextLong(), r.nextLong(), WORDS[r.nextInt(WORDS.length)] + " " + WORDS[r.nextInt(WORDS.length)])
                .getBytes(StandardCharsets.UTF_8);
    }

    /** PUTs the objects into the embedded S3 server on several threads. */
    static void loadObjects(S3Client s3, Options o) throws Exception {
        long t0 = System.nanoTime();
        AtomicLong written = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(o.loadThreads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < o.loadThreads; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    for (long i = first; i < o.objects; i += o.loadThreads) {
                        long n = i;
                        s3.putObject(b -> b.bucket(OBJECT_BUCKET).key(objectKey(n)),
                                software.amazon.awssdk.core.sync.RequestBody.fromBytes(objectContent(n)));
                        written.incrementAndGet();
                    }
                    return null;
                }));
            }
            pool.shutdown();
            while (!pool.awaitTermination(15, java.util.concurrent.TimeUnit.SECONDS)) {
                System.out.printf(Locale.ROOT, "  put %d of %d objects (%.0f objects/s)%n", written.get(), o.objects,
                        written.get() / secs(System.nanoTime() - t0));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double s = secs(System.nanoTime() - t0);
        System.out.printf(Locale.ROOT, "LOAD_OBJECTS objects=%d secs=%.1f objects_per_s=%.0f threads=%d%n", o.objects, s,
                o.objects / s, o.loadThreads);
    }

    /**
     * A stand-in of S3 for a bucket of many objects, which the embedded S3 server lists too slowly (each listing page
     * costs it time linear in the bucket's size): {@code ListObjectVersions} of {@value #OBJECT_BUCKET} for the
     * tenant's prefix pages through {@link #objectKey} 0..n-1 (keys URL-encoded, as the exporter asks, unversioned),
     * {@code GetObject} answers {@link #objectContent}; every other listing is empty. The real SDK client talks to it
     * over loopback like to S3. Nothing is stored: the objects are computed from their number.
     */
    static final class SyntheticS3 {
        private final com.sun.net.httpserver.HttpServer server;
        private final long objects;
        private final ExecutorService pool = Executors.newFixedThreadPool(8);

        private SyntheticS3(long objects) throws IOException {
            this.objects = objects;
            // without TCP_NODELAY every small answer waits ~40 ms for the client's delayed ACK
            System.setProperty("sun.net.httpserver.nodelay", "true");
            this.server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 64);
            server.createContext("/", this::handle);
            server.setExecutor(pool);
            server.start();
        }

        static SyntheticS3 start(long objects) throws IOException {
            return new SyntheticS3(objects);
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void stop() {
            server.stop(0);
            pool.shutdownNow();
        }

        private void handle(com.sun.net.httpserver.HttpExchange x) throws IOException {
            try (x) {
                String path = x.getRequestURI().getRawPath();
                Map<String, String> query = query(x.getRequestURI().getRawQuery());
                String[] parts = path.substring(1).split("/", 2);
                String bucket = parts[0];
                if (parts.length == 1 || parts[1].isEmpty()) {
                    if (!query.containsKey("versions")) {
                        send(x, 501, "application/xml", "<Error><Code>NotImplemented</Code></Error>".getBytes());
                        return;
                    }
                    send(x, 200, "application/xml", listing(bucket, query).getBytes(StandardCharsets.UTF_8));
                    return;
                }
                String key = java.net.URLDecoder.decode(parts[1].replace("+", "%2B"), StandardCharsets.UTF_8);
                long i = index(key);
                if (!bucket.equals(OBJECT_BUCKET) || i < 0 || i >= objects || !objectKey(i).equals(key)) {
                    send(x, 404, "application/xml", "<Error><Code>NoSuchKey</Code></Error>".getBytes());
                    return;
                }
                send(x, 200, "application/octet-stream", objectContent(i));
            }
        }

        private String listing(String bucket, Map<String, String> query) {
            String prefix = query.getOrDefault("prefix", "");
            String marker = query.get("key-marker");
            int max = Math.min(1000, Integer.parseInt(query.getOrDefault("max-keys", "1000")));
            StringBuilder xml = new StringBuilder(200 * max).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                    .append("<ListVersionsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>").append(bucket)
                    .append("</Name><Prefix>").append(enc(prefix)).append("</Prefix><MaxKeys>").append(max)
                    .append("</MaxKeys><EncodingType>url</EncodingType>");
            long from = 0;
            long to = 0;
            if (bucket.equals(OBJECT_BUCKET) && prefix.equals(TENANT + "/")) {
                from = marker == null || marker.isEmpty() ? 0 : index(marker) + 1;
                to = Math.min(objects, from + max);
            }
            boolean truncated = to < objects && to > 0;
            xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
            if (truncated) {
                xml.append("<NextKeyMarker>").append(enc(objectKey(to - 1)))
                        .append("</NextKeyMarker><NextVersionIdMarker>null</NextVersionIdMarker>");
            }
            for (long i = from; i < to; i++) {
                xml.append("<Version><Key>").append(enc(objectKey(i))).append("</Key><VersionId>null</VersionId>")
                        .append("<IsLatest>true</IsLatest><LastModified>2026-01-01T00:00:00.000Z</LastModified>")
                        .append("<ETag>&quot;").append(Long.toHexString(i)).append("&quot;</ETag><Size>")
                        .append(objectContent(i).length).append("</Size><StorageClass>STANDARD</StorageClass></Version>");
            }
            return xml.append("</ListVersionsResult>").toString();
        }

        private static long index(String key) {
            int slash = key.lastIndexOf('/');
            int dot = key.lastIndexOf('.');
            try {
                return slash >= 0 && dot > slash ? Long.parseLong(key.substring(slash + 1, dot)) : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private static String enc(String s) {
            return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
        }

        private static Map<String, String> query(String raw) {
            Map<String, String> q = new LinkedHashMap<>();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    q.put(k, eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return q;
        }

        private static void send(com.sun.net.httpserver.HttpExchange x, int status, String type, byte[] body)
                throws IOException {
            x.getResponseHeaders().set("Content-Type", type);
            if (x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(status, -1);
                return;
            }
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
        }
    }

    /** Bulk-loads the benchmark tenant with BatchWriteItem on several threads. */
    static void load(DynamoDbClient dynamo, Options o) throws Exception {
        dynamo.putItem(b -> b.tableName(DemoPlatform.UAS_ORGS).item(orgItem()));
        // how big are the rows? canonical JSON of a sample, before the export adds exported_at_utc/source_revision
        long sample = Math.min(2000, Math.max(1, o.orders));
        long orderJson = 0;
        long orderDynamo = 0;
        for (long i = 0; i < sample; i++) {
            Map<String, AttributeValue> item = orderItem(i);
            orderJson += ItemJson.bytes(item).length + 1;
            orderDynamo += io.offboard.exporter.source.ItemSize.of(item);
        }
        long eventSample = Math.min(2000, Math.max(1, o.events));
        long eventJson = 0;
        for (long i = 0; i < eventSample; i++) {
            eventJson += ItemJson.bytes(eventItem(i, TENANT)).length + 1;
        }
        double orderAvg = (double) orderJson / sample;
        double eventAvg = (double) eventJson / eventSample;
        System.out.printf(Locale.ROOT, "tenant %s: %d orders (avg %.0f B JSON, %.0f B DynamoDB) + %d events (avg %.0f B"
                        + " JSON) ~ %.1f MB of JSONL; %d other-tenant events in %s%n", TENANT, o.orders, orderAvg,
                (double) orderDynamo / sample, o.events, eventAvg, (o.orders * orderAvg + o.events * eventAvg) / MB,
                o.otherEvents, EVENTS);

        long t0 = System.nanoTime();
        AtomicLong written = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(o.loadThreads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            int chunk = 1000;
            for (long from = 0; from < o.orders; from += chunk) {
                long start = from;
                long end = Math.min(o.orders, from + chunk);
                futures.add(pool.submit(() -> {
                    loadRange(dynamo, ORDERS, start, end, i -> orderItem(i), written, retries);
                    return null;
                }));
            }
            long totalEvents = o.events + o.otherEvents;
            for (long from = 0; from < totalEvents; from += chunk) {
                long start = from;
                long end = Math.min(totalEvents, from + chunk);
                long mine = o.events;
                // benchco's events and the other tenants' are interleaved over the key space like a shared table's
                futures.add(pool.submit(() -> {
                    loadRange(dynamo, EVENTS, start, end, i -> eventItem(i, i < mine ? TENANT : "tenant-" + (i % 97)),
                            written, retries);
                    return null;
                }));
            }
            pool.shutdown();
            while (!pool.awaitTermination(15, java.util.concurrent.TimeUnit.SECONDS)) {
                System.out.printf(Locale.ROOT, "  loaded %d of %d items (%.0f items/s)%n", written.get(),
                        o.orders + totalEvents, written.get() / secs(System.nanoTime() - t0));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double s = secs(System.nanoTime() - t0);
        System.out.printf(Locale.ROOT, "loaded %d items in %.1f s (%.0f items/s, %d unprocessed-item retries, %d threads)%n",
                written.get(), s, written.get() / s, retries.get(), o.loadThreads);
    }

    interface ItemMaker {
        Map<String, AttributeValue> make(long i);
    }

    private static void loadRange(DynamoDbClient dynamo, String table, long from, long to, ItemMaker maker,
                                  AtomicLong written, AtomicLong retries) throws InterruptedException {
        for (long b = from; b < to; b += BATCH) {
            List<WriteRequest> pending = new ArrayList<>(BATCH);
            for (long i = b; i < Math.min(to, b + BATCH); i++) {
                pending.add(WriteRequest.builder().putRequest(PutRequest.builder().item(maker.make(i)).build()).build());
            }
            int count = pending.size();
            long pause = 20;
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                if (attempt > 12) {
                    throw new IllegalStateException("BatchWriteItem on " + table + " left " + pending.size()
                            + " items unprocessed after 12 attempts");
                }
                List<WriteRequest> batch = pending;
                BatchWriteItemResponse response = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, batch)));
                pending = response.unprocessedItems().getOrDefault(table, List.of());
                if (!pending.isEmpty()) {
                    retries.addAndGet(pending.size());
                    Thread.sleep(pause + (long) (Math.random() * pause));
                    pause = Math.min(2000, pause * 2);
                }
            }
            written.addAndGet(count);
        }
    }

    // ---- the data: deterministic, realistic-looking, about 1 KB per order -----------------------------------

    private static final String[] STATUS = {"placed", "paid", "paid", "shipped", "shipped", "delivered", "delivered",
        "delivered", "refunded", "cancelled"};
    private static final String[] CHANNELS = {"web", "web", "app", "pos", "marketplace"};
    private static final String[] CURRENCIES = {"EUR", "EUR", "USD", "GBP"};
    private static final String[] CITIES = {"Berlin", "Lisbon", "Oslo", "Madrid", "Vienna", "Dublin", "Prague", "Turin",
        "Lyon", "Ghent", "Leeds", "Porto"};
    private static final String[] COUNTRIES = {"DE", "PT", "NO", "ES", "AT", "IE", "CZ", "IT", "FR", "BE", "GB", "PT"};
    private static final String[] STREETS = {"Market Street", "Station Road", "Rua Augusta", "Calle Mayor", "Ringstrasse",
        "Grafton Street", "Karlova", "Via Roma", "Rue de la Republique", "Veldstraat"};
    private static final String[] FIRST = {"Ada", "Bram", "Chen", "Dara", "Elif", "Femi", "Gus", "Hana", "Ivo", "Jun",
        "Kai", "Lena", "Mika", "Noor", "Otto", "Pia"};
    private static final String[] LAST = {"Lindqvist", "Okafor", "Wei", "Quinn", "Sahin", "Adeyemi", "Moreau", "Novak",
        "Rossi", "Silva", "Tanaka", "Berg", "Costa", "Dubois"};
    private static final String[] PRODUCTS = {"Organic green tea 250 g", "Stoneware mug, matte blue", "Canvas tote bag",
        "Gel pen, black, pack of 10", "Desk lamp with dimmer", "Linen napkins, set of 4", "Cast iron skillet 26 cm",
        "Bamboo cutting board", "Wool throw blanket", "Scented candle, cedar", "Ceramic planter, small",
        "Notebook A5, dotted"};
    private static final String[] WORDS = ("please leave the parcel with the neighbour if nobody answers gift wrap "
            + "requested call before delivery fragile handle with care customer asked for invoice copy by email "
            + "second attempt address corrected by support backorder partial shipment expected next week").split(" ");
    private static final String[] CARRIERS = {"DHL", "UPS", "GLS", "DPD", "PostNL", "CTT"};
    private static final String[] EVENT_TYPES = {"order.created", "order.updated", "order.paid", "order.shipped",
        "user.login", "user.invited", "settings.changed", "payment.refunded"};

    static Map<String, AttributeValue> orgItem() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("orgcode", s(TENANT));
        item.put("caption", s("Bench Co"));
        item.put("legal_name", s("Bench Company GmbH"));
        item.put("country", s("DE"));
        item.put("default_currency", s("EUR"));
        item.put("plan", s("enterprise"));
        item.put("status", s("active"));
        item.put("created_at", s(BASE.minus(Duration.ofDays(900)).toString()));
        item.put("revision", n(7));
        return item;
    }

    static Map<String, AttributeValue> orderItem(long i) {
        SplittableRandom r = new SplittableRandom(0x0b5e55edL ^ (i * 0x9E3779B97F4A7C15L));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("orgcode", s(TENANT));
        item.put("order_id", s(String.format(Locale.ROOT, "ORD-%010d", i)));
        item.put("revision", n(1 + r.nextInt(6)));
        String currency = CURRENCIES[r.nextInt(CURRENCIES.length)];
        item.put("currency", s(currency));
        Instant created = BASE.plusSeconds(i * 37 + r.nextInt(30)).plusMillis(r.nextInt(1000));
        item.put("created_at", s(created.toString()));
        item.put("updated_at", s(created.plusSeconds(r.nextInt(86_400 * 5)).toString()));
        String status = STATUS[r.nextInt(STATUS.length)];
        item.put("status", s(status));
        item.put("paid", AttributeValue.fromBool(!status.equals("placed") && !status.equals("cancelled")));
        int customer = r.nextInt(250_000);
        item.put("customer_ref", s(String.format(Locale.ROOT, "CUST-%06d", customer)));
        String first = FIRST[r.nextInt(FIRST.length)];
        String last = LAST[r.nextInt(LAST.length)];
        item.put("customer_email", s((first + "." + last + customer).toLowerCase(Locale.ROOT) + "@mail.example"));
        item.put("channel", s(CHANNELS[r.nextInt(CHANNELS.length)]));
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        List<AttributeValue> lines = new ArrayList<>();
        int lineCount = 1 + r.nextInt(4);
        for (int j = 0; j < lineCount; j++) {
            int p = r.nextInt(PRODUCTS.length);
            int qty = 1 + r.nextInt(5);
            BigDecimal price = BigDecimal.valueOf(99 + r.nextInt(9900), 2);
            total = total.add(price.multiply(BigDecimal.valueOf(qty)));
            Map<String, AttributeValue> line = new LinkedHashMap<>();
            line.put("line_no", n(j + 1));
            line.put("sku", s(String.format(Locale.ROOT, "SKU-%05d-%s", p * 1000 + r.nextInt(1000), currency)));
            line.put("description", s(PRODUCTS[p]));
            line.put("qty", n(qty));
            line.put("unit_price", AttributeValue.fromN(price.toPlainString()));
            line.put("tax_rate", AttributeValue.fromN(r.nextBoolean() ? "0.19" : "0.07"));
            lines.add(AttributeValue.fromM(line));
        }
        item.put("lines", AttributeValue.fromL(lines));
        item.put("amount", AttributeValue.fromN(total.toPlainString()));
        int city = r.nextInt(CITIES.length);
        Map<String, AttributeValue> ship = new LinkedHashMap<>();
        ship.put("name", s(first + " " + last));
        ship.put("line1", s((1 + r.nextInt(200)) + " " + STREETS[r.nextInt(STREETS.length)]));
        ship.put("city", s(CITIES[city]));
        ship.put("postcode", s(String.format(Locale.ROOT, "%05d", r.nextInt(100_000))));
        ship.put("country", s(COUNTRIES[city]));
        item.put("ship_to", AttributeValue.fromM(ship));
        if (status.equals("shipped") || status.equals("delivered")) {
            Map<String, AttributeValue> f = new LinkedHashMap<>();
            f.put("warehouse", s("WH-" + (1 + r.nextInt(6))));
            f.put("carrier", s(CARRIERS[r.nextInt(CARRIERS.length)]));
            f.put("tracking", s(String.format(Locale.ROOT, "%016X", r.nextLong())));
            f.put("shipped_at", s(created.plusSeconds(3600 + r.nextInt(86_400 * 2)).toString()));
            item.put("fulfilment", AttributeValue.fromM(f));
        }
        if (r.nextInt(4) == 0) {
            item.put("tags", AttributeValue.fromSs(r.nextBoolean() ? List.of("gift", "priority") : List.of("b2b")));
        }
        if (r.nextInt(7) == 0) {
            item.put("coupon", AttributeValue.fromNul(true));
        }
        if (r.nextInt(3) == 0) {
            byte[] digest = new byte[32];
            r.nextBytes(digest);
            item.put("receipt_digest", AttributeValue.fromB(SdkBytes.fromByteArray(digest)));
        }
        StringBuilder notes = new StringBuilder();
        int words = 8 + r.nextInt(40);
        for (int w = 0; w < words; w++) {
            notes.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        item.put("notes", s(notes.toString()));
        return item;
    }

    static Map<String, AttributeValue> eventItem(long i, String tenant) {
        SplittableRandom r = new SplittableRandom(0xe7e47L ^ (i * 0xC2B2AE3D27D4EB4FL));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("event_id", s(String.format(Locale.ROOT, "evt-%016x", r.nextLong())));
        item.put("tenant_ref", s(tenant));
        item.put("sequence", n(1_000_000 + i));
        Instant at = BASE.plusMillis(i * 1731 + r.nextInt(1000));
        item.put("occurred_at", s(at.toString()));
        String type = EVENT_TYPES[r.nextInt(EVENT_TYPES.length)];
        item.put("event_type", s(type));
        item.put("actor", s((FIRST[r.nextInt(FIRST.length)] + "." + LAST[r.nextInt(LAST.length)])
                .toLowerCase(Locale.ROOT) + "@" + tenant + ".example"));
        item.put("request_id", s(String.format(Locale.ROOT, "%016x%016x", r.nextLong(), r.nextLong())));
        Map<String, AttributeValue> payload = new LinkedHashMap<>();
        payload.put("order_id", s(String.format(Locale.ROOT, "ORD-%010d", r.nextInt(1_000_000))));
        payload.put("ip", s((10 + r.nextInt(200)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256)));
        payload.put("user_agent", s("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
                + (110 + r.nextInt(20)) + ".0." + r.nextInt(6000) + "." + r.nextInt(200) + " Safari/537.36"));
        Map<String, AttributeValue> changes = new LinkedHashMap<>();
        changes.put("field", s(r.nextBoolean() ? "status" : "ship_to.line1"));
        changes.put("from", s(STATUS[r.nextInt(STATUS.length)]));
        changes.put("to", s(STATUS[r.nextInt(STATUS.length)]));
        payload.put("changes", AttributeValue.fromL(List.of(AttributeValue.fromM(changes))));
        payload.put("latency_ms", n(1 + r.nextInt(900)));
        item.put("payload", AttributeValue.fromM(payload));
        return item;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    // ---- client side: raw read vs export -------------------------------------------------------------------

    /**
     * The peer: the tables read bare (query + scan) and, for an objects tenant, its objects listed and each GET on
     * as many threads as the export reads objects ahead with.
     */
    record RawResult(long orders, long events, double querySecs, double scanSecs, double secs, double cpuSecs,
                     double serverCpuSecs, long objects, double listSecs, double getSecs) {
        long rows() {
            return orders + events + objects;
        }
    }

    record ExportResult(ExportOutcome outcome, double secs, double spoolSecs, double packSecs,
                        Map<String, double[]> perSource, long peakHeapBytes, long maxAfterGcBytes, long poolPeaksBytes,
                        long baselineBytes,
                        double cpuSecs,
                        double serverCpuSecs, long payloadBytes) {
        long rows() {
            return outcome.manifest().totals().items() + outcome.manifest().totals().objects();
        }
    }

    static final class Client {
        private final Options o;
        private final HeapWatch heap = new HeapWatch();

        Client(Options o) {
            this.o = o;
        }

        /** In a separate JVM: clients built the way {@code offboard export} builds them. */
        int run() throws Exception {
            System.setProperty("aws.accessKeyId", EmbeddedStack.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", EmbeddedStack.SECRET_KEY);
            try (DynamoDbClient dynamo = AwsClients.dynamo(EmbeddedStack.REGION, o.dynamoEndpoint);
                 S3Client s3 = AwsClients.s3(EmbeddedStack.REGION, o.s3Endpoint)) {
                return run(dynamo, s3);
            }
        }

        int run(DynamoDbClient dynamo, S3Client s3) throws Exception {
            heap.install();
            long maxHeap = Runtime.getRuntime().maxMemory();
            System.out.printf(Locale.ROOT, "client: pid %d, page limit %s (raw and export alike), max heap %.0f MiB,"
                            + " %d cpus, GC %s%n", ProcessHandle.current().pid(),
                    o.pageLimit > 0 ? o.pageLimit + " items" : "none (DynamoDB's 1 MB pages)", maxHeap / MIB, Runtime.getRuntime().availableProcessors(),
                    String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName())
                            .toList()));
            List<RawResult> raws = new ArrayList<>();
            List<ExportResult> exports = new ArrayList<>();
            for (int round = 1; round <= o.rounds; round++) {
                RawResult raw = raw(dynamo, s3);
                raws.add(raw);
                System.out.printf(Locale.ROOT, "round %d raw:    %8d rows in %7.2f s = %8.0f rows/s  (query %.2f s, "
                                + "scan x%d %.2f s; client cpu %.1f s, server cpu %s)%n", round, raw.rows(), raw.secs(),
                        raw.rows() / raw.secs(), raw.querySecs(), SCAN_SEGMENTS, raw.scanSecs(), raw.cpuSecs(),
                        cpu(raw.serverCpuSecs()));
                if (o.objects > 0) {
                    System.out.printf(Locale.ROOT, "LIST_OBJECTS objects=%d secs=%.1f objects_per_s=%.0f; GET x%d %.1f s "
                                    + "= %.0f objects/s%n", raw.objects(), raw.listSecs(), raw.objects() / raw.listSecs(),
                            OBJECT_READS, raw.getSecs(), raw.objects() / raw.getSecs());
                }
                ExportResult ex = export(dynamo, s3, round);
                exports.add(ex);
                System.out.printf(Locale.ROOT, "round %d export: %8d rows in %7.2f s = %8.0f rows/s  (spool %.2f s, "
                                + "pack %.2f s; client cpu %.1f s, server cpu %s; heap MiB: %.0f before, peak %.0f, max after GC"
                        + " %.0f, pool peaks sum %.0f)%n", round, ex.rows(), ex.secs(), ex.rows() / ex.secs(),
                        ex.spoolSecs(), ex.packSecs(), ex.cpuSecs(), cpu(ex.serverCpuSecs()), ex.baselineBytes() / MIB,
                        ex.peakHeapBytes() / MIB, ex.maxAfterGcBytes() / MIB, ex.poolPeaksBytes() / MIB);
                for (Map.Entry<String, double[]> e : ex.perSource().entrySet()) {
                    System.out.printf(Locale.ROOT, "           spool %-28s %8.0f rows, done after %7.2f s%s%n", e.getKey(),
                            e.getValue()[1], e.getValue()[0], e.getValue()[1] > 0 && e.getValue()[0] > 0
                                    ? String.format(Locale.ROOT, " = %8.0f rows/s", e.getValue()[1] / e.getValue()[0]) : "");
                }
                check(raw, ex);
            }
            RawResult raw = raws.stream().min(Comparator.comparingDouble(RawResult::secs)).orElseThrow();
            ExportResult ex = exports.stream().min(Comparator.comparingDouble(ExportResult::secs)).orElseThrow();
            long peak = exports.stream().mapToLong(ExportResult::peakHeapBytes).max().orElse(0);
            long live = exports.stream().mapToLong(ExportResult::maxAfterGcBytes).max().orElse(0);
            double exportRate = ex.rows() / ex.secs();
            double rawRate = raw.rows() / raw.secs();
            System.out.println();
            System.out.printf(Locale.ROOT, "tenant %s: %d rows and objects (%d orders by query, %d events by %d-segment "
                            + "scan, %d objects), payload %.1f MB, archive %d bytes (%.1f MB, sha256 %s)%n", TENANT,
                    ex.rows(), raw.orders(), raw.events(), SCAN_SEGMENTS, raw.objects(), ex.payloadBytes() / MB,
                    ex.outcome().archive().bytes(), ex.outcome().archive().bytes() / MB, ex.outcome().archive().sha256());
            System.out.printf(Locale.ROOT, "%-22s %10s %10s %10s%n", "best of " + o.rounds, "seconds", "rows/s", "MB/s");
            System.out.printf(Locale.ROOT, "%-22s %10.2f %10.0f %10.1f   (JSONL payload MB/s; archive %.1f MB/s)%n",
                    "export (jsonl, gzip)", ex.secs(), exportRate, ex.payloadBytes() / MB / ex.secs(),
                    ex.outcome().archive().bytes() / MB / ex.secs());
            System.out.printf(Locale.ROOT, "%-22s %10.2f %10.0f %10s%n", "raw query + scan", raw.secs(), rawRate, "-");
            System.out.printf(Locale.ROOT, "peak heap during export: %.0f MiB (largest occupancy at a GC), max heap after "
                            + "GC %.0f MiB, max heap %.0f MiB: %s%n", peak / MIB, live / MIB, maxHeap / MIB,
                    peak <= 256 * MIB ? "PASS (<= 256 MiB)" : "FAIL (> 256 MiB)");
            double ratio = exportRate / rawRate;
            System.out.printf(Locale.ROOT, "ratio export/raw rows/s: %.2f (target >= 0.80): %s%n", ratio,
                    ratio >= 0.8 ? "PASS" : "FAIL");
            // one line for bench/export-e2e.sh
            System.out.printf(Locale.ROOT, "RESULT rows=%d payload_bytes=%d archive_bytes=%d export_secs=%.3f "
                            + "export_rows_per_s=%.0f raw_secs=%.3f raw_rows_per_s=%.0f ratio=%.3f peak_heap_bytes=%d "
                            + "max_after_gc_bytes=%d max_heap_bytes=%d spool_secs=%.3f pack_secs=%.3f page_limit=%d "
                            + "objects=%d list_secs=%.3f%n", ex.rows(),
                    ex.payloadBytes(), ex.outcome().archive().bytes(), ex.secs(), exportRate, raw.secs(), rawRate, ratio,
                    peak, live, maxHeap, ex.spoolSecs(), ex.packSecs(), o.pageLimit, raw.objects(), raw.listSecs());
            return 0;
        }

        private static String cpu(double secs) {
            return secs < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f s", secs);
        }

        private void check(RawResult raw, ExportResult ex) {
            long orders = 0;
            long events = 0;
            for (ExportManifest.ServiceSummary service : ex.outcome().manifest().services()) {
                for (ExportManifest.SourceSummary source : service.sources()) {
                    if (source.name().equals(ORDERS)) {
                        orders = source.items();
                    } else if (source.name().equals(EVENTS)) {
                        events = source.items();
                    }
                }
            }
            if (orders != o.orders || events != o.events || raw.orders() != o.orders || raw.events() != o.events) {
                throw new IllegalStateException(String.format(Locale.ROOT, "counts differ: loaded %d orders / %d events,"
                        + " raw read %d / %d, export %d / %d", o.orders, o.events, raw.orders(), raw.events(), orders, events));
            }
            long objects = ex.outcome().manifest().services().stream().flatMap(sv -> sv.sources().stream())
                    .filter(src -> src.name().equals(OBJECT_BUCKET)).mapToLong(ExportManifest.SourceSummary::items).sum();
            if (objects != o.objects || raw.objects() != o.objects) {
                throw new IllegalStateException(String.format(Locale.ROOT, "object counts differ: %d loaded, raw listed "
                        + "%d, exported %d", o.objects, raw.objects(), objects));
            }
        }

        RawResult raw(DynamoDbClient dynamo, S3Client s3) throws Exception {
            long cpu0 = processCpuNanos();
            double server0 = serverCpuSecs();
            long t0 = System.nanoTime();
            long orders = 0;
            QueryRequest query = QueryRequest.builder().tableName(ORDERS)
                    .keyConditionExpression("#k = :org")
                    .expressionAttributeNames(Map.of("#k", "orgcode"))
                    .expressionAttributeValues(Map.of(":org", AttributeValue.fromS(TENANT)))
                    .consistentRead(true)
                    .limit(o.pageLimit > 0 ? o.pageLimit : null)
                    .build();
            for (QueryResponse page : dynamo.queryPaginator(query)) {
                orders += page.items().size();
            }
            long t1 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(SCAN_SEGMENTS);
            long events = 0;
            try {
                List<Future<Long>> segments = new ArrayList<>();
                for (int s = 0; s < SCAN_SEGMENTS; s++) {
                    int segment = s;
                    segments.add(pool.submit(() -> {
                        ScanRequest scan = ScanRequest.builder().tableName(EVENTS)
                                .segment(segment).totalSegments(SCAN_SEGMENTS)
                                .filterExpression("#a = :org")
                                .expressionAttributeNames(Map.of("#a", "tenant_ref"))
                                .expressionAttributeValues(Map.of(":org", AttributeValue.fromS(TENANT)))
                                .consistentRead(true)
                                .limit(o.pageLimit > 0 ? o.pageLimit : null)
                                .build();
                        long count = 0;
                        for (ScanResponse page : dynamo.scanPaginator(scan)) {
                            count += page.items().size();
                        }
                        return count;
                    }));
                }
                for (Future<Long> f : segments) {
                    events += f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            long t2 = System.nanoTime();
            long objects = 0;
            double listSecs = 0;
            double getSecs = 0;
            if (o.objects > 0) {
                // list the tenant's objects (as the export does), then GET every one on OBJECT_READS threads
                List<String> keys = new ArrayList<>();
                s3.listObjectVersionsPaginator(b -> b.bucket(OBJECT_BUCKET).prefix(TENANT + "/")
                                .encodingType(software.amazon.awssdk.services.s3.model.EncodingType.URL)).stream()
                        .forEach(page -> page.versions().forEach(v -> keys.add(v.key())));
                objects = keys.size();
                long t3 = System.nanoTime();
                listSecs = secs(t3 - t2);
                ExecutorService gets = Executors.newFixedThreadPool(OBJECT_READS);
                try {
                    List<Future<Long>> parts = new ArrayList<>();
                    for (int t = 0; t < OBJECT_READS; t++) {
                        int first = t;
                        parts.add(gets.submit(() -> {
                            long bytes = 0;
                            for (int i = first; i < keys.size(); i += OBJECT_READS) {
                                String key = keys.get(i);
                                bytes += s3.getObjectAsBytes(b -> b.bucket(OBJECT_BUCKET).key(key)).asByteArray().length;
                            }
                            return bytes;
                        }));
                    }
                    for (Future<Long> f : parts) {
                        f.get();
                    }
                } finally {
                    gets.shutdownNow();
                }
                getSecs = secs(System.nanoTime() - t3);
                t2 = System.nanoTime();
            }
            double server = serverCpuSecs();
            return new RawResult(orders, events, secs(t1 - t0), secs(t2 - t1) - listSecs - getSecs, secs(t2 - t0),
                    secs(processCpuNanos() - cpu0), server0 < 0 || server < 0 ? -1 : server - server0, objects, listSecs,
                    getSecs);
        }

        ExportResult export(DynamoDbClient dynamo, S3Client s3, int round) throws Exception {
            Path dir = Files.createDirectories(o.work.resolve("export-" + round));
            Path workDir = dir.resolve("work");
            Instant asOf = Instant.parse("2026-03-01T12:00:00Z");
            Path archive = dir.resolve(new ExportRequest(TENANT, ExportFormat.JSONL, Compression.GZIP, asOf, false)
                    .archiveName());
            PhaseClock phases = new PhaseClock();
            System.gc();
            long baseline = heap.used();
            heap.reset();
            double upStart = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
            long cpu0 = processCpuNanos();
            double server0 = serverCpuSecs();
            long t0 = System.nanoTime();
            phases.start(t0);
            ExportOutcome outcome;
            try (OutputStream sink = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 20)) {
                ExportSettings settings = ExportSettings.defaults();
                if (o.pageLimit > 0) {
                    settings = settings.withPageSize(o.pageLimit);
                }
                ExportEngine engine = new ExportEngine(Registry.bundled(), dynamo, s3, settings);
                outcome = engine.export(new ExportRequest(TENANT, ExportFormat.JSONL, Compression.GZIP, asOf, false),
                        workDir, sink, phases);
            }
            long t1 = System.nanoTime();
            double upEnd = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
            double server = serverCpuSecs();
            long cpu = processCpuNanos() - cpu0;
            // JVM uptime, the time stamps of -Xlog:gc lines: bench/export-e2e.sh reads the GC log within these windows
            System.out.printf(Locale.ROOT, "EXPORT_WINDOW round=%d start=%.3f end=%.3f%n", round, upStart, upEnd);
            long[] heapUse = heap.stop();
            if (Files.size(archive) != outcome.archive().bytes()) {
                throw new IllegalStateException("archive on disk is " + Files.size(archive) + " bytes, the outcome says "
                        + outcome.archive().bytes());
            }
            double spool = phases.spoolEnd > 0 ? secs(phases.spoolEnd - t0) : Double.NaN;
            ExportResult result = new ExportResult(outcome, secs(t1 - t0), spool,
                    phases.spoolEnd > 0 ? secs(t1 - phases.spoolEnd) : Double.NaN, phases.perSource(outcome.manifest()),
                    heapUse[0], heapUse[1], heapUse[2], baseline, secs(cpu), server0 < 0 || server < 0 ? -1 : server - server0,
                    outcome.manifest().totals().bytes());
            if (!o.keep) {
                deleteRecursively(dir);
            }
            return result;
        }
    }

    /**
     * Splits the export's time into reading and packing, and times each source from the export's start to its last
     * page (sources are read at the same time, so these spans overlap).
     */
    static final class PhaseClock implements ExportProgress {
        long spoolEnd;
        private long start;
        private final Map<String, double[]> perSource = new LinkedHashMap<>();

        void start(long t0) {
            start = t0;
        }

        @Override
        public void update(int percent, String currentService) {
            if (spoolEnd == 0 && "packing".equals(currentService)) {
                spoolEnd = System.nanoTime();
            }
        }

        @Override
        public void pageSpooled(String source) {
            perSource.computeIfAbsent(source, k -> new double[2])[0] = secs(System.nanoTime() - start);
        }

        Map<String, double[]> perSource(ExportManifest manifest) {
            for (ExportManifest.ServiceSummary service : manifest.services()) {
                for (ExportManifest.SourceSummary source : service.sources()) {
                    double[] v = perSource.get(service.service() + "/" + source.name());
                    if (v != null) {
                        v[1] = source.items();
                    }
                }
            }
            Map<String, double[]> big = new LinkedHashMap<>();
            perSource.forEach((k, v) -> {
                if (v[1] >= 1000) {
                    big.put(k, v);
                }
            });
            return big;
        }
    }

    /**
     * Heap use while watching: the peak occupancy (the largest heap use right before a GC, or at the end), the largest
     * occupancy right after a GC (after a young GC it still counts old-generation garbage not yet collected: an upper
     * bound on the live set), and the sum of the heap pools' own peaks (each pool at its worst moment: an upper bound
     * on the peak that can pass the maximum heap).
     */
    static final class HeapWatch {
        private final AtomicLong maxBeforeGc = new AtomicLong();
        private final AtomicLong maxAfterGc = new AtomicLong();
        private volatile boolean watching;

        void install() {
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener((notification, handback) -> {
                        if (!watching || !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                                .equals(notification.getType())) {
                            return;
                        }
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                                .from((CompositeData) notification.getUserData());
                        maxBeforeGc.accumulateAndGet(heapSum(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
                        maxAfterGc.accumulateAndGet(heapSum(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
                    }, null, null);
                }
            }
        }

        private static long heapSum(Map<String, MemoryUsage> pools) {
            long used = 0;
            for (Map.Entry<String, MemoryUsage> e : pools.entrySet()) {
                if (isHeap(e.getKey())) {
                    used += e.getValue().getUsed();
                }
            }
            return used;
        }

        private static boolean isHeap(String pool) {
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getName().equals(pool)) {
                    return p.getType() == MemoryType.HEAP;
                }
            }
            return false;
        }

        void reset() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    pool.resetPeakUsage();
                }
            }
            maxBeforeGc.set(0);
            maxAfterGc.set(0);
            watching = true;
        }

        long used() {
            long sum = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    sum += pool.getUsage().getUsed();
                }
            }
            return sum;
        }

        long poolPeaks() {
            long sum = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    sum += pool.getPeakUsage().getUsed();
                }
            }
            return sum;
        }

        /** Stops watching; returns {peak occupancy, max after GC, sum of pool peaks}. */
        long[] stop() {
            long end = used();
            long pools = poolPeaks();
            watching = false;
            return new long[] {Math.max(maxBeforeGc.get(), end), maxAfterGc.get(), pools};
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    static double secs(long nanos) {
        return nanos / 1e9;
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** CPU seconds of the parent process (the stack, when this is a client JVM) from /proc; -1 if unknown. */
    static double serverCpuSecs() {
        try {
            long pid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
            if (pid < 0 || !separateClient) {
                return -1;
            }
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after the command: state(3) ... utime(14) stime(15), counted from 1 in proc(5)
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
