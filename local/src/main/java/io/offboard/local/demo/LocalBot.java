package io.offboard.local.demo;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.offboard.bot.cli.ServeCommand;
import io.offboard.bot.export.ExportRunner;
import io.offboard.bot.journey.Sweeper;
import io.offboard.bot.webhook.DeliveryDispatcher;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.stack.EmbeddedStack;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The bot running in this JVM against the embedded stores and a GitHub (stand-in or real). */
public final class LocalBot implements AutoCloseable {

    public static final String GITHUB_TOKEN = "local-token";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final ApplicationContext context;

    private LocalBot(ApplicationContext context) {
        this.context = context;
    }

    /**
     * @param port 0 for a free port
     * @param extra further properties (they win over the defaults here)
     */
    public static LocalBot start(EmbeddedStack stack, String githubApiUrl, List<String> webhookSecrets,
                                 List<String> operators, Clock clock, int port, Map<String, Object> extra) {
        return start(stack, githubApiUrl, webhookSecrets, operators, clock, port, extra, new Object[0]);
    }

    /** @param beans extra singletons for the bot's context (e.g. a purge listener a test watches with) */
    public static LocalBot start(EmbeddedStack stack, String githubApiUrl, List<String> webhookSecrets,
                                 List<String> operators, Clock clock, int port, Map<String, Object> extra,
                                 Object... beans) {
        useStackCredentials(stack);
        Map<String, Object> properties = new HashMap<>(properties(stack));
        int actualPort = port == 0 ? EmbeddedStack.freeLoopbackPort() : port;
        properties.put("micronaut.server.port", actualPort);
        // download links in comments point here
        properties.put("offboard.public-url", "http://127.0.0.1:" + actualPort);
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("offboard.webhook.secrets", String.join(",", webhookSecrets));
        properties.put("offboard.github.api-url", githubApiUrl);
        properties.put("offboard.github.token", GITHUB_TOKEN);
        properties.put("offboard.operators", String.join(",", operators));
        properties.putAll(signIn(githubApiUrl, "http://127.0.0.1:" + actualPort));
        // the simulated clock does not move with real time: sweeps run when the demo or a test says so
        properties.put("offboard.timers.enabled", "false");
        properties.putAll(extra);
        Object[] singletons = new Object[beans.length + 1];
        singletons[0] = clock;
        System.arraycopy(beans, 0, singletons, 1, beans.length);
        return new LocalBot(ServeCommand.start(properties, singletons));
    }

    /**
     * The download page's sign-in against the GitHub at {@code githubApiUrl}: a fresh OAuth app (client id and
     * secret), registered with the stand-in serving that URL in this JVM with the bot's callback URL, GitHub's web
     * flow under the same URL, and a random session secret.
     *
     * @param publicUrl where the bot is reached (its OAuth callback is below it); null: any callback is accepted
     */
    public static Map<String, Object> signIn(String githubApiUrl, String publicUrl) {
        String clientId = "Iv1.local" + random(6);
        String clientSecret = random(20);
        GitHubStandIn.running(githubApiUrl).ifPresent(github -> {
            if (publicUrl == null) {
                github.registerOAuthApp(clientId, clientSecret);
            } else {
                github.registerOAuthApp(clientId, clientSecret, publicUrl + "/oauth/callback/github");
            }
        });
        Map<String, Object> properties = new HashMap<>();
        properties.put("offboard.github.web-url", githubApiUrl);
        properties.put("offboard.github.client-id", clientId);
        properties.put("offboard.github.client-secret", clientSecret);
        properties.put("offboard.session-secret", random(48));
        return properties;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /** Settings that point the bot at the embedded stores and let it create its own tables there. */
    public static Map<String, Object> properties(EmbeddedStack stack) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("offboard.dynamodb-endpoint", stack.dynamoEndpoint().toString());
        properties.put("offboard.s3-endpoint", stack.s3Endpoint().toString());
        properties.put("offboard.aws-region", stack.clientProperties().get("AWS_REGION"));
        properties.put("offboard.create-tables", true);
        return properties;
    }

    /**
     * The AWS SDK's default credential chain reads these system properties; the embedded stores accept
     * exactly this key pair. Set only when nothing else is configured, so real credentials are never replaced.
     */
    public static void useStackCredentials(EmbeddedStack stack) {
        if (System.getProperty("aws.accessKeyId") == null && System.getenv("AWS_ACCESS_KEY_ID") == null) {
            System.setProperty("aws.accessKeyId", stack.clientProperties().get("AWS_ACCESS_KEY_ID"));
            System.setProperty("aws.secretAccessKey", stack.clientProperties().get("AWS_SECRET_ACCESS_KEY"));
        }
    }

    public ApplicationContext context() {
        return context;
    }

    public URI url() {
        return context.getBean(EmbeddedServer.class).getURI();
    }

    public URI webhookUrl() {
        return url().resolve("/github/webhook");
    }

    /** Waits until every delivery accepted so far has been processed. */
    public void awaitIdle() throws InterruptedException {
        if (!context.getBean(DeliveryDispatcher.class).awaitIdle(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the bot did not finish its deliveries within 60 s");
        }
        ExportRunner exports = context.getBean(ExportRunner.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (exports.running() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("exports still running after 120 s");
            }
            Thread.sleep(20);
        }
    }

    /** Takes up stored deliveries whose retry time has come, as the timer of `serve` does, and waits for them. */
    public int recoverDeliveries() throws InterruptedException {
        int started = context.getBean(DeliveryDispatcher.class).recover();
        awaitIdle();
        return started;
    }

    /** The sweep's catch-up on eviction issues GitHub never told the bot of. */
    public io.offboard.bot.intake.IntakeCatchUp.Report catchUp() throws Exception {
        io.offboard.bot.intake.IntakeCatchUp.Report report =
                context.getBean(io.offboard.bot.intake.IntakeCatchUp.class).run();
        awaitIdle();
        return report;
    }

    /** One sweep pass, as `offboard sweep` or the timer of `serve` would run it. */
    public Sweeper.SweepReport sweep() throws InterruptedException {
        Sweeper.SweepReport report = context.getBean(Sweeper.class).sweep();
        awaitIdle();
        return report;
    }

    @Override
    public void close() {
        context.close();
    }
}
