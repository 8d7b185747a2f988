package io.offboard.local.stack;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.shared.jobs.JobsRegister;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The embedded default's data stores, in this JVM, on loopback: DynamoDB Local and an S3-compatible server
 * (s3proxy). Nothing here is part of the production artifact.
 *
 * <p>S3 always uses s3proxy's <em>transient</em> (in-memory) blob store, even when {@link StackOptions#dataDir()}
 * is given: it is the only s3proxy store that supports bucket versioning, object versions and delete markers
 * (the filesystem store answers 501 to versioning), and the registry's buckets are versioned. A persistent
 * {@code serve} therefore keeps its DynamoDB state across restarts but starts with empty buckets.
 *
 * <p>DynamoDB Local runs with {@code -sharedDb}, so every client sees the same tables whatever access key and
 * region it signs with (without it DynamoDB Local keeps one database per key and region).
 */
public final class EmbeddedStack implements AutoCloseable {

    public static final String ACCESS_KEY = "offboardlocal";
    public static final String SECRET_KEY = "offboardlocalsecret";
    public static final String REGION = "us-east-1";

    /** Loggers quieted to WARN at start, unless a logging configuration already set a level for them. */
    public static final List<String> QUIET_LOGGERS = List.of(
            "org.gaul.s3proxy",
            "org.gaul.shaded.org.eclipse.jetty",
            "org.eclipse.jetty",
            "com.amazonaws.services.dynamodbv2.local");

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);
    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final java.util.logging.Logger SQLITE_JUL = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");
    private static final String LOOPBACK = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;

    private final DynamoDBProxyServer dynamoServer;
    private final S3Proxy s3Server;
    private final URI dynamoEndpoint;
    private final URI s3Endpoint;
    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedStack(DynamoDBProxyServer dynamoServer, URI dynamoEndpoint, S3Proxy s3Server, URI s3Endpoint) {
        this.dynamoServer = dynamoServer;
        this.dynamoEndpoint = dynamoEndpoint;
        this.s3Server = s3Server;
        this.s3Endpoint = s3Endpoint;
        AwsBasicCredentials credentials = AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY);
        // Apache, not UrlConnection: with s3proxy, HttpURLConnection's handling of "Expect: 100-continue" on
        // PutObject sometimes sends the body twice (silent retry after "Unexpected end of file"), which leaves a
        // duplicate object version in a versioned bucket.
        this.dynamo = DynamoDbClient.builder()
                .endpointOverride(dynamoEndpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
        this.s3 = S3Client.builder()
                .endpointOverride(s3Endpoint)
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    /** Starts both servers (DynamoDB first) and returns when both answer. */
    public static EmbeddedStack start(StackOptions options) {
        quietLoggers();
        long t0 = System.nanoTime();
        DynamoStarted dynamoStarted = startDynamo(options);
        quietSqlite();
        S3Proxy s3Server = null;
        EmbeddedStack stack;
        try {
            s3Server = startS3(options.s3Port());
            URI s3Endpoint = URI.create("http://" + LOOPBACK + ":" + s3Server.getPort());
            stack = new EmbeddedStack(dynamoStarted.server(), dynamoStarted.endpoint(), s3Server, s3Endpoint);
        } catch (RuntimeException | Error e) {
            if (s3Server != null) {
                stopQuietly(s3Server::stop, e);
            }
            stopQuietly(dynamoStarted.server()::stop, e);
            stopQuietly(() -> stopDynamoJobs(dynamoStarted.server()), e);
            throw e;
        }
        LOG.debug("embedded stack up in {} ms: dynamodb {} s3 {}", (System.nanoTime() - t0) / 1_000_000,
                stack.dynamoEndpoint, stack.s3Endpoint);
        return stack;
    }

    public URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    /** A client bound to the embedded DynamoDB; closed by {@link #close()}. */
    public DynamoDbClient dynamo() {
        return dynamo;
    }

    /** A path-style client bound to the embedded S3 server; closed by {@link #close()}. */
    public S3Client s3() {
        return s3;
    }

    /**
     * The environment a bot process needs to use this stack: {@code OFFBOARD_DYNAMODB_ENDPOINT},
     * {@code OFFBOARD_S3_ENDPOINT}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_REGION}
     * (and {@code OFFBOARD_AWS_REGION}, the bot's own region setting), in that order.
     */
    public Map<String, String> clientProperties() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OFFBOARD_DYNAMODB_ENDPOINT", dynamoEndpoint.toString());
        env.put("OFFBOARD_S3_ENDPOINT", s3Endpoint.toString());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_REGION", REGION);
        env.put("OFFBOARD_AWS_REGION", REGION);
        return Collections.unmodifiableMap(env);
    }

    /** Stops both servers and closes the clients. Safe to call more than once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Throwable> failures = new ArrayList<>();
        run(dynamo::close, failures);
        run(s3::close, failures);
        run(s3Server::stop, failures);
        run(dynamoServer::stop, failures);
        run(() -> stopDynamoJobs(dynamoServer), failures);
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("embedded stack did not stop cleanly");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    // ---- DynamoDB Local -------------------------------------------------------------------------------------

    private record DynamoStarted(DynamoDBProxyServer server, URI endpoint) {
    }

    private static DynamoStarted startDynamo(StackOptions options) {
        List<String> storage = new ArrayList<>();
        if (options.dataDir() == null) {
            storage.add("-inMemory");
        } else {
            Path dir = options.dataDir().toAbsolutePath();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create DynamoDB data directory " + dir, e);
            }
            storage.add("-dbPath");
            storage.add(dir.toString());
        }
        Exception last = null;
        // a port picked by us may be taken by someone else before the server binds it: pick again
        int attempts = options.dynamoPort() == 0 ? START_ATTEMPTS : 1;
        for (int attempt = 0; attempt < attempts; attempt++) {
            int port = options.dynamoPort() == 0 ? freeLoopbackPort() : options.dynamoPort();
            List<String> args = new ArrayList<>(storage);
            args.addAll(List.of("-port", Integer.toString(port), "-sharedDb", "-disableTelemetry"));
            DynamoDBProxyServer server = null;
            try {
                server = quietStdout(() -> ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new)));
                Connector connector = bindToLoopback(server);
                DynamoDBProxyServer started = server;
                quietStdout(() -> {
                    started.start();
                    return null;
                });
                int actual = connector instanceof NetworkConnector nc && nc.getLocalPort() > 0 ? nc.getLocalPort() : port;
                String host = connector != null ? LOOPBACK : "localhost";
                return new DynamoStarted(server, URI.create("http://" + host + ":" + actual));
            } catch (Exception e) {
                last = e;
                if (server != null) {
                    stopQuietly(server::stop, e);
                }
                if (!isBindFailure(e)) {
                    break;
                }
            }
        }
        throw new IllegalStateException("DynamoDB Local did not start: " + last, last);
    }

    /**
     * DynamoDB Local's launcher has no bind-address option and listens on every interface; the embedded default
     * only ever talks to itself, so move its Jetty connector to loopback before it starts. Returns the connector,
     * or {@code null} (still listening on all interfaces) if this DynamoDB Local version is shaped differently.
     */
    private static Connector bindToLoopback(DynamoDBProxyServer proxy) {
        try {
            Server jetty = (Server) field(proxy, "server");
            for (Connector connector : jetty.getConnectors()) {
                if (connector instanceof ServerConnector sc) {
                    sc.setHost(LOOPBACK);
                    return sc;
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("could not bind DynamoDB Local to loopback; it listens on all interfaces", e);
        }
        return null;
    }

    /**
     * {@code DynamoDBProxyServer.stop()} shuts DynamoDB Local's job pool down gracefully, but its streams
     * shard-rollover scheduler sleeps 7.5 minutes between rounds on a non-daemon thread, which keeps a finished
     * CLI's JVM alive that long. Interrupt it: serverHandler → primaryHandler → dbRequestHandlers → jobs.
     */
    private static void stopDynamoJobs(DynamoDBProxyServer proxy) {
        try {
            Object serverHandler = field(proxy, "serverHandler");
            Object primary = serverHandler == null ? null : field(serverHandler, "primaryHandler");
            Object handlers = primary == null ? null : field(primary, "dbRequestHandlers");
            if (handlers instanceof Map<?, ?> map) {
                for (Object client : List.copyOf(map.values())) {
                    if (field(client, "jobs") instanceof JobsRegister jobs) {
                        jobs.shutdownNow();
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("could not interrupt DynamoDB Local's background jobs; the JVM may take minutes to exit", e);
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(target.getClass().getName() + "." + name);
    }

    // ---- s3proxy ------------------------------------------------------------------------------------------

    private static S3Proxy startS3(int requestedPort) {
        Exception last = null;
        int attempts = requestedPort == 0 ? START_ATTEMPTS : 1;
        for (int attempt = 0; attempt < attempts; attempt++) {
            // s3proxy binds port 0 to a free port itself and reports it through getPort()
            S3Proxy proxy = S3Proxy.builder()
                    // transient store: the only one with versioning and delete markers (see the class comment)
                    .blobStore(new TransientNio2BlobStore())
                    .endpoint(URI.create("http://" + LOOPBACK + ":" + requestedPort))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .ignoreUnknownHeaders(true)
                    .build();
            try {
                proxy.start();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!"STARTED".equals(proxy.getState())) {
                    if (System.nanoTime() > deadline || "FAILED".equals(proxy.getState())) {
                        throw new IllegalStateException("s3proxy state " + proxy.getState());
                    }
                    Thread.sleep(10);
                }
                return proxy;
            } catch (Exception e) {
                last = e;
                stopQuietly(proxy::stop, e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (!isBindFailure(e)) {
                    break;
                }
            }
        }
        throw new IllegalStateException("S3 server (s3proxy) did not start: " + last, last);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** A loopback port nothing listens on right now (the embedded servers and the local bot bind to one). */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("bind")) {
                return true;
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws Exception;
    }

    private static void run(Action action, List<Throwable> failures) {
        try {
            action.run();
        } catch (Exception e) {
            failures.add(e);
        }
    }

    private static void stopQuietly(Action stop, Throwable primary) {
        try {
            stop.run();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }

    private static final Object STDOUT_LOCK = new Object();

    /**
     * DynamoDB Local prints a configuration banner with {@code System.out.println}, which would land in the
     * middle of the CLI's output. Hold it back while the server is created and started; if that fails, the held
     * text goes to stderr so the reason is not lost.
     */
    private static <T> T quietStdout(Call<T> call) throws Exception {
        synchronized (STDOUT_LOCK) {
            PrintStream original = System.out;
            ByteArrayOutputStream held = new ByteArrayOutputStream();
            boolean ok = false;
            System.setOut(new PrintStream(held, true, StandardCharsets.UTF_8));
            try {
                T result = call.call();
                ok = true;
                return result;
            } finally {
                System.setOut(original);
                if (!ok && held.size() > 0) {
                    System.err.print(held.toString(StandardCharsets.UTF_8));
                }
            }
        }
    }

    /**
     * sqlite4java (inside DynamoDB Local) logs through java.util.logging, and DynamoDB Local sets that logger to
     * WARNING while it starts; from the shaded jar sqlite4java then warns "SQLite: unknown jar version" on the first
     * request because its manifest is gone. Raise it to SEVERE unless someone chose another level.
     */
    private static void quietSqlite() {
        java.util.logging.Level level = SQLITE_JUL.getLevel();
        if (level == null || level == java.util.logging.Level.WARNING) {
            SQLITE_JUL.setLevel(java.util.logging.Level.SEVERE);
        }
    }

    /**
     * Sets {@link #QUIET_LOGGERS} to WARN when the logging backend is Logback and the logger has no level of its
     * own yet, so an operator's {@code logback.xml} still wins. Done reflectively: Logback is a runtime-only
     * dependency and may be absent.
     */
    static void quietLoggers() {
        for (String name : QUIET_LOGGERS) {
            Logger logger = LoggerFactory.getLogger(name);
            try {
                ClassLoader loader = logger.getClass().getClassLoader();
                Class<?> logbackLogger = Class.forName("ch.qos.logback.classic.Logger", false, loader);
                if (!logbackLogger.isInstance(logger) || logbackLogger.getMethod("getLevel").invoke(logger) != null) {
                    continue;
                }
                Class<?> level = Class.forName("ch.qos.logback.classic.Level", false, loader);
                logbackLogger.getMethod("setLevel", level).invoke(logger, level.getField("WARN").get(null));
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // another SLF4J backend: leave its configuration alone
            }
        }
    }
}
