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
import io.offboard.local.support.BotFixture;
import io.offboard.local.support.CliRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code /cutover} before the eviction date: who may, the 10-minute confirmation, and the freeze it performs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EarlyCutoverEndToEndTest {

    private BotFixture f;

    @BeforeAll
    void start() {
        f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "early-cutover-secret", List.of("bob"));
    }

    @AfterAll
    void stop() {
        f.close();
    }

    @Test
    void anOperatorCutsOverEarlyOnlyWithATimelyConfirmation() throws Exception {
        int issue = f.file("globex", "@bob", "2027-03-01");

        // the sweep's dry run sees nothing due yet and changes nothing
        CliRun dry = CliRun.of("sweep", "--dry-run", "--dynamodb-endpoint", f.stack.dynamoEndpoint().toString());
        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains("0 eviction(s) with something due; nothing changed");

        f.comment(issue, "bob", "/cutover");
        assertThat(f.lastBotComment(issue)).contains("is for operators");

        f.comment(issue, "ops-olivia", "/cutover confirm");
        assertThat(f.lastBotComment(issue)).contains("no `/cutover` from the last 10 minutes");

        f.comment(issue, "ops-olivia", "/cutover");
        assertThat(f.lastBotComment(issue)).contains("`/cutover confirm` before 2026-12-01 09:10 UTC");
        f.clock.advance(Duration.ofMinutes(11));
        f.comment(issue, "ops-olivia", "/cutover confirm");
        assertThat(f.eviction(issue).state()).as("too late: not confirmed").isEqualTo(EvictionState.NOTICE);
        assertThat(access().mode("globex")).contains("live");

        f.comment(issue, "ops-olivia", "/cutover");
        f.clock.advance(Duration.ofMinutes(4));
        f.comment(issue, "ops-olivia", "Confirmed with @bob on the call.\n/cutover confirm");

        Eviction frozen = f.eviction(issue);
        assertThat(frozen.state()).isEqualTo(EvictionState.CUTOVER);
        assertThat(frozen.timeline().cutoverAt()).contains(f.clock.instant());
        assertThat(access().mode("globex")).contains(TenantAccess.EXPORT_ONLY);
        assertThat(f.lastBotComment(issue)).contains("is frozen").contains("An operator cut the tenant over before its eviction date")
                .contains("2026-12-31 09:15 UTC");
        assertThat(f.github.dispatches(BotFixture.REPO)).hasSize(1);

        f.comment(issue, "ops-olivia", "/cancel");
        assertThat(f.lastBotComment(issue)).contains("clock is hard");
    }

    @Test
    void aMessageGitHubRefusesForGoodHoldsNothingBackAndIsDroppedWithAnAuditEntry() throws Exception {
        int issue = f.file("acme", "@bob", "2027-03-01");
        // the App cannot dispatch to the infrastructure repository (not installed there, say)
        StubMapping refused = f.github.server().stubFor(post(urlPathMatching("/repos/.*/dispatches"))
                .atPriority(1).willReturn(aResponse().withStatus(404).withBody("{\"message\":\"Not Found\"}")));
        try {
            f.comment(issue, "ops-olivia", "/cutover");
            f.comment(issue, "ops-olivia", "/cutover confirm");
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
