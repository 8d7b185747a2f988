package io.offboard.local.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offboard.bot.webhook.WebhookSender;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.lifecycle.store.DeliveryStore;
import io.offboard.local.github.Comment;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.github.OpenedIssue;
import io.offboard.local.github.PostedComment;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import io.offboard.local.support.BotFixture;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code serve} process killed with SIGKILL right after it answered 202 to a burst of deliveries loses none of
 * them: the next process on the same store handles every one, and nothing is posted twice (the GitHub stand-in's
 * state and request journal are the witness). The child is a real JVM on this test's class path.
 */
class DeliveryCrashTest {

    private static final String REPO = "platform/infra";
    private static final String SECRET = "crash-test-secret";
    private static final int BURST = 16;

    private EmbeddedStack stack;
    private GitHubStandIn github;
    private Process serve;
    private Path logs;

    @BeforeEach
    void start() throws Exception {
        stack = EmbeddedStack.start(StackOptions.inMemory());
        DemoPlatform.seed(stack.dynamo(), stack.s3());
        github = GitHubStandIn.start(Clock.systemUTC());
        github.addRepository(REPO);
        List.of("ops-olivia", "alice").forEach(github::addUser);
        logs = Files.createTempDirectory("offboard-crash-");
    }

    @AfterEach
    void stop() {
        if (serve != null) {
            serve.destroyForcibly();
        }
        github.close();
        stack.close();
    }

    private int port;

    /** Starts {@code offboard serve} as a child JVM on the embedded stack's endpoints; waits until it answers. */
    private void startServe(String name) throws Exception {
        port = EmbeddedStack.freeLoopbackPort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.offboard.bot.cli.OffboardCli", "serve")
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.putAll(Map.of(
                "MICRONAUT_SERVER_PORT", Integer.toString(port),
                "MICRONAUT_SERVER_HOST", "127.0.0.1",
                "OFFBOARD_WEBHOOK_SECRETS", SECRET,
                "OFFBOARD_GITHUB_API_URL", github.apiUrl(),
                "OFFBOARD_GITHUB_TOKEN", "crash-test-token",
                "OFFBOARD_OPERATORS", "ops-olivia",
                "OFFBOARD_DYNAMODB_ENDPOINT", stack.dynamoEndpoint().toString(),
                "OFFBOARD_S3_ENDPOINT", stack.s3Endpoint().toString(),
                "OFFBOARD_CREATE_TABLES", "true",
                "OFFBOARD_SWEEP_INTERVAL", "1h"));
        env.put("OFFBOARD_DELIVERY_RECOVERY_INTERVAL", "1s");
        env.put("OFFBOARD_GITHUB_CLIENT_ID", "crash-test-client");
        env.put("OFFBOARD_GITHUB_CLIENT_SECRET", "crash-test-client-secret");
        env.put("OFFBOARD_SESSION_SECRET", "crash-test-session-secret-of-at-least-32-bytes");
        env.put("OFFBOARD_WEBHOOK_DELIVERY_LEASE", "5s");
        // the burst is one person's: let all of it through (the write budget is tested elsewhere)
        env.put("OFFBOARD_PERSON_WRITES_PER_HOUR", "1000");
        env.put("OFFBOARD_AWS_REGION", stack.clientProperties().get("AWS_REGION"));
        env.put("AWS_ACCESS_KEY_ID", stack.clientProperties().get("AWS_ACCESS_KEY_ID"));
        env.put("AWS_SECRET_ACCESS_KEY", stack.clientProperties().get("AWS_SECRET_ACCESS_KEY"));
        serve = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private WebhookSender sender() {
        return new WebhookSender(URI.create("http://127.0.0.1:" + port + "/github/webhook"), SECRET);
    }

    private DeliveryStore deliveries() {
        return new DeliveryStore(stack.dynamo(), new BotTables(BotTables.DEFAULT_PREFIX), Clock.systemUTC(), null);
    }

    @Test
    void deliveriesAcceptedBeforeASigkillAreAllHandledOnceAfterTheRestart() throws Exception {
        startServe("first");
        OpenedIssue issue = github.openIssue(REPO, "ops-olivia", "Eviction: acme",
                BotFixture.form("acme", "@alice", "2099-01-15", "GPUs"), List.of("eviction"));
        assertThat(sender().send(issue.webhook().event(), issue.webhook().deliveryId(), issue.webhook().json()))
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> github.comments(REPO, issue.number()).size() == 1);

        // GitHub slows down: the burst is accepted in milliseconds, handling it takes seconds
        github.server().setGlobalFixedDelay(300);
        List<PostedComment> burst = new ArrayList<>();
        Map<String, Long> deliveryToComment = new HashMap<>();
        for (int i = 0; i < BURST; i++) {
            PostedComment c = github.comment(REPO, issue.number(), "alice", "/help " + i);
            burst.add(c);
            deliveryToComment.put(c.webhook().deliveryId(), c.id());
            assertThat(sender().send(c.webhook().event(), c.webhook().deliveryId(), c.webhook().json())).isEqualTo(202);
        }
        serve.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no graceful stop
        List<String> notYetDone = deliveryToComment.keySet().stream()
                .filter(id -> !deliveries().status(id).orElse("").equals("done")).toList();
        assertThat(notYetDone).as("the kill came while deliveries were still being handled").isNotEmpty();

        github.server().setGlobalFixedDelay(0);
        startServe("second");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                deliveryToComment.keySet().stream().allMatch(id -> deliveries().status(id).orElse("").equals("done")));

        List<Comment> thread = github.comments(REPO, issue.number());
        for (PostedComment c : burst) {
            List<Comment> replies = thread.stream().filter(t -> t.author().equals(github.botLogin())
                    && t.body().contains("<!-- offboard:reply " + c.id() + " ")).toList();
            assertThat(replies).as("one /help reply to comment %s", c.id()).hasSize(1);
            Comment mine = thread.stream().filter(t -> t.id() == c.id()).findFirst().orElseThrow();
            assertThat(mine.reactions()).as("reactions on comment %s", c.id()).containsExactly("eyes", "rocket");
        }
        long posts = github.writes().stream().filter(w -> w.method().equals("POST")
                && w.path().equals("/repos/" + REPO + "/issues/" + issue.number() + "/comments")).count();
        assertThat(posts).as("status comment + one reply per command, never a second post").isEqualTo(1 + BURST);
        assertThat(new File(logs.resolve("second.log").toString())).exists();
    }
}
