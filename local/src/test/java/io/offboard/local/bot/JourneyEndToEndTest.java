package io.offboard.local.bot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.offboard.exporter.platform.TenantAccess;
import io.offboard.exporter.registry.Registry;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.bot.journey.Sweeper;
import io.offboard.local.demo.LocalBot;
import io.offboard.local.github.Comment;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.platform.PlatformWrites;
import io.offboard.local.support.BotFixture;
import io.offboard.local.support.CliRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The 30-day clock end to end on the embedded stack with a simulated clock: cutover by a sweep on the
 * eviction date (the platform refuses writes from then on), commands refused after cutover, a platform-side
 * export failure pausing the countdown, the outbox surviving GitHub 500s, concurrent sweeps acting once, the
 * legal hold, and the purge with its receipt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JourneyEndToEndTest {

    private static final String REPO = BotFixture.REPO;
    private static final Pattern SHA = Pattern.compile("\\*\\*SHA-256\\*\\* \\| `([0-9a-f]{64})`");

    private BotFixture f;
    private int acmeIssue;
    private int globexIssue;

    @BeforeAll
    void start() throws Exception {
        f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "journey-test-secret", List.of("alice", "bob"));
        acmeIssue = f.file("acme", "@alice", "2027-01-15");
        globexIssue = f.file("globex", "@bob", "2027-02-01");
    }

    @AfterAll
    void stop() {
        f.close();
    }

    @Test
    @Order(1)
    void beforeTheEvictionDateASweepDoesNothingAndTheTenantAcceptsWrites() throws Exception {
        f.clock.set(Instant.parse("2027-01-14T23:59:00Z"));
        assertThat(f.bot.sweep().actions()).isEmpty();
        new PlatformWrites(f.stack.dynamo()).put("acme", DemoPlatform.ORD_ORDERS, order("acme", "ord-live-1"));
        assertThat(f.eviction(acmeIssue).state()).isEqualTo(EvictionState.NOTICE);
    }

    @Test
    @Order(2)
    void onTheEvictionDateTheSweepFreezesTheTenantDispatchesTeardownAndAnnouncesTheDeletionTime() throws Exception {
        f.clock.set(Instant.parse("2027-01-15T00:10:00Z"));
        long revision = f.eviction(acmeIssue).revision();
        CliRun dry = CliRun.of("sweep", "--dry-run", "--at", "2027-01-15T00:10:00Z",
                "--dynamodb-endpoint", f.stack.dynamoEndpoint().toString());
        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains(REPO + "#" + acmeIssue + " (acme, notice): would cutover");
        assertThat(f.eviction(acmeIssue).revision()).as("a dry run changes nothing").isEqualTo(revision);

        assertThat(f.bot.sweep().actions()).containsExactly(REPO + "#" + acmeIssue + " cutover");

        Eviction e = f.eviction(acmeIssue);
        assertThat(e.state()).isEqualTo(EvictionState.CUTOVER);
        assertThat(e.timeline().cutoverAt()).contains(Instant.parse("2027-01-15T00:10:00Z"));
        assertThat(e.outbox()).as("every message delivered").isEmpty();
        assertThat(new TenantAccess(f.stack.dynamo(), Registry.bundled()).mode("acme")).contains(TenantAccess.EXPORT_ONLY);
        assertThatThrownBy(() -> new PlatformWrites(f.stack.dynamo()).put("acme", DemoPlatform.ORD_ORDERS,
                order("acme", "ord-after-cutover"))).isInstanceOf(PlatformWrites.TenantFrozenException.class);
        // the other tenant is untouched
        new PlatformWrites(f.stack.dynamo()).put("globex", DemoPlatform.ORD_ORDERS, order("globex", "ord-globex-1"));

        assertThat(f.github.dispatches(REPO)).singleElement().satisfies(d -> {
            assertThat(d.eventType()).isEqualTo("tenant-teardown");
            assertThat(d.clientPayload()).contains("\"tenant\":\"acme\"").contains("#" + acmeIssue);
        });
        assertThat(f.botComment(acmeIssue, "is frozen")).contains("2027-02-14 00:00 UTC").contains("2027-01-15 00:10 UTC");
        assertThat(f.github.issue(REPO, acmeIssue).labels()).contains("eviction/frozen");
        assertThat(statusComment(acmeIssue)).contains("frozen at 2027-01-15 00:10 UTC");

        assertThat(f.bot.sweep().actions()).as("a second sweep finds nothing more to do").isEmpty();
        assertThat(f.github.dispatches(REPO)).hasSize(1);
    }

    @Test
    @Order(3)
    void cancelAfterCutoverIsRefusedButBeforeCutoverItEndsTheEviction() throws Exception {
        f.comment(acmeIssue, "ops-olivia", "/cancel");
        assertThat(f.lastBotComment(acmeIssue)).contains("clock is hard").contains("2027-02-14");
        assertThat(f.eviction(acmeIssue).state()).isEqualTo(EvictionState.CUTOVER);

        f.comment(globexIssue, "bob", "/cancel");
        assertThat(f.lastBotComment(globexIssue)).contains("is for operators");
        // a sweep died between freezing the tenant and recording the cutover: the tenant is not canceled
        TenantAccess access = new TenantAccess(f.stack.dynamo(), Registry.bundled());
        access.freeze("globex", f.clock.instant(), "a sweep that died");
        f.comment(globexIssue, "ops-olivia", "/cancel");
        assertThat(f.lastBotComment(globexIssue)).contains("already export-only");
        assertThat(f.eviction(globexIssue).state()).isEqualTo(EvictionState.NOTICE);
        f.stack.dynamo().updateItem(b -> b.tableName(DemoPlatform.PLATFORM_ACCESS)
                .key(Map.of("orgcode", AttributeValue.fromS("globex")))
                .updateExpression("SET #m = :live").expressionAttributeNames(Map.of("#m", "mode"))
                .expressionAttributeValues(Map.of(":live", AttributeValue.fromS("live"))));

        f.comment(globexIssue, "ops-olivia", "/cancel");
        assertThat(f.eviction(globexIssue).state()).isEqualTo(EvictionState.CANCELED);
        assertThat(f.github.issue(REPO, globexIssue).labels()).contains("eviction/canceled");
        assertThat(f.botComment(globexIssue, "canceled the eviction")).contains("@ops-olivia");
    }

    @Test
    @Order(4)
    void twoExportsOfTheFrozenSnapshotAreIdentical() throws Exception {
        f.comment(acmeIssue, "alice", "/export");
        String first = lastSha(acmeIssue);
        f.clock.advance(Duration.ofHours(3));
        f.comment(acmeIssue, "alice", "/export");
        String second = lastSha(acmeIssue);
        assertThat(second).isEqualTo(first);
        assertThat(lastExportComment(acmeIssue)).contains("the frozen final snapshot").contains("2027-01-15 00:10 UTC");
    }

    @Test
    @Order(5)
    void aPlatformSideExportFailurePausesTheCountdownAndACleanExportResumesIt() throws Exception {
        f.clock.set(Instant.parse("2027-01-20T10:00:00Z"));
        // an unregistered table appears: the export tooling has a gap, a platform bug
        f.stack.dynamo().createTable(b -> b.tableName("ord_refunds")
                .billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("orgcode").attributeType("S"))
                .keySchema(k -> k.attributeName("orgcode").keyType("HASH")));
        // and GitHub fails to take comment edits meanwhile: the pause must be recorded all the same
        StubMapping editsFail = f.github.server().stubFor(patch(urlPathMatching("/repos/.*/issues/comments/\\d+"))
                .atPriority(1).willReturn(aResponse().withStatus(502)));
        try {
            f.comment(acmeIssue, "alice", "/export");
            Eviction paused = f.eviction(acmeIssue);
            assertThat(paused.timeline().pause()).isPresent();
            assertThat(f.botComment(acmeIssue, "countdown of `acme` is paused")).contains("ord_refunds");
        } finally {
            f.github.server().removeStub(editsFail);
        }
        f.bot.sweep();
        assertThat(statusComment(acmeIssue)).contains("Countdown paused").contains("at the earliest");

        f.clock.set(Instant.parse("2027-01-23T10:00:00Z"));
        // paused for three days: no purge, no reminder; the bot's own daily retry still finds the gap
        assertThat(f.bot.sweep().actions()).as("only the daily export retry is due")
                .containsExactly(REPO + "#" + acmeIssue + " retry_export");
        assertThat(f.eviction(acmeIssue).timeline().pause()).as("the gap is still there").isPresent();
        // the retry's comment ends as a failure addressed to the owners, not to whoever asked last
        assertThat(f.lastBotComment(acmeIssue)).startsWith("@alice, the export of `acme` **failed**")
                .contains("ord_refunds");
        f.stack.dynamo().deleteTable(b -> b.tableName("ord_refunds"));
        f.comment(acmeIssue, "alice", "/export");
        Eviction resumed = f.eviction(acmeIssue);
        assertThat(resumed.timeline().pause()).isEmpty();
        assertThat(resumed.timeline().pausedTotal()).isEqualTo(Duration.ofDays(3));
        assertThat(f.botComment(acmeIssue, "runs again")).contains("3 days 0 hours").contains("2027-02-17 00:00 UTC")
                .as("the owners are told how long they now have").contains("@alice").contains("left to export");
    }

    @Test
    @Order(6)
    void aCommentGitHubRefusesIsDeliveredOnceByALaterSweepAndTheStateChangeIsKept() throws Exception {
        StubMapping failing = f.github.server().stubFor(post(urlPathMatching("/repos/.*/issues/\\d+/comments"))
                .atPriority(1).willReturn(aResponse().withStatus(500)));
        try {
            f.clock.set(Instant.parse("2027-02-10T00:10:00Z"));
            assertThat(f.bot.sweep().actions()).containsExactly(REPO + "#" + acmeIssue + " remind");
            Eviction e = f.eviction(acmeIssue);
            assertThat(e.timeline().remindersSent()).isNotEmpty();
            assertThat(e.outbox()).as("the reminder waits in the outbox").isNotEmpty();
            assertThat(f.github.comments(REPO, acmeIssue)).noneMatch(c -> c.body().contains("days left"));
        } finally {
            f.github.server().removeStub(failing);
        }
        f.clock.advance(Duration.ofMinutes(15));
        f.bot.sweep();
        f.bot.sweep();
        assertThat(f.github.comments(REPO, acmeIssue).stream().filter(c -> c.body().contains("7 days left")))
                .singleElement().satisfies(c -> assertThat(c.body()).as("the owners are notified").startsWith("@alice:"));
        assertThat(f.eviction(acmeIssue).outbox()).isEmpty();
    }

    @Test
    @Order(7)
    void ownerDoneIsAcknowledgedLabelledAndStopsTheOneDayReminder() throws Exception {
        // the second command of the comment fails (GitHub refuses the status edit); the stored delivery is retried
        // (GitHub's own redelivery is the same delivery: taken once): only what did not complete runs again, /done
        // is not repeated
        var posted = f.github.comment(REPO, acmeIssue, "alice", "All there, thanks.\n/done\n/status");
        StubMapping editsFail = f.github.server().stubFor(patch(urlPathMatching("/repos/.*/issues/comments/\\d+"))
                .atPriority(1).willReturn(aResponse().withStatus(502)));
        try {
            f.send(posted.webhook());
        } finally {
            f.github.server().removeStub(editsFail);
        }
        f.send(posted.webhook());
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(f.bot.recoverDeliveries()).as("the failed delivery, due for its retry").isEqualTo(1);
        assertThat(f.botComments(acmeIssue).stream().filter(b -> b.contains("Thanks, @alice"))).hasSize(1);
        assertThat(f.botComments(acmeIssue)).noneMatch(b -> b.contains("done was already recorded"));
        assertThat(statusComment(acmeIssue)).contains("said `/done`");
        assertThat(f.github.issue(REPO, acmeIssue).labels()).contains("eviction/owner-done");
        assertThat(f.botComment(acmeIssue, "Thanks, @alice")).contains("2027-02-17 00:00 UTC");
        f.clock.set(Instant.parse("2027-02-16T06:00:00Z"));
        assertThat(f.bot.sweep().actions()).isEmpty();
        assertThat(f.github.comments(REPO, acmeIssue)).noneMatch(c -> c.body().contains("1 day left"));
    }

    @Test
    @Order(8)
    void aLegalHoldKeepsTheDataPastTheDeadlineUntilLifted() throws Exception {
        f.comment(acmeIssue, "ops-olivia", "/legal-hold on litigation hold, case 2027-17");
        f.clock.set(Instant.parse("2027-02-18T00:00:00Z"));
        assertThat(f.bot.sweep().actions()).isEmpty();
        assertThat(f.eviction(acmeIssue).state()).isEqualTo(EvictionState.CUTOVER);
        assertThat(statusComment(acmeIssue)).contains("Legal hold").contains("case 2027-17");
        f.comment(acmeIssue, "ops-olivia", "/legal-hold off");
        assertThat(f.eviction(acmeIssue).state()).isEqualTo(EvictionState.CUTOVER);
    }

    @Test
    @Order(9)
    void twoConcurrentSweepsPurgeOncePostOneReceiptAndCloseTheIssue() throws Exception {
        // a second replica of the bot on the same store, as an Actions sweep next to serve's timer would be
        List<Sweeper.SweepReport> reports = new ArrayList<>();
        try (LocalBot replica = LocalBot.start(f.stack, f.github.apiUrl(), List.of(f.secret), List.of("ops-olivia"),
                f.clock, 0, Map.of())) {
            ExecutorService two = Executors.newFixedThreadPool(2);
            Callable<Sweeper.SweepReport> first = () -> f.bot.sweep();
            Callable<Sweeper.SweepReport> second = () -> replica.sweep();
            for (Future<Sweeper.SweepReport> run : List.of(two.submit(first), two.submit(second))) {
                reports.add(run.get());
            }
            two.shutdown();
            reports.add(replica.sweep());
        }
        reports.add(f.bot.sweep());
        // without the lease both would purge: two "purge" actions, or a failed conditional write
        assertThat(reports).allSatisfy(r -> assertThat(r.failed()).isZero());
        assertThat(reports.stream().flatMap(r -> r.actions().stream()))
                .containsExactly(REPO + "#" + acmeIssue + " purge");
        assertThat(f.github.writes().stream().filter(w -> w.body() != null && w.body().contains("eviction/purged")))
                .as("the label is added once").hasSize(1);

        Eviction e = f.eviction(acmeIssue);
        assertThat(e.state()).isEqualTo(EvictionState.PURGED);
        List<Comment> receipts = f.github.comments(REPO, acmeIssue).stream()
                .filter(c -> c.body().contains("Deletion receipt")).toList();
        assertThat(receipts).hasSize(1);
        assertThat(receipts.get(0).body()).contains("Verification: passed").contains("| backup |")
                .contains("g3n-ord-attachments").contains("evt_changelog");
        assertThat(f.github.issue(REPO, acmeIssue).labels()).contains("eviction/purged");
        assertThat(f.github.issue(REPO, acmeIssue).state()).isEqualTo("closed");
        assertThat(statusComment(acmeIssue)).contains("deleted");
    }

    // ---- helpers








    private String statusComment(int issue) {
        return f.botComment(issue, "<!-- offboard:status v1 -->");
    }

    private String lastExportComment(int issue) {
        return f.botComments(issue).stream().filter(b -> b.contains("the export of `"))
                .reduce((a, b) -> b).orElseThrow();
    }

    private String lastSha(int issue) {
        Matcher m = SHA.matcher(lastExportComment(issue));
        assertThat(m.find()).as("an export result with its SHA-256").isTrue();
        return m.group(1);
    }

    private static Map<String, AttributeValue> order(String tenant, String id) {
        return Map.of("orgcode", AttributeValue.fromS(tenant), "order_id", AttributeValue.fromS(id),
                "amount", AttributeValue.fromN("12.5"), "currency", AttributeValue.fromS("EUR"));
    }
}
