package io.offboard.local.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.bot.webhook.WebhookSender;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.lifecycle.store.ExportStore;
import io.offboard.local.demo.LocalBot;
import io.offboard.local.demo.SimulatedClock;
import io.offboard.local.github.Comment;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.github.OpenedIssue;
import io.offboard.local.github.Webhook;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The bot on the embedded stack with the seeded demo platform, a GitHub stand-in (repository
 * {@value #REPO}) and a simulated clock, plus what a test does on an eviction issue: file it, comment
 * commands, read the bot's comments and the stored record.
 */
public final class BotFixture implements AutoCloseable {

    public static final String REPO = "platform/infra";
    public static final String OPERATOR = "ops-olivia";

    public final SimulatedClock clock;
    public final EmbeddedStack stack;
    public final GitHubStandIn github;
    public LocalBot bot;
    public final String secret;
    private WebhookSender sender;
    private final Map<String, Object> properties;
    private final Object[] beans;

    /**
     * @param users GitHub users besides the operator
     * @param beans extra singletons for the bot's context
     */
    public BotFixture(Instant start, String secret, List<String> users, Object... beans) {
        this(start, secret, users, Map.of(), beans);
    }

    /** @param properties further settings of the bot (they win over the fixture's) */
    public BotFixture(Instant start, String secret, List<String> users, Map<String, Object> properties,
                      Object... beans) {
        this.clock = new SimulatedClock(start);
        this.secret = secret;
        this.stack = EmbeddedStack.start(StackOptions.inMemory());
        DemoPlatform.seed(stack.dynamo(), stack.s3());
        this.github = GitHubStandIn.start(0, clock);
        github.addRepository(REPO);
        github.addUser(OPERATOR);
        users.forEach(github::addUser);
        this.properties = properties;
        this.beans = beans;
        startBot(properties);
    }

    private void startBot(Map<String, Object> settings) {
        bot = LocalBot.start(stack, github.apiUrl(), List.of(secret), List.of(OPERATOR), clock, 0, settings, beans);
        sender = new WebhookSender(bot.webhookUrl(), secret);
    }

    /** Stops the bot and starts a new process-alike on the same stores and GitHub (nothing kept in memory). */
    public void restartBot() {
        restartBot(Map.of());
    }

    /** Restarts the bot with further settings (another endpoint, say), on the same stores and GitHub. */
    public void restartBot(Map<String, Object> more) {
        bot.close();
        Map<String, Object> all = new java.util.HashMap<>(properties);
        all.putAll(more);
        startBot(all);
    }

    /** The body GitHub gives an issue filed from the eviction form with these answers. */
    public static String form(String tenant, String owners, String date, String reason) {
        return "### Tenant orgcode\n\n" + tenant + "\n\n### Capability owner(s)\n\n" + owners + "\n\n"
                + "### Eviction date (UTC, YYYY-MM-DD)\n\n" + date + "\n\n### Reason\n\n" + reason + "\n";
    }

    /** The operator files an eviction from the form; returns the issue number. */
    public int file(String tenant, String owners, String date) throws Exception {
        OpenedIssue opened = github.openIssue(REPO, OPERATOR, "Eviction: " + tenant, form(tenant, owners, date, "GPUs"),
                List.of("eviction"));
        send(opened.webhook());
        return opened.number();
    }

    /** {@code author} comments {@code text} on the issue; returns once the bot has dealt with it. */
    public void comment(int issue, String author, String text) throws Exception {
        send(github.comment(REPO, issue, author, text).webhook());
    }

    /** Delivers {@code webhook}; returns once the bot has dealt with it. */
    public void send(Webhook webhook) throws Exception {
        sendWithoutWaiting(webhook);
        bot.awaitIdle();
    }

    /** Delivers {@code webhook}; returns as soon as the bot has accepted it (202), before it deals with it. */
    public void sendWithoutWaiting(Webhook webhook) throws Exception {
        assertThat(sender.send(webhook.event(), webhook.deliveryId(), webhook.json())).isEqualTo(202);
    }

    public EvictionId id(int issue) {
        return new EvictionId(REPO, issue);
    }

    public EvictionStore store() {
        return new EvictionStore(stack.dynamo(), new BotTables(BotTables.DEFAULT_PREFIX));
    }

    public ExportStore exports() {
        return new ExportStore(stack.dynamo(), new BotTables(BotTables.DEFAULT_PREFIX));
    }

    public Eviction eviction(int issue) {
        return store().find(id(issue)).orElseThrow();
    }

    /** The audit log's entries for the eviction of {@code issue}. */
    public List<AuditLog.Entry> audit(int issue) {
        return new AuditLog(stack.dynamo(), new BotTables(BotTables.DEFAULT_PREFIX), clock).entries(id(issue));
    }

    public List<String> botComments(int issue) {
        return github.comments(REPO, issue).stream().filter(c -> c.author().equals(github.botLogin()))
                .map(Comment::body).toList();
    }

    /** The newest of the bot's comments containing {@code text}. */
    public String botComment(int issue, String text) {
        return botComments(issue).stream().filter(b -> b.contains(text)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no bot comment containing '" + text + "' on #" + issue));
    }

    public String lastBotComment(int issue) {
        List<String> mine = botComments(issue);
        return mine.get(mine.size() - 1);
    }

    @Override
    public void close() {
        bot.close();
        github.close();
        stack.close();
    }
}
