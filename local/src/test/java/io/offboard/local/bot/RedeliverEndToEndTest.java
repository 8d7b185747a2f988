package io.offboard.local.bot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.github.HookDelivery;
import io.offboard.local.github.OpenedIssue;
import io.offboard.local.github.Webhook;
import io.offboard.local.support.BotFixture;
import io.offboard.local.support.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code offboard redeliver} on real parts: the stand-in's GitHub delivers the App's events to the bot (token auth,
 * as {@link BotFixture} runs it) and logs every attempt; the command, with App credentials of its own (an RSA key made
 * here, its JWT on {@code /app/hook/deliveries}), asks GitHub to redeliver exactly the events with no successful
 * attempt, and the bot then handles them. Each test leaves no failed delivery behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedeliverEndToEndTest {

    private static final String SECRET = "redeliver-secret";
    private static final String REPO = BotFixture.REPO;
    private static final String APP_ID = "4242";

    private BotFixture f;
    private Instant start;
    private Path keyFile;
    private String pem;

    @BeforeAll
    void start() throws Exception {
        // the command reads GitHub's delivered_at against the real clock: the stand-in's clock starts at real now
        start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        f = new BotFixture(start, SECRET, List.of("alice"));
        f.github.configureAppWebhook(f.bot.webhookUrl(), SECRET);
        var keys = KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        keyFile = Files.createTempFile("offboard-app-", ".pem");
        Files.writeString(keyFile, pem);
    }

    @AfterAll
    void stop() throws Exception {
        f.close();
        Files.deleteIfExists(keyFile);
    }

    @Test
    void onlyTheEventWithNoSuccessfulAttemptIsAskedForAgainAndTheBotThenHandlesIt() throws Exception {
        // reached the bot at once
        OpenedIssue reached = file("acme");
        assertThat(f.github.deliverToApp(reached.webhook()).statusCode()).isEqualTo(202);
        f.bot.awaitIdle();
        assertThat(f.botComment(reached.number(), "Eviction of `acme`")).isNotNull();
        // filed while GitHub could not reach the bot: its only attempt failed
        OpenedIssue lost = file("globex");
        HookDelivery lostAttempt = f.github.recordFailedDelivery(lost.webhook(), 502);
        // failed, then an operator clicked "Redeliver" in the App's settings and it went through
        Webhook help = f.github.comment(REPO, reached.number(), "alice", "/help").webhook();
        HookDelivery helpFailed = f.github.recordFailedDelivery(help, 0);
        assertThat(f.github.redeliverToApp(helpFailed.id()).statusCode()).isEqualTo(202);
        f.bot.awaitIdle();
        assertThat(f.botComments(lost.number())).as("the bot never heard of it").isEmpty();
        f.github.server().resetRequests();

        CliRun run = redeliver();

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out().lines().toList()).hasSize(2);
        assertThat(run.out().lines().toList().get(0)).isEqualTo("redelivered " + lost.webhook().deliveryId()
                + " issues.opened, first delivered " + start + ", 1 failed attempt, last answered 502");
        assertThat(run.out().lines().toList().get(1))
                .startsWith("redeliver: asked GitHub to redeliver 1 of 1 failed delivery since ")
                .endsWith("(4 attempts listed)");
        assertThat(appRequests()).containsExactly("GET /app/hook/deliveries",
                "POST /app/hook/deliveries/" + lostAttempt.id() + "/attempts");
        assertThat(f.github.server().getAllServeEvents()).filteredOn(e -> e.getRequest().getUrl().startsWith("/app/"))
                .allSatisfy(e -> assertThat(e.getRequest().getHeader("Authorization")).startsWith("Bearer ey"));
        // the same GUID, answered 202 this time, and handled by the bot: the issue has its status comment
        HookDelivery redelivered = f.github.appWebhookDeliveries().get(0);
        assertThat(redelivered.guid()).isEqualTo(lost.webhook().deliveryId());
        assertThat(redelivered.redelivery()).isTrue();
        assertThat(redelivered.statusCode()).isEqualTo(202);
        assertThat(f.botComment(lost.number(), "Eviction of `globex`")).isNotNull();
        assertThat(f.eviction(lost.number()).tenant()).isEqualTo("globex");
        // the help reply went out once, from the manual redelivery; nothing asked it again
        assertThat(f.botComments(reached.number())).filteredOn(c -> c.contains("/export")).hasSizeLessThanOrEqualTo(2);

        // its redelivery has a 2xx attempt now: the next run asks for nothing
        f.github.server().resetRequests();
        CliRun again = redeliver();
        assertThat(again.exit()).isZero();
        assertThat(again.out().lines().toList()).singleElement().asString()
                .startsWith("redeliver: asked GitHub to redeliver 0 of 0 failed deliveries since ");
        assertThat(appRequests()).containsExactly("GET /app/hook/deliveries");
    }

    @Test
    void maxCapsARunAndSinceLeavesOutOlderDeliveries() throws Exception {
        int issue = f.github.openIssue(REPO, "alice", "A question", "not an eviction", List.of()).number();
        Webhook old = f.github.comment(REPO, issue, "alice", "first").webhook();
        Webhook recent = f.github.comment(REPO, issue, "alice", "second").webhook();
        Webhook newest = f.github.comment(REPO, issue, "alice", "third").webhook();
        f.github.recordFailedDelivery(old, 502, start.minus(Duration.ofHours(2)));
        f.github.recordFailedDelivery(recent, 503, start.minus(Duration.ofMinutes(30)));
        f.github.recordFailedDelivery(newest, 0);

        CliRun capped = redeliver("--since", "PT1H", "--max", "1");
        assertThat(capped.exit()).isZero();
        assertThat(redelivered(capped)).containsExactly(recent.deliveryId());
        assertThat(capped.out()).contains("asked GitHub to redeliver 1 of 2 failed deliveries")
                .contains("1 left for the next run (at most 1 per run)");

        CliRun lastHour = redeliver("--since", "PT1H");
        assertThat(redelivered(lastHour)).containsExactly(newest.deliveryId());

        // the default window is all GitHub keeps (three days): the older one is asked for now
        CliRun all = redeliver();
        assertThat(redelivered(all)).containsExactly(old.deliveryId());
        assertThat(all.out()).contains("first delivered " + start.minus(Duration.ofHours(2)));

        assertThat(redelivered(redeliver())).isEmpty();
    }

    @Test
    void withTokenAuthItSaysInOneLineThatTheApiNeedsAppAuthAndAsksNothing() {
        f.github.server().resetRequests();
        CliRun run = withProperties(Map.of("offboard.github.token", "local-token"),
                () -> CliRun.of("redeliver", "--github-api-url", f.github.apiUrl()));

        assertThat(run.exit()).isZero();
        assertThat(run.out().lines().toList()).singleElement().asString()
                .startsWith("redeliver: GitHub's redelivery API needs App auth")
                .contains("catch-up sweep");
        assertThat(f.github.requests()).isEmpty();
    }

    @Test
    void theSweepRedeliversWithAppAuthOnlyAndAFailureThereFailsNothingElse() throws Exception {
        int issue = f.github.openIssue(REPO, "alice", "Another question", "not an eviction", List.of()).number();
        Webhook lost = f.github.comment(REPO, issue, "alice", "hello?").webhook();
        f.github.recordFailedDelivery(lost, 502);

        // token auth: the sweep does its work and never asks for the App's deliveries
        f.github.server().resetRequests();
        CliRun tokenSweep = withProperties(Map.of("offboard.github.api-url", f.github.apiUrl(),
                "offboard.github.token", "local-token"), this::sweep);
        assertThat(tokenSweep.exit()).as(tokenSweep.out()).isZero();
        assertThat(tokenSweep.out()).contains("sweep: ").doesNotContain("redeliver");
        assertThat(appRequests()).isEmpty();

        // App auth, and GitHub's delivery log failing: reported, the sweep's own work and exit code untouched
        StubMapping broken = f.github.server().stubFor(get(urlPathEqualTo("/app/hook/deliveries"))
                .willReturn(aResponse().withStatus(500)));
        CliRun failing = withProperties(appAuth(), this::sweep);
        f.github.server().removeStub(broken);
        assertThat(failing.exit()).as(failing.out()).isZero();
        assertThat(failing.out()).contains("sweep: ").contains("expired archives deleted: ")
                .doesNotContain("asked GitHub to redeliver");

        // App auth: the sweep asks for it
        f.github.server().resetRequests();
        CliRun appSweep = withProperties(appAuth(), this::sweep);
        f.bot.awaitIdle();
        assertThat(appSweep.exit()).as(appSweep.out()).isZero();
        assertThat(appSweep.out()).contains("sweep: ")
                .contains("redeliver: asked GitHub to redeliver 1 of 1 failed delivery since ");
        assertThat(appRequests()).contains("POST /app/hook/deliveries/"
                + f.github.appWebhookDeliveries().get(1).id() + "/attempts");
        assertThat(f.github.appWebhookDeliveries().get(0).guid()).isEqualTo(lost.deliveryId());
        assertThat(f.github.appWebhookDeliveries().get(0).statusCode()).isEqualTo(202);
    }

    @Test
    void aRefusedJwtIsOneLineSayingWhatToCheck() throws Exception {
        StubMapping refusing = f.github.server().stubFor(get(urlPathEqualTo("/app/hook/deliveries"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"A JSON web token could not be decoded\"}")));
        CliRun run;
        try {
            run = CliRun.withStderr("redeliver", "--github-api-url", f.github.apiUrl(), "--app-id", APP_ID,
                    "--private-key-file", keyFile.toString());
        } finally {
            f.github.server().removeStub(refusing);
        }

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).startsWith("offboard redeliver: GitHub refused the App's JWT (HTTP 401): check "
                + "OFFBOARD_GITHUB_APP_ID and the private key").doesNotContain("\tat ");
    }

    // ---- helpers

    private OpenedIssue file(String tenant) {
        String date = LocalDate.ofInstant(start, ZoneOffset.UTC).plusDays(40).toString();
        return f.github.openIssue(REPO, BotFixture.OPERATOR, "Eviction: " + tenant,
                BotFixture.form(tenant, "@alice", date, "GPUs"), List.of("eviction"));
    }

    /** {@code offboard redeliver} with the App's credentials as a person would pass them; waits for the bot. */
    private CliRun redeliver(String... options) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("redeliver", "--github-api-url", f.github.apiUrl(),
                "--app-id", APP_ID, "--private-key-file", keyFile.toString()));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        f.bot.awaitIdle();
        return run;
    }

    private CliRun sweep() {
        return CliRun.of("sweep", "--dynamodb-endpoint", f.stack.dynamoEndpoint().toString(),
                "--s3-endpoint", f.stack.s3Endpoint().toString(), "--export-wait", "PT1S");
    }

    private Map<String, String> appAuth() {
        return Map.of("offboard.github.api-url", f.github.apiUrl(), "offboard.github.app-id", APP_ID,
                "offboard.github.private-key", pem, "offboard.github.installation-org", "platform");
    }

    /** The GUIDs a run printed as redelivered, in order. */
    private static List<String> redelivered(CliRun run) {
        return run.out().lines().filter(l -> l.startsWith("redelivered ")).map(l -> l.split(" ")[1]).toList();
    }

    private List<String> appRequests() {
        return f.github.requests().stream().map(GitHubStandIn.Request::line).filter(l -> l.contains(" /app/"))
                .toList();
    }

    /** Micronaut reads system properties: the settings a one-shot command sees, restored afterwards. */
    private static <T> T withProperties(Map<String, String> properties, java.util.function.Supplier<T> action) {
        Map<String, String> before = new HashMap<>();
        properties.keySet().forEach(k -> before.put(k, System.getProperty(k)));
        properties.forEach(System::setProperty);
        try {
            return action.get();
        } finally {
            before.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }
}
