package io.offboard.local.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.offboard.bot.github.AppClient;
import io.offboard.bot.github.AppHookDeliveries;
import io.offboard.bot.github.GitHubClientFactory;
import io.offboard.bot.webhook.SignatureVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GHFileNotFoundException;

/**
 * The stand-in keeps the App's webhook deliveries as GitHub does: every attempt logged with what the webhook URL
 * answered, listed newest first page by page ({@code GET /app/hook/deliveries}, Link cursor), and sent again with the
 * same GUID and a fresh signature ({@code POST /app/hook/deliveries/{id}/attempts}); both for the App's JWT only. The
 * client is the bot's own {@link AppHookDeliveries}.
 */
class AppWebhookDeliveriesTest {

    private static final String REPO = "platform/infra";
    private static final String SECRET = "app-webhook-secret";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final WireMockServer app = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private GitHubStandIn github;
    private AppHookDeliveries deliveries;

    @BeforeEach
    void start() throws Exception {
        github = GitHubStandIn.start(Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC));
        github.addRepository(REPO);
        github.addUser("ops-olivia");
        app.start();
        app.stubFor(post(urlPathEqualTo("/github/webhook")).willReturn(aResponse().withStatus(202)));
        github.configureAppWebhook(URI.create("http://localhost:" + app.port() + "/github/webhook"), SECRET);
        var keys = KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        AppClient appClient = GitHubClientFactory.appClient(github.apiUrl(), "77", keys.generateKeyPair().getPrivate());
        deliveries = new AppHookDeliveries(appClient, github.apiUrl(), 1);
    }

    @AfterEach
    void stop() {
        app.stop();
        github.close();
    }

    private Webhook opened(String title) {
        return github.openIssue(REPO, "ops-olivia", title, "body", List.of("eviction")).webhook();
    }

    @Test
    void aRedeliveryResendsTheSameEventWithTheSameGuidAndAFreshSignatureAndIsLoggedAsANewAttempt() throws Exception {
        Webhook webhook = opened("Eviction: acme");
        HookDelivery failed = github.recordFailedDelivery(webhook, 502);
        assertThat(app.getAllServeEvents()).as("a recorded failure sends nothing").isEmpty();

        deliveries.redeliver(failed.id());

        List<LoggedRequest> received = app.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(urlPathEqualTo("/github/webhook")));
        assertThat(received).hasSize(1);
        LoggedRequest sent = received.get(0);
        assertThat(sent.getHeader("X-GitHub-Delivery")).isEqualTo(webhook.deliveryId());
        assertThat(sent.getHeader("X-GitHub-Event")).isEqualTo("issues");
        assertThat(sent.getBodyAsString()).isEqualTo(webhook.json());
        // signed with the configured secret: the bot's verifier would accept it
        assertThat(sent.getHeader("X-Hub-Signature-256"))
                .isEqualTo(SignatureVerifier.sign(SECRET, webhook.json().getBytes(StandardCharsets.UTF_8)));

        List<HookDelivery> log = github.appWebhookDeliveries();
        assertThat(log).hasSize(2);
        assertThat(log.get(0).guid()).isEqualTo(webhook.deliveryId());
        assertThat(log.get(0).redelivery()).isTrue();
        assertThat(log.get(0).statusCode()).isEqualTo(202);
        assertThat(log.get(0).status()).isEqualTo("OK");
        assertThat(log.get(1)).isEqualTo(failed);
        assertThat(failed.status()).isEqualTo("Invalid HTTP Response: 502");
        // the request is in the journal like every other API call
        assertThat(github.writes()).extracting(GitHubStandIn.Request::line)
                .containsExactly("POST /app/hook/deliveries/" + failed.id() + "/attempts");

        assertThatThrownBy(() -> deliveries.redeliver(1)).isInstanceOf(GHFileNotFoundException.class);
    }

    @Test
    void theListIsNewestFirstWithGitHubsFieldsAndPagedByTheLinkHeadersCursor() throws Exception {
        HookDelivery ok = github.deliverToApp(opened("first"));
        HookDelivery failed = github.recordFailedDelivery(opened("second"), 0);
        HookDelivery third = github.recordFailedDelivery(opened("third"), 500);

        HttpResponse<String> page1 = get("/app/hook/deliveries?per_page=2", jwt());
        assertThat(page1.statusCode()).isEqualTo(200);
        JsonNode items = json.readTree(page1.body());
        assertThat(items).hasSize(2);
        assertThat(items.get(0).path("id").asLong()).isEqualTo(third.id());
        assertThat(items.get(1).path("id").asLong()).isEqualTo(failed.id());
        JsonNode item = items.get(1);
        assertThat(item.path("guid").asText()).isEqualTo(failed.guid());
        assertThat(item.path("delivered_at").asText()).isEqualTo("2026-12-02T10:00:00Z");
        assertThat(item.path("redelivery").asBoolean()).isFalse();
        assertThat(item.path("status_code").asInt()).isZero();
        assertThat(item.path("status").asText()).startsWith("We couldn't deliver this payload");
        assertThat(item.path("event").asText()).isEqualTo("issues");
        assertThat(item.path("action").asText()).isEqualTo("opened");
        assertThat(item.path("installation_id").asLong()).isEqualTo(github.installationId());
        assertThat(item.path("repository_id").isNumber()).isTrue();
        String link = page1.headers().firstValue("Link").orElseThrow();
        assertThat(link).endsWith("&cursor=v1_" + ok.id() + ">; rel=\"next\"");

        String next = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        HttpResponse<String> page2 = get(next.substring(github.apiUrl().length()), jwt());
        assertThat(json.readTree(page2.body())).extracting(n -> n.path("id").asLong()).containsExactly(ok.id());
        assertThat(page2.headers().firstValue("Link")).isEmpty();
    }

    @Test
    void theBotsClientReadsEveryPageOfTheWindowAndStopsAtItsStart() throws Exception {
        Webhook webhook = opened("busy");
        for (int i = 0; i < 230; i++) {
            github.recordFailedDelivery(webhook, 502, Instant.parse("2026-12-02T09:00:00Z").plusSeconds(i));
        }
        github.recordFailedDelivery(webhook, 502, Instant.parse("2026-11-20T09:00:00Z"));

        List<AppHookDeliveries.HookDelivery> listed = deliveries.since(Instant.parse("2026-12-01T00:00:00Z"));

        assertThat(listed).hasSize(230);
        assertThat(listed.get(0).deliveredAt()).isEqualTo(Instant.parse("2026-12-02T09:03:49Z"));
        assertThat(github.requests()).extracting(GitHubStandIn.Request::line)
                .containsExactly("GET /app/hook/deliveries", "GET /app/hook/deliveries", "GET /app/hook/deliveries");
    }

    @Test
    void aTokenIsRefusedAsGitHubDoes() throws Exception {
        github.recordFailedDelivery(opened("x"), 502);
        for (String authorization : List.of("token ghs_installation", "Bearer ghs_installation", "Bearer a.b.c")) {
            HttpResponse<String> answer = get("/app/hook/deliveries", authorization);
            assertThat(answer.statusCode()).as(authorization).isEqualTo(401);
            assertThat(json.readTree(answer.body()).path("message").asText())
                    .isEqualTo("A JSON web token could not be decoded");
        }
        HttpResponse<String> redeliver = http.send(HttpRequest.newBuilder(URI.create(github.apiUrl()
                        + "/app/hook/deliveries/81000001/attempts")).header("Authorization", "token ghs_installation")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(redeliver.statusCode()).isEqualTo(401);
        assertThat(app.getAllServeEvents()).isEmpty();
    }

    @Test
    void aWebhookUrlThatCannotBeReachedIsAFailedAttemptWithNoStatusCode() throws Exception {
        int closed = io.offboard.local.stack.EmbeddedStack.freeLoopbackPort();
        github.configureAppWebhook(URI.create("http://127.0.0.1:" + closed + "/github/webhook"), SECRET);

        HookDelivery attempt = github.deliverToApp(opened("nobody home"));

        assertThat(attempt.statusCode()).isZero();
        assertThat(attempt.succeeded()).isFalse();
        assertThat(attempt.status()).startsWith("We couldn't deliver this payload");
        assertThatThrownBy(() -> github.recordFailedDelivery(opened("y"), 202))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutTheAppsJwtTheClientAsksNothing() {
        AppHookDeliveries tokenMode = new AppHookDeliveries(AppClient.none(), github.apiUrl(), 1);

        assertThat(tokenMode.available()).isFalse();
        assertThatThrownBy(() -> tokenMode.since(Instant.EPOCH)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("need App auth");
        assertThat(github.requests()).isEmpty();
    }

    private String jwt() throws Exception {
        var keys = KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        return new org.kohsuke.github.extras.authorization.JWTTokenProvider("77", keys.generateKeyPair().getPrivate())
                .getEncodedAuthorization();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(github.apiUrl() + path)).header("Authorization", authorization)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
