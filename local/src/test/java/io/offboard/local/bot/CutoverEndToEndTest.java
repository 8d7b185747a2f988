package io.offboard.local.bot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.journey.Sweeper;
import io.offboard.exporter.platform.TenantAccess;
import io.offboard.exporter.registry.Registry;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.eviction.OutboxMessage;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.support.BotFixture;
import io.offboard.local.support.CliRun;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The cutover is the eviction date's, and nobody else's: no command brings it forward, a sweep that runs late
 * freezes the tenant late but moves no deletion time (seed 003's hard wall), and the teardown dispatch follows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class) // the simulated clock only moves forward
class CutoverEndToEndTest {

    private BotFixture f;

    @BeforeAll
    void start() {
        f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "cutover-secret", List.of("bob"));
    }

    @AfterAll
    void stop() {
        f.close();
    }

    @Test
    void noOneCutsOverEarlyAndALateSweepMovesNoDeletionTime() throws Exception {
        int issue = f.file("globex", "@bob", "2027-06-01");

        // the sweep's dry run sees nothing due yet and changes nothing
        CliRun dry = CliRun.of("sweep", "--dry-run", "--dynamodb-endpoint", f.stack.dynamoEndpoint().toString());
        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains("0 eviction(s) with something due; nothing changed");

        // the date was agreed before filing: there is no early cutover for anyone
        f.comment(issue, "ops-olivia", "/cutover");
        assertThat(f.lastBotComment(issue)).contains("I don't know the command");
        assertThat(f.eviction(issue).state()).isEqualTo(EvictionState.NOTICE);
        assertThat(access().mode("globex")).contains("live");

        // the sweeps were down over the eviction date: the first one runs two days and 7 hours late
        f.clock.set(Instant.parse("2027-06-03T07:00:00Z"));
        f.github.server().resetRequests();
        f.bot.sweep();
        // the cutover comment was never tried before: it is posted without reading the thread first
        assertThat(f.github.requests()).extracting(GitHubStandIn.Request::line)
                .noneMatch(line -> line.startsWith("GET /repos/" + BotFixture.REPO + "/issues/" + issue + "/comments"));

        Eviction frozen = f.eviction(issue);
        assertThat(frozen.state()).isEqualTo(EvictionState.CUTOVER);
        assertThat(frozen.timeline().cutoverAt()).contains(f.clock.instant());
        assertThat(access().mode("globex")).contains(TenantAccess.EXPORT_ONLY);
        assertThat(f.botComment(issue, "is frozen")).contains("The eviction date has come")
                .contains("2027-07-01 00:00 UTC").doesNotContain("2027-07-03");
        assertThat(f.botComment(issue, "<!-- offboard:status v1 -->")).contains("2027-07-01 00:00 UTC");
        assertThat(f.github.dispatches(BotFixture.REPO)).hasSize(1);

        f.comment(issue, "ops-olivia", "/cancel");
        assertThat(f.lastBotComment(issue)).contains("clock is hard");
    }

    @Test
    void aMessageGitHubRefusesForGoodHoldsNothingBackAndIsDroppedWithAnAuditEntry() throws Exception {
        int issue = f.file("acme", "@bob", "2027-04-01");
        // the App cannot dispatch to the infrastructure repository (not installed there, say)
        StubMapping refused = f.github.server().stubFor(post(urlPathMatching("/repos/.*/dispatches"))
                .atPriority(1).willReturn(aResponse().withStatus(404).withBody("{\"message\":\"Not Found\"}")));
        try {
            f.clock.set(Instant.parse("2027-04-01T00:07:00Z"));
            f.bot.sweep();
            Eviction frozen = f.eviction(issue);
            assertThat(frozen.state()).isEqualTo(EvictionState.CUTOVER);
            assertThat(f.botComment(issue, "is frozen")).as("the cutover comment is not held back").isNotNull();
            assertThat(f.github.issue(BotFixture.REPO, issue).labels()).contains("eviction/frozen");
            assertThat(frozen.outbox()).singleElement().satisfies(m -> {
                assertThat(m.kind()).isEqualTo(OutboxMessage.Kind.DISPATCH_TEARDOWN);
                assertThat(m.attempts()).isEqualTo(1);
            });

            Sweeper.SweepReport report = f.bot.sweep();
            assertThat(report.undelivered()).isEqualTo(1);
            assertThat(report.ok()).as("an Actions sweep shows red").isFalse();
            for (int sweep = 0; sweep < 10 && !f.eviction(issue).outbox().isEmpty(); sweep++) {
                f.bot.sweep();
            }
            assertThat(f.eviction(issue).outbox()).as("dropped after its tries").isEmpty();
            assertThat(f.stack.dynamo().scan(b -> b.tableName("offboard_audit")).items())
                    .anyMatch(i -> i.toString().contains("outbox.dropped") && i.toString().contains("DISPATCH_TEARDOWN"));
            assertThat(f.bot.sweep().ok()).isTrue();
        } finally {
            f.github.server().removeStub(refused);
        }
    }

    @Test
    void aFormCanceledBeforeItEverHadAValidDateSaysItWasCanceled() throws Exception {
        int issue = f.file("acme", "@bob", "next tuesday");
        assertThat(f.eviction(issue).state()).isEqualTo(EvictionState.INVALID);
        f.comment(issue, "ops-olivia", "/cancel");
        assertThat(f.eviction(issue).state()).isEqualTo(EvictionState.CANCELED);
        assertThat(f.eviction(issue).outbox()).as("every message delivered").isEmpty();
        assertThat(f.botComment(issue, "<!-- offboard:status v1 -->")).contains("· canceled").contains("**Canceled**")
                .doesNotContain("Deletion date");
    }

    @Test
    void aPersonQuotingTheBotsHiddenMarkerIsNotTakenForTheBot() throws Exception {
        int issue = f.github.openIssue(BotFixture.REPO, "bob", "question", "no form here", List.of()).number();
        f.github.comment(BotFixture.REPO, issue, "bob", "<!-- offboard:status v1 --> is this yours?");
        GitHubGateway gateway = f.bot.context().getBean(GitHubGateway.class);
        assertThat(gateway.findBotComment(BotFixture.REPO, issue, "<!-- offboard:status v1 -->")).isEmpty();
        long mine = gateway.postComment(BotFixture.REPO, issue, "<!-- offboard:status v1 -->\nstatus");
        assertThat(gateway.findBotComment(BotFixture.REPO, issue, "<!-- offboard:status v1 -->")).contains(mine);
    }

    private TenantAccess access() {
        return new TenantAccess(f.stack.dynamo(), Registry.bundled());
    }
}
