package io.offboard.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.offboard.bot.status.StatusRenderer;
import io.offboard.bot.webhook.SignatureVerifier;
import io.offboard.bot.webhook.WebhookSender;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.local.demo.LocalBot;
import io.offboard.local.demo.SimulatedClock;
import io.offboard.local.github.Comment;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.github.OpenedIssue;
import io.offboard.local.github.PostedComment;
import io.offboard.local.github.Webhook;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import io.offboard.local.support.BotFixture;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The bot end to end on real parts: HTTP with real HMAC signatures, DynamoDB Local for its state, and the
 * GitHub stand-in on WireMock whose request journal shows every call the bot made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookEndToEndTest {

    private static final String REPO = "platform/infra";
    private static final String CURRENT_SECRET = "current-secret";
    private static final String PREVIOUS_SECRET = "previous-secret";
    private static final String OPERATOR = "ops-olivia";
    private static final String TEAM_OPERATOR = "ops-sam";
    private static final String OWNER = "alice";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger tenants = new AtomicInteger();
    private SimulatedClock clock;
    private EmbeddedStack stack;
    private GitHubStandIn github;
    private LocalBot bot;
    private WebhookSender sender;
    private EvictionStore evictions;

    @BeforeAll
    void start() {
        clock = new SimulatedClock(Instant.parse("2026-12-01T09:00:00Z"));
        stack = EmbeddedStack.start(StackOptions.inMemory());
        DemoPlatform.seed(stack.dynamo(), stack.s3());
        github = GitHubStandIn.start(0, clock);
        github.addRepository(REPO);
        List.of(OPERATOR, TEAM_OPERATOR, OWNER, "bob", "mallory").forEach(github::addUser);
        github.addTeam("platform", "sre", TEAM_OPERATOR);
        bot = LocalBot.start(stack, github.apiUrl(), List.of(CURRENT_SECRET, PREVIOUS_SECRET),
                List.of(OPERATOR, "@platform/sre"), clock, 0, Map.of());
        sender = new WebhookSender(bot.webhookUrl(), CURRENT_SECRET);
        evictions = new EvictionStore(stack.dynamo(), new BotTables(BotTables.DEFAULT_PREFIX));
    }

    @AfterAll
    void stop() {
        bot.close();
        github.close();
        stack.close();
    }

    @BeforeEach
    void clearJournal() {
        github.server().resetRequests();
    }

    // ---- signatures and what is never processed

    @Test
    void anUnsignedDeliveryIsRefusedWith401AndChangesNothing() throws Exception {
        OpenedIssue issue = openEviction(newTenant());
        github.server().resetRequests();

        HttpResponse<String> response = post(issue.webhook(), null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("missing X-Hub-Signature-256");
        bot.awaitIdle();
        assertThat(github.server().getAllServeEvents()).isEmpty();
        assertThat(evictions.find(new EvictionId(REPO, issue.number()))).isEmpty();
    }

    @Test
    void aDeliverySignedWithAnUnknownSecretOrTamperedWithIsRefused() throws Exception {
        OpenedIssue issue = openEviction(newTenant());
        github.server().resetRequests();

        HttpResponse<String> wrongSecret = post(issue.webhook(), issue.webhook().signature256("attacker"));
        String genuine = issue.webhook().signature256(CURRENT_SECRET);
        Webhook tampered = new Webhook(issue.webhook().event(), issue.webhook().deliveryId(),
                issue.webhook().json().replace("\"Eviction", "\"Evicted"));
        HttpResponse<String> tamperedBody = post(tampered, genuine);

        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(tamperedBody.statusCode()).isEqualTo(401);
        bot.awaitIdle();
        assertThat(github.server().getAllServeEvents()).isEmpty();
        assertThat(evictions.find(new EvictionId(REPO, issue.number()))).isEmpty();
    }

    @Test
    void aDeliverySignedWithTheRotatedSecondSecretIsAccepted() throws Exception {
        OpenedIssue issue = openEviction(newTenant());

        HttpResponse<String> response = post(issue.webhook(), issue.webhook().signature256(PREVIOUS_SECRET));

        assertThat(response.statusCode()).isEqualTo(202);
        bot.awaitIdle();
        assertThat(evictions.find(new EvictionId(REPO, issue.number()))).map(Eviction::state)
                .contains(EvictionState.NOTICE);
    }

    @Test
    void aBodyOver25MiBIsRefusedWith413() throws Exception {
        byte[] body = new byte[25 * 1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(bot.webhookUrl())
                .header("X-GitHub-Event", "issues")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", SignatureVerifier.sign(CURRENT_SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(github.server().getAllServeEvents()).isEmpty();
    }

    @Test
    void eventsTheBotDoesNotHandleAreAcknowledgedWithoutAnyGitHubCall() throws Exception {
        String anything = "{\"action\":\"created\",\"sender\":{\"login\":\"alice\",\"type\":\"User\"}}";

        assertThat(sender.send("ping", UUID.randomUUID().toString(), "{\"zen\":\"Keep it logically awesome.\"}"))
                .isEqualTo(202);
        assertThat(sender.send("star", UUID.randomUUID().toString(), anything)).isEqualTo(202);
        assertThat(sender.send("pull_request", UUID.randomUUID().toString(), anything)).isEqualTo(202);
        // an issue without the eviction label, and a comment without a command
        OpenedIssue unlabelled = github.openIssue(REPO, OPERATOR, "Disk alert", form(newTenant()), List.of());
        assertThat(send(unlabelled.webhook())).isEqualTo(202);
        PostedComment chatter = github.comment(REPO, unlabelled.number(), OWNER, "thanks, looking");
        github.server().resetRequests();
        assertThat(send(chatter.webhook())).isEqualTo(202);
        bot.awaitIdle();

        assertThat(github.server().getAllServeEvents()).isEmpty();
    }

    @Test
    void eventsSentByBotsAreIgnored() throws Exception {
        OpenedIssue issue = openEviction(newTenant());
        send(issue.webhook());
        bot.awaitIdle();
        PostedComment fromApp = github.comment(REPO, issue.number(), OWNER, "/status");
        ObjectNode payload = (ObjectNode) json.readTree(fromApp.webhook().json());
        for (String field : List.of("sender")) {
            ((ObjectNode) payload.get(field)).put("login", "other-app[bot]").put("type", "Bot");
        }
        ((ObjectNode) payload.get("comment").get("user")).put("login", "other-app[bot]").put("type", "Bot");
        github.server().resetRequests();

        assertThat(sender.send("issue_comment", UUID.randomUUID().toString(), json.writeValueAsString(payload)))
                .isEqualTo(202);
        bot.awaitIdle();

        assertThat(github.server().getAllServeEvents()).isEmpty();
    }

    // ---- intake

    @Test
    void anAcceptedEvictionGetsExactlyOneStatusComment() throws Exception {
        String tenant = newTenant();
        OpenedIssue issue = openEviction(tenant);

        send(issue.webhook());
        bot.awaitIdle();

        List<String> writes = writes();
        assertThat(writes).containsExactly("POST /repos/platform/infra/issues/" + issue.number() + "/comments");
        String body = requestBodies().get(0);
        assertThat(body).contains(StatusRenderer.MARKER)
                .contains("Eviction of `" + tenant + "` · Phase A")
                .contains("| **Capability owner(s)** | @alice, @bob |")
                .contains("| **Eviction date** | 2027-01-15")
                .contains("| **Deletion date** | 2027-02-14 00:00 UTC")
                .contains("```mermaid\\ngantt")
                .contains("| `/status` | owners and operators |");
        Eviction stored = evictions.find(new EvictionId(REPO, issue.number())).orElseThrow();
        assertThat(stored.state()).isEqualTo(EvictionState.NOTICE);
        assertThat(stored.owners()).containsExactly("alice", "bob");
        assertThat(stored.statusCommentId()).isPresent();
        assertThat(reads()).allMatch(r -> r.startsWith("GET /repos/platform/infra") || r.startsWith("GET /users/")
                || r.startsWith("GET /orgs/") || r.startsWith("GET /organizations/"));
    }

    @Test
    void anInvalidFormGetsOneCommentListingEveryProblemAndAnEditTurnsThatCommentIntoTheStatus() throws Exception {
        String tenant = newTenant();
        OpenedIssue issue = github.openIssue(REPO, OPERATOR, "Eviction: " + tenant,
                BotFixture.form("no such tenant!", "@alice, @ghost", "2027-02-30", "_No response_"), List.of("eviction"));

        send(issue.webhook());
        bot.awaitIdle();

        assertThat(writes()).containsExactly("POST /repos/platform/infra/issues/" + issue.number() + "/comments");
        Comment problems = github.comments(REPO, issue.number()).get(0);
        assertThat(problems.body()).contains("has 4 problems")
                .contains("tenant orgcode `no such tenant!` is not an orgcode")
                .contains("eviction date `2027-02-30` is not a date; use YYYY-MM-DD")
                .contains("reason is missing")
                .contains("`@ghost` not found on GitHub");
        assertThat(evictions.find(new EvictionId(REPO, issue.number()))).map(Eviction::state)
                .contains(EvictionState.INVALID);

        github.server().resetRequests();
        clock.advance(Duration.ofMinutes(5));
        send(github.editIssueBody(REPO, issue.number(), OPERATOR, form(tenant)));
        bot.awaitIdle();

        assertThat(writes()).containsExactly("PATCH /repos/platform/infra/issues/comments/" + problems.id());
        List<Comment> comments = github.comments(REPO, issue.number());
        assertThat(comments).hasSize(1);
        assertThat(comments.get(0).body()).contains("Eviction of `" + tenant + "` · Phase A")
                .doesNotContain("not accepted yet").doesNotContain("the eviction form has");
        assertThat(evictions.find(new EvictionId(REPO, issue.number()))).map(Eviction::state)
                .contains(EvictionState.NOTICE);
    }

    @Test
    void anOperatorThroughATeamMayFileAndANonOperatorGetsNoComment() throws Exception {
        OpenedIssue byTeam = github.openIssue(REPO, TEAM_OPERATOR, "Eviction", form(newTenant()), List.of("eviction"));
        OpenedIssue byOwner = github.openIssue(REPO, OWNER, "Eviction", form(newTenant()), List.of("eviction"));

        send(byTeam.webhook());
        send(byOwner.webhook());
        bot.awaitIdle();

        assertThat(evictions.find(new EvictionId(REPO, byTeam.number()))).map(Eviction::state)
                .contains(EvictionState.NOTICE);
        // no record, no comment (no problems list telling a stranger which tenants exist): one confused reaction
        assertThat(evictions.find(new EvictionId(REPO, byOwner.number()))).isEmpty();
        assertThat(github.comments(REPO, byOwner.number())).isEmpty();
    }

    @Test
    void aSecondOpenEvictionOfTheSameTenantIsRejected() throws Exception {
        String tenant = newTenant();
        OpenedIssue first = openEviction(tenant);
        OpenedIssue second = openEviction(tenant);

        send(first.webhook());
        bot.awaitIdle();
        send(second.webhook());
        bot.awaitIdle();

        assertThat(github.comments(REPO, second.number()).get(0).body())
                .contains("tenant `" + tenant + "` already has an open eviction in " + REPO + "#" + first.number());
    }

    // ---- dedupe

    @Test
    void theSameDeliveryThriceAndAnEditedCommentGiveOneStatusCommentAndOneReactionSet() throws Exception {
        OpenedIssue issue = openEviction(newTenant());
        send(issue.webhook());
        send(issue.webhook());
        send(issue.webhook());
        bot.awaitIdle();
        assertThat(github.comments(REPO, issue.number())).hasSize(1);

        PostedComment status = github.comment(REPO, issue.number(), OWNER, "Checking in.\n/status");
        github.server().resetRequests();
        send(status.webhook());
        send(status.webhook());
        send(status.webhook());
        send(github.editComment(REPO, status.id(), OWNER, "Checking in (typo fixed).\n/status"));
        bot.awaitIdle();

        // /status found the status comment already up to date: only the two reactions are written
        assertThat(writes()).containsExactly(
                "POST /repos/platform/infra/issues/comments/" + status.id() + "/reactions",
                "POST /repos/platform/infra/issues/comments/" + status.id() + "/reactions");
        assertThat(requestBodies()).containsExactly("{\"content\":\"eyes\"}", "{\"content\":\"rocket\"}");
        assertThat(github.comments(REPO, issue.number())).hasSize(2);
        assertThat(github.comments(REPO, issue.number()).get(1).reactions()).containsExactly("eyes", "rocket");
    }

    // ---- commands

    @Test
    void anUnknownCommandGetsTheShortHelpAndAConfusedReaction() throws Exception {
        OpenedIssue issue = acceptedEviction();
        PostedComment typo = github.comment(REPO, issue.number(), OWNER, "/exprot parquet");
        github.server().resetRequests();

        send(typo.webhook());
        bot.awaitIdle();

        assertThat(writes()).containsExactly(
                "POST /repos/platform/infra/issues/comments/" + typo.id() + "/reactions",
                "POST /repos/platform/infra/issues/" + issue.number() + "/comments",
                "POST /repos/platform/infra/issues/comments/" + typo.id() + "/reactions");
        assertThat(requestBodies().get(0)).isEqualTo("{\"content\":\"eyes\"}");
        assertThat(requestBodies().get(1)).contains("I don't know the command `/exprot parquet`")
                .contains("| `/help` |").contains("| `/status` |");
        assertThat(requestBodies().get(2)).isEqualTo("{\"content\":\"confused\"}");
    }

    @Test
    void someoneWhoIsNeitherOwnerNorOperatorIsRefusedPolitely() throws Exception {
        OpenedIssue issue = acceptedEviction();
        PostedComment outsider = github.comment(REPO, issue.number(), "mallory", "> /status\n/status");
        github.server().resetRequests();

        send(outsider.webhook());
        bot.awaitIdle();

        // a confused reaction and one refusal that names no command and quotes nothing
        assertThat(writes()).hasSize(2);
        assertThat(requestBodies().get(0)).isEqualTo("{\"content\":\"confused\"}");
        assertThat(requestBodies().get(1)).contains("@mallory, only the capability owners")
                .doesNotContain("/status");
    }

    @Test
    void helpListsEveryCommandWithWhoMayRunIt() throws Exception {
        OpenedIssue issue = acceptedEviction();
        PostedComment help = github.comment(REPO, issue.number(), OPERATOR, "/help");
        github.server().resetRequests();

        send(help.webhook());
        bot.awaitIdle();

        assertThat(writes()).containsExactly(
                "POST /repos/platform/infra/issues/comments/" + help.id() + "/reactions",
                "POST /repos/platform/infra/issues/" + issue.number() + "/comments",
                "POST /repos/platform/infra/issues/comments/" + help.id() + "/reactions");
        assertThat(requestBodies().get(1)).contains("@ops-olivia, these are the commands")
                .contains("| `/help` | owners and operators |")
                .contains("| `/status` | owners and operators |");
        assertThat(requestBodies().get(2)).isEqualTo("{\"content\":\"rocket\"}");
    }

    @Test
    void statusRefreshesTheCommentWhenTheRecordChangedBehindIt() throws Exception {
        OpenedIssue issue = acceptedEviction();
        EvictionId id = new EvictionId(REPO, issue.number());
        Eviction stored = evictions.find(id).orElseThrow();
        // the comment was edited by someone else since: the stored digest no longer matches what /status renders
        stack.dynamo().updateItem(b -> b.tableName(new BotTables(BotTables.DEFAULT_PREFIX).evictions())
                .key(Map.of("eviction_id", AttributeValue.fromS(id.toString())))
                .updateExpression("SET status_comment_digest = :d")
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromS("stale"))));
        PostedComment refresh = github.comment(REPO, issue.number(), OWNER, "/status");
        github.server().resetRequests();

        send(refresh.webhook());
        bot.awaitIdle();

        assertThat(writes()).containsExactly(
                "POST /repos/platform/infra/issues/comments/" + refresh.id() + "/reactions",
                "PATCH /repos/platform/infra/issues/comments/" + stored.statusCommentId().orElseThrow(),
                "POST /repos/platform/infra/issues/comments/" + refresh.id() + "/reactions");
        assertThat(github.comments(REPO, issue.number())).hasSize(2);
    }

    // ---- replay

    @Test
    void replaySignsAndPostsADirectoryOfRecordedDeliveriesInNameOrder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String tenant = newTenant();
        OpenedIssue issue = openEviction(tenant);
        PostedComment help = github.comment(REPO, issue.number(), OWNER, "/help");
        java.nio.file.Files.writeString(dir.resolve("01-issues.opened.json"), issue.webhook().json());
        // the second file names its event in a headers file instead of its name
        java.nio.file.Files.writeString(dir.resolve("02-owner-asks.json"), help.webhook().json());
        java.nio.file.Files.writeString(dir.resolve("02-owner-asks.headers"),
                "X-GitHub-Event: issue_comment\nX-GitHub-Delivery: recorded-" + UUID.randomUUID() + "\n");
        github.server().resetRequests();

        int exit = io.offboard.bot.cli.OffboardCli.commandLine().execute(
                "replay", dir.toString(), "--url", bot.webhookUrl().toString(), "--secret", PREVIOUS_SECRET);
        bot.awaitIdle();

        assertThat(exit).isZero();
        assertThat(writes()).containsExactly(
                "POST /repos/platform/infra/issues/" + issue.number() + "/comments",
                "POST /repos/platform/infra/issues/comments/" + help.id() + "/reactions",
                "POST /repos/platform/infra/issues/" + issue.number() + "/comments",
                "POST /repos/platform/infra/issues/comments/" + help.id() + "/reactions");
        assertThat(github.comments(REPO, issue.number())).filteredOn(c -> c.author().equals(github.botLogin()))
                .extracting(Comment::body).first().asString().contains("Eviction of `" + tenant + "`");
    }

    @Test
    void replayWithAWrongSecretReportsTheRefusalsAndExitsNonZero(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        OpenedIssue issue = openEviction(newTenant());
        java.nio.file.Files.writeString(dir.resolve("01-issues.opened.json"), issue.webhook().json());
        github.server().resetRequests();

        int exit = io.offboard.bot.cli.OffboardCli.commandLine().execute(
                "replay", dir.toString(), "--url", bot.webhookUrl().toString(), "--secret", "wrong");
        bot.awaitIdle();

        assertThat(exit).isEqualTo(1);
        assertThat(github.requests()).extracting(GitHubStandIn.Request::line).isEmpty();
    }

    // ---- helpers

    private List<String> writes() {
        return github.writes().stream().map(GitHubStandIn.Request::line).toList();
    }

    private List<String> reads() {
        return github.requests().stream().filter(GitHubStandIn.Request::isRead).map(GitHubStandIn.Request::line)
                .toList();
    }

    private List<String> requestBodies() {
        return github.writes().stream().map(GitHubStandIn.Request::body).toList();
    }

    private String newTenant() {
        String tenant = "tenant" + tenants.incrementAndGet();
        stack.dynamo().putItem(b -> b.tableName("uas_orgs").item(Map.of(
                "orgcode", AttributeValue.fromS(tenant),
                "caption", AttributeValue.fromS("Test tenant " + tenant))));
        return tenant;
    }

    private static String form(String tenant) {
        return BotFixture.form(tenant, "@alice, @bob", "2027-01-15", "needs GPU nodes");
    }

    private OpenedIssue openEviction(String tenant) {
        return github.openIssue(REPO, OPERATOR, "Eviction: " + tenant, form(tenant), List.of("eviction"));
    }

    private OpenedIssue acceptedEviction() throws Exception {
        OpenedIssue issue = openEviction(newTenant());
        send(issue.webhook());
        bot.awaitIdle();
        return issue;
    }

    private int send(Webhook webhook) throws Exception {
        return sender.send(webhook.event(), webhook.deliveryId(), webhook.json());
    }

    private HttpResponse<String> post(Webhook webhook, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(bot.webhookUrl())
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", webhook.event())
                .header("X-GitHub-Delivery", webhook.deliveryId())
                .POST(HttpRequest.BodyPublishers.ofString(webhook.json(), StandardCharsets.UTF_8));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }






}
