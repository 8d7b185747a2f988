package io.offboard.local.bot;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.store.ExportStore;
import io.offboard.local.demo.LocalBot;
import io.offboard.local.demo.SignInClient;
import io.offboard.local.demo.SimulatedClock;
import io.offboard.local.github.Comment;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.github.PostedComment;
import io.offboard.local.github.Webhook;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.support.BotFixture;
import io.offboard.local.support.ExportComment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** {@code /export} on an eviction issue, end to end on the embedded stack and the GitHub stand-in. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExportCommandEndToEndTest {

    private static final String REPO = "platform/infra";
    private static final String SECRET = "export-test-secret";

    private final HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private BotFixture f;
    private EmbeddedStack stack;
    private GitHubStandIn github;
    private LocalBot bot;
    private ExportStore exports;
    private int issue;
    private SimulatedClock clock;

    @BeforeAll
    void start() throws Exception {
        f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), SECRET, List.of("alice", "mallory"));
        clock = f.clock;
        stack = f.stack;
        github = f.github;
        bot = f.bot;
        exports = f.exports();
        issue = f.file("acme", "@alice", "2027-01-15");
    }

    @AfterAll
    void stop() {
        f.close();
    }

    @BeforeEach
    void clearJournal() {
        github.server().resetRequests();
    }

    @Test
    @Order(1)
    void exportRepliesWithAnEstimateThenEditsInTheArchiveItsChecksumSizeAndDownloadLink(@TempDir Path dir)
            throws Exception {
        PostedComment command = github.comment(REPO, issue, "alice", "/export");
        github.server().resetRequests();

        send(command.webhook());

        List<String> writes = writes();
        assertThat(writes.get(0)).isEqualTo("POST /repos/platform/infra/issues/comments/" + command.id() + "/reactions");
        assertThat(writes.get(1)).isEqualTo("POST /repos/platform/infra/issues/" + issue + "/comments");
        assertThat(bodies().get(1)).contains("exporting `acme` as **jsonl** (gzip)").contains("Estimate: about **70 items**");
        assertThat(writes.get(writes.size() - 2)).startsWith("PATCH /repos/platform/infra/issues/comments/");
        assertThat(writes.get(writes.size() - 1))
                .isEqualTo("POST /repos/platform/infra/issues/comments/" + command.id() + "/reactions");
        assertThat(bodies().get(bodies().size() - 1)).isEqualTo("{\"content\":\"rocket\"}");

        String result = exportComment().body();
        assertThat(result).contains("the export of `acme` is ready").contains("| evt | 40 | 4 |");
        assertThat(allBotText()).doesNotContain("X-Amz-Signature").doesNotContain("X-Amz-Credential");

        // the link is the bot's: a page until the owner signs in, then a short-lived presigned URL whose bytes match
        ExportComment export = ExportComment.of(result);
        HttpResponse<String> page = noRedirects.send(HttpRequest.newBuilder(export.link()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Sign in with GitHub").doesNotContain("X-Amz-");
        Path archive = dir.resolve("archive.tar.gz");
        SignInClient.Outcome download = new SignInClient(bot.url().toString(), github.webUrl())
                .open(export.link(), "alice", archive);
        String location = download.last().location().orElseThrow();
        assertThat(location).contains("X-Amz-Expires=300").contains("X-Amz-Signature=");
        assertThat(ExportComment.sha256Of(archive)).isEqualTo(export.sha256());
        assertThat(Files.size(archive)).isEqualTo(Long.parseLong(export.bytes()));
    }

    @Test
    @Order(2)
    void aNewExportReplacesThePreviousArchive() throws Exception {
        String firstId = exports.latest("acme").orElseThrow();
        ExportJob first = exports.find(firstId).orElseThrow();

        send(github.comment(REPO, issue, "alice", "/export parquet zstd").webhook());

        ExportJob second = exports.find(exports.latest("acme").orElseThrow()).orElseThrow();
        assertThat(second.exportId()).isNotEqualTo(firstId);
        assertThat(second.archiveName().orElseThrow()).endsWith(".tar.zst");
        org.junit.jupiter.api.Assertions.assertThrows(NoSuchKeyException.class, () -> stack.s3().headObject(b -> b
                .bucket("offboard-exports").key(first.archiveKey().orElseThrow())));
        HttpResponse<String> gone = noRedirects.send(HttpRequest.newBuilder(
                bot.url().resolve("/exports/" + firstId + "/download")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.body()).contains("Run <code>/export</code> again");
    }

    @Test
    @Order(3)
    void aSecondExportWhileOneRunsPointsAtTheRunningOne() throws Exception {
        ExportJob running = exports.start(ExportJob.requested("running-1", "acme", Optional.empty(), "jsonl", "gzip",
                "alice", Instant.now(), Instant.now(), false));
        try {
            PostedComment again = github.comment(REPO, issue, "alice", "/export");
            github.server().resetRequests();
            send(again.webhook());

            assertThat(bodies()).anyMatch(b -> b.contains("an export of `acme` is already running"));
            assertThat(bodies().get(bodies().size() - 1)).isEqualTo("{\"content\":\"confused\"}");
        } finally {
            exports.update(running, running.failed("test over", io.offboard.lifecycle.export.FailureCause.REQUEST,
                    Instant.now()));
        }
    }

    @Test
    @Order(4)
    void unknownOptionsAreRefusedWithTheWayToWriteThem() throws Exception {
        send(github.comment(REPO, issue, "alice", "/export csv").webhook());

        assertThat(bodies()).anyMatch(b -> b.contains("`csv` is neither a format (jsonl, parquet) nor a compression"));
    }

    @Test
    @Order(6)
    void aTableTheRegistryDoesNotCoverFailsTheExportAsAPlatformFailureNamingIt() throws Exception {
        stack.dynamo().createTable(b -> b.tableName("loyalty_points")
                .billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("orgcode")
                        .attributeType(software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("orgcode").keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.HASH)));
        try {
            PostedComment command = github.comment(REPO, issue, "alice", "/export");
            github.server().resetRequests();
            send(command.webhook());

            Comment reply = github.comments(REPO, issue).stream().filter(c -> c.body().contains("**failed**"))
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(reply.body()).contains("table `loyalty_points`").contains("failure on the platform's side");
            assertThat(bodies()).contains("{\"content\":\"confused\"}");
            assertThat(exports.running("acme")).as("the failed export released the tenant").isEmpty();
            // seed 003: a platform-side failure pauses the deletion countdown, and the issue is told so
            assertThat(github.comments(REPO, issue)).anyMatch(c -> c.body().contains("countdown of `acme` is paused")
                    && c.body().contains("loyalty_points"));
            // recorded as a platform-side failure, so the lifecycle can pause the retention countdown
            var recorded = stack.dynamo().scan(b -> b.tableName("offboard_exports")
                    .filterExpression("failure_cause = :p AND contains(failure, :t)")
                    .expressionAttributeValues(Map.of(
                            ":p", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("PLATFORM"),
                            ":t", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("loyalty_points"))))
                    .items();
            assertThat(recorded).hasSize(1);
            assertThat(recorded.get(0).get("status").s()).isEqualTo("FAILED");
        } finally {
            stack.dynamo().deleteTable(b -> b.tableName("loyalty_points"));
        }
    }

    @Test
    @Order(7)
    void anExportWhoseWorkerDiedIsTakenOverAndFinished() throws Exception {
        PostedComment command = github.comment(REPO, issue, "alice", "/export jsonl zstd");
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(github.apiUrl() + "/repos/" + REPO + "/issues/" + issue + "/comments"))
                .header("Authorization", "token " + LocalBot.GITHUB_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"@alice, exporting `acme` (estimate ...)\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        long reply = Long.parseLong(posted.body().replaceAll("(?s).*?\"id\":(\\d+).*", "$1"));
        // the worker that started this export died an hour ago: the record says running, nobody works on it
        Instant anHourAgo = clock.instant().minus(Duration.ofHours(1));
        ExportJob orphan = exports.start(ExportJob.requested("orphan-1", "acme",
                Optional.of(new io.offboard.lifecycle.eviction.EvictionId(REPO, issue)), "jsonl", "zstd", "alice",
                anHourAgo, anHourAgo, false).withComments(command.id(), reply));
        var runner = bot.context().getBean(io.offboard.bot.export.ExportRunner.class);
        github.server().resetRequests();

        assertThat(runner.resumeAbandoned(Duration.ofMinutes(10))).isEqualTo(1);
        bot.awaitIdle();

        ExportJob finished = exports.find(orphan.exportId()).orElseThrow();
        assertThat(finished.status()).isEqualTo(io.offboard.lifecycle.export.ExportStatus.EXPORTED);
        Comment edited = github.comments(REPO, issue).stream().filter(c -> c.id() == reply).findFirst().orElseThrow();
        assertThat(edited.body()).contains("the export of `acme` is ready").contains(finished.sha256().orElseThrow());
        assertThat(github.comments(REPO, issue).stream().filter(c -> c.id() == command.id()).findFirst().orElseThrow()
                .reactions()).contains("rocket");
        assertThat(runner.resumeAbandoned(Duration.ofMinutes(10))).as("nothing left to take over").isZero();
    }

    @Test
    @Order(5)
    void anArchivePastItsExpiryIsDeletedAndItsLinkAnswersGone() throws Exception {
        ExportJob latest = exports.find(exports.latest("acme").orElseThrow()).orElseThrow();
        String key = latest.archiveKey().orElseThrow();
        var cleaner = bot.context().getBean(io.offboard.bot.export.ExpiredArchiveCleaner.class);
        assertThat(cleaner.deleteExpired()).as("nothing is due before the expiry").isZero();

        clock.advance(Duration.ofHours(24).plusMinutes(1));

        assertThat(cleaner.deleteExpired()).isEqualTo(1);
        org.junit.jupiter.api.Assertions.assertThrows(NoSuchKeyException.class,
                () -> stack.s3().headObject(b -> b.bucket("offboard-exports").key(key)));
        HttpResponse<String> gone = noRedirects.send(HttpRequest.newBuilder(
                bot.url().resolve("/exports/" + latest.exportId() + "/download")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).isEqualTo(410);
    }

    @Test
    @Order(8)
    void anExportThatCouldNotBeAnnouncedDoesNotHoldTheTenant() throws Exception {
        StubMapping postsFail = github.server().stubFor(post(urlPathMatching("/repos/.*/issues/\\d+/comments"))
                .atPriority(1).willReturn(aResponse().withStatus(500)));
        try {
            send(github.comment(REPO, issue, "alice", "/export").webhook());
        } finally {
            github.server().removeStub(postsFail);
        }
        assertThat(exports.running("acme")).as("the tenant is not left claimed").isEmpty();

        long readyBefore = readyComments();
        send(github.comment(REPO, issue, "alice", "/export").webhook());
        assertThat(readyComments()).as("the next /export runs").isEqualTo(readyBefore + 1);
    }

    private long readyComments() {
        return github.comments(REPO, issue).stream().filter(c -> c.body().contains("is ready")).count();
    }

    // ---- helpers

    private void send(Webhook webhook) throws Exception {
        f.send(webhook);
    }

    private Comment exportComment() {
        List<Comment> comments = github.comments(REPO, issue);
        return comments.stream().filter(c -> c.author().equals(github.botLogin()) && c.body().contains("is ready"))
                .reduce((a, b) -> b).orElseThrow();
    }

    private String allBotText() {
        StringBuilder text = new StringBuilder();
        github.comments(REPO, issue).forEach(c -> text.append(c.body()));
        return text.toString();
    }




    private List<String> writes() {
        return github.writes().stream().map(GitHubStandIn.Request::line).toList();
    }

    private List<String> bodies() {
        return github.writes().stream().map(GitHubStandIn.Request::body).toList();
    }
}
