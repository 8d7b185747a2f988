package io.offboard.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.bot.webhook.WebhookSender;
import io.offboard.exporter.platform.TenantAccess;
import io.offboard.exporter.registry.Registry;
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
import io.offboard.local.github.Webhook;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import io.offboard.local.support.CliRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code /cutover} before the eviction date: who may, the 10-minute confirmation, and the freeze it performs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EarlyCutoverEndToEndTest {

    private static final String REPO = "platform/infra";
    private static final String SECRET = "early-cutover-secret";

    private EmbeddedStack stack;
    private GitHubStandIn github;
    private LocalBot bot;
    private SimulatedClock clock;
    private WebhookSender sender;

    @BeforeAll
    void start() {
        clock = new SimulatedClock(Instant.parse("2026-12-01T09:00:00Z"));
        stack = EmbeddedStack.start(StackOptions.inMemory());
        DemoPlatform.seed(stack.dynamo(), stack.s3());
        github = GitHubStandIn.start(0, clock);
        github.addRepository(REPO);
        List.of("ops-olivia", "bob").forEach(github::addUser);
        bot = LocalBot.start(stack, github.apiUrl(), List.of(SECRET), List.of("ops-olivia"), clock, 0, Map.of());
        sender = new WebhookSender(bot.webhookUrl(), SECRET);
    }

    @AfterAll
    void stop() {
        bot.close();
        github.close();
        stack.close();
    }

    @Test
    void anOperatorCutsOverEarlyOnlyWithATimelyConfirmation() throws Exception {
        OpenedIssue opened = github.openIssue(REPO, "ops-olivia", "Eviction: globex",
                "### Tenant orgcode\n\nglobex\n\n### Capability owner(s)\n\n@bob\n\n"
                        + "### Eviction date (UTC, YYYY-MM-DD)\n\n2027-03-01\n\n### Reason\n\nGPUs\n", List.of("eviction"));
        send(opened.webhook());
        int issue = opened.number();
        EvictionId id = new EvictionId(REPO, issue);

        // the sweep's dry run sees nothing due yet and changes nothing
        CliRun dry = CliRun.of("sweep", "--dry-run", "--dynamodb-endpoint", stack.dynamoEndpoint().toString());
        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains("0 eviction(s) with something due; nothing changed");

        send(github.comment(REPO, issue, "bob", "/cutover").webhook());
        assertThat(lastBotComment(issue)).contains("is for operators");

        send(github.comment(REPO, issue, "ops-olivia", "/cutover confirm").webhook());
        assertThat(lastBotComment(issue)).contains("no `/cutover` from the last 10 minutes");

        send(github.comment(REPO, issue, "ops-olivia", "/cutover").webhook());
        assertThat(lastBotComment(issue)).contains("`/cutover confirm` before 2026-12-01 09:10 UTC");
        clock.advance(Duration.ofMinutes(11));
        send(github.comment(REPO, issue, "ops-olivia", "/cutover confirm").webhook());
        assertThat(eviction(id).state()).as("too late: not confirmed").isEqualTo(EvictionState.NOTICE);
        assertThat(new TenantAccess(stack.dynamo(), Registry.bundled()).mode("globex")).contains("live");

        send(github.comment(REPO, issue, "ops-olivia", "/cutover").webhook());
        clock.advance(Duration.ofMinutes(4));
        send(github.comment(REPO, issue, "ops-olivia", "Confirmed with @bob on the call.\n/cutover confirm").webhook());

        Eviction frozen = eviction(id);
        assertThat(frozen.state()).isEqualTo(EvictionState.CUTOVER);
        assertThat(frozen.timeline().cutoverAt()).contains(clock.instant());
        assertThat(new TenantAccess(stack.dynamo(), Registry.bundled()).mode("globex")).contains(TenantAccess.EXPORT_ONLY);
        assertThat(lastBotComment(issue)).contains("is frozen").contains("An operator cut the tenant over before its eviction date")
                .contains("2026-12-31 09:15 UTC");
        assertThat(github.dispatches(REPO)).hasSize(1);

        send(github.comment(REPO, issue, "ops-olivia", "/cancel").webhook());
        assertThat(lastBotComment(issue)).contains("clock is hard");
    }

    private void send(Webhook webhook) throws Exception {
        assertThat(sender.send(webhook.event(), webhook.deliveryId(), webhook.json())).isEqualTo(202);
        bot.awaitIdle();
    }

    private Eviction eviction(EvictionId id) {
        return new EvictionStore(stack.dynamo(), new BotTables(BotTables.DEFAULT_PREFIX)).find(id).orElseThrow();
    }

    private String lastBotComment(int issue) {
        List<Comment> mine = github.comments(REPO, issue).stream().filter(c -> c.author().equals(github.botLogin())).toList();
        return mine.get(mine.size() - 1).body();
    }
}
