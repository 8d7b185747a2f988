package io.offboard.local.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.standalone.MappingsSource;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.StubMappings;
import io.offboard.local.github.GitHubState.Reaction;
import io.offboard.local.github.GitHubState.StoredComment;
import io.offboard.local.github.GitHubState.StoredIssue;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A stateful GitHub for the {@code demo} command and for integration tests: the REST API the bot
 * calls through kohsuke {@code github-api}, served by WireMock (so tests can read the request
 * journal), plus the means to act as the humans on an issue and get back the webhook deliveries
 * GitHub would send.
 *
 * <p>Point the bot at it with
 * {@code new GitHubBuilder().withEndpoint(standIn.apiUrl()).withOAuthToken("test-token").build()}.
 * Every change made through the API is made as {@link #botLogin()}, the token's identity; people
 * named in {@link #openIssue}, {@link #comment} and friends are created on first use.
 *
 * <p>It keeps the App's webhook as GitHub does ({@link #configureAppWebhook}): deliveries made to it
 * ({@link #deliverToApp}) or that failed ({@link #recordFailedDelivery}) are logged, listed by
 * {@code GET /app/hook/deliveries} and sent again by {@code POST /app/hook/deliveries/{id}/attempts}, both for the
 * App's JWT only.
 *
 * <p>It also plays GitHub's OAuth web flow for an app registered with {@link #registerOAuthApp}: an authorize page
 * where a person types a login and clicks Authorize, a single-use code, its exchange for a user token, and
 * {@code GET /user} answering the signed-in user for that token (the bot's own account for the bot's token).
 */
public final class GitHubStandIn implements AutoCloseable {

    public static final String DEFAULT_BOT_LOGIN = "offboard[bot]";
    public static final long DEFAULT_INSTALLATION_ID = 4_242_001;

    /** Stand-ins running in this JVM by API URL, so a bot started with only the URL can register its OAuth app. */
    private static final Map<String, GitHubStandIn> RUNNING = new ConcurrentHashMap<>();

    /**
     * The response transformer that answers as GitHub would: a test's own stub ({@link #server()}) that names it is
     * still answered by the stand-in, e.g. with a delay added.
     */
    public static final String RESPONDER = GitHubApi.NAME;

    private final WireMockServer server;
    private final GitHubState state;
    private final OAuthApps oauth = new OAuthApps();
    private final WebhookPayloads webhooks;
    private final AppWebhook appWebhook;
    private final String apiUrl;

    private GitHubStandIn(int port, Clock clock, String botLogin) {
        this.state = new GitHubState(clock, botLogin);
        this.appWebhook = new AppWebhook(state::now);
        GitHubApi api = new GitHubApi(state, oauth, appWebhook);
        WireMockConfiguration options = WireMockConfiguration.options()
                .extensions(api)
                .mappingSource(new NoMappings())
                .notifier(new ConsoleNotifier(false))
                .stubRequestLoggingDisabled(true)
                .jettyStopTimeout(0L);
        this.server = new WireMockServer(port == 0 ? options.dynamicPort() : options.port(port));
        server.start();
        this.apiUrl = "http://localhost:" + server.port();
        GitHubJson json = new GitHubJson(apiUrl);
        api.serveAt(apiUrl, json);
        this.webhooks = new WebhookPayloads(state, json, DEFAULT_INSTALLATION_ID);
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(GitHubApi.NAME)));
        RUNNING.put(apiUrl, this);
    }

    /** The stand-in serving {@code apiUrl} in this JVM, if one does. */
    public static Optional<GitHubStandIn> running(String apiUrl) {
        return Optional.ofNullable(apiUrl).map(url -> RUNNING.get(url.replaceAll("/+$", "")));
    }

    /** Starts on a free port with the system clock. */
    public static GitHubStandIn start() {
        return start(0, Clock.systemUTC());
    }

    /** Starts on {@code port} (0 for a free one) with the system clock. */
    public static GitHubStandIn start(int port) {
        return start(port, Clock.systemUTC());
    }

    /** Starts on a free port; {@code clock} stamps every {@code created_at} and {@code updated_at}. */
    public static GitHubStandIn start(Clock clock) {
        return start(0, clock);
    }

    public static GitHubStandIn start(int port, Clock clock) {
        return start(port, clock, DEFAULT_BOT_LOGIN);
    }

    /** @param botLogin the login the token stands for, e.g. {@code offboard[bot]} */
    public static GitHubStandIn start(int port, Clock clock, String botLogin) {
        return new GitHubStandIn(port, clock, botLogin);
    }

    /** The API root to give kohsuke's {@code withEndpoint}, e.g. {@code http://localhost:53121}. */
    public String apiUrl() {
        return apiUrl;
    }

    /** The WireMock server, for its request journal ({@code getAllServeEvents()}, {@code findAll(...)}). */
    public WireMockServer server() {
        return server;
    }

    /** One request made to the stand-in, as the journal recorded it. */
    public record Request(String method, String path, String body) {
        /** {@code METHOD /path}, the form tests compare. */
        public String line() {
            return method + " " + path;
        }

        public boolean isRead() {
            return method.equals("GET");
        }
    }

    /** Every request since the journal was last reset, oldest first (WireMock keeps newest first). */
    public List<Request> requests() {
        List<Request> requests = new java.util.ArrayList<>();
        for (var event : server.getAllServeEvents()) {
            var request = event.getRequest();
            requests.add(new Request(request.getMethod().getName(), java.net.URI.create(request.getUrl()).getPath(),
                    request.getBodyAsString()));
        }
        java.util.Collections.reverse(requests);
        return requests;
    }

    /** The requests that change something on GitHub (everything but GET), oldest first. */
    public List<Request> writes() {
        return requests().stream().filter(r -> !r.isRead()).toList();
    }

    public String botLogin() {
        return state.bot().login();
    }

    /** The {@code installation.id} every webhook payload carries. */
    public long installationId() {
        return DEFAULT_INSTALLATION_ID;
    }

    @Override
    public void close() {
        RUNNING.remove(apiUrl, this);
        server.stop();
    }

    /**
     * The web URL of GitHub's OAuth web flow ({@code /login/oauth/authorize}, {@code /login/oauth/access_token}):
     * the same server as the API, as {@code OFFBOARD_GITHUB_WEB_URL}.
     */
    public String webUrl() {
        return apiUrl;
    }

    /**
     * Registers an OAuth app (a GitHub App's client id and a client secret) for the web flow; any callback URL is
     * accepted as {@code redirect_uri}.
     */
    public void registerOAuthApp(String clientId, String clientSecret) {
        oauth.register(clientId, clientSecret, null);
    }

    /** As {@link #registerOAuthApp(String, String)}, accepting only {@code callbackUrl} (or a path below it). */
    public void registerOAuthApp(String clientId, String clientSecret, String callbackUrl) {
        oauth.register(clientId, clientSecret, callbackUrl);
    }

    // ---- the App's webhook ----------------------------------------------------------------------

    /**
     * The App's webhook: where GitHub delivers its events and the secret it signs them with (the App's settings).
     * Needed by {@link #deliverToApp} and by redeliveries ({@code POST /app/hook/deliveries/{id}/attempts}).
     */
    public void configureAppWebhook(java.net.URI url, String secret) {
        appWebhook.configure(url, secret);
    }

    /**
     * GitHub delivers {@code webhook} to the App's webhook URL now (signed with the configured secret) and logs the
     * attempt with what the URL answered (0 when it could not be reached).
     */
    public HookDelivery deliverToApp(Webhook webhook) {
        return human(() -> appWebhook.deliver(webhook));
    }

    /**
     * Logs a failed attempt to deliver {@code webhook} without making any request: GitHub could not reach the App
     * ({@code statusCode} 0) or the App answered {@code statusCode}. Stamped with the stand-in's clock.
     */
    public HookDelivery recordFailedDelivery(Webhook webhook, int statusCode) {
        return recordFailedDelivery(webhook, statusCode, state.now());
    }

    /** As {@link #recordFailedDelivery(Webhook, int)}, made at {@code at}. */
    public HookDelivery recordFailedDelivery(Webhook webhook, int statusCode, java.time.Instant at) {
        return appWebhook.recordFailure(webhook, statusCode, at);
    }

    /** Someone clicks "Redeliver" on attempt {@code deliveryId} in the App's settings: the API's redelivery. */
    public HookDelivery redeliverToApp(long deliveryId) {
        return human(() -> appWebhook.redeliver(deliveryId));
    }

    /** The App's webhook deliveries, every attempt, newest first (what {@code GET /app/hook/deliveries} lists). */
    public List<HookDelivery> appWebhookDeliveries() {
        return appWebhook.deliveries();
    }

    // ---- setting the scene --------------------------------------------------------------------

    /** Adds {@code owner/name}; an owner not added as a user is an organization, created as needed. */
    public void addRepository(String fullName) {
        state.addRepository(fullName);
    }

    public void addUser(String login) {
        state.addUser(login);
    }

    /** Invites {@code login} to team {@code org/slug} without the invitation being accepted (membership "pending"). */
    public void inviteToTeam(String org, String slug, String login) {
        human(() -> {
            state.inviteToTeam(org, slug, login);
            return null;
        });
    }

    /** Adds another GitHub App's bot account, e.g. {@code other-app[bot]}. */
    public void addBot(String login) {
        state.addBot(login);
    }

    /** Renames an account: same numeric id, new login; the old login is free to be registered again. */
    public void renameUser(String from, String to) {
        human(() -> state.renameUser(from, to));
    }

    /** The numeric id of the account {@code login} names now. */
    public long userId(String login) {
        return human(() -> state.account(login)).id();
    }

    /** Adds (or extends) team {@code org/slug} with {@code members}, creating the organization and users. */
    public void addTeam(String org, String slug, String... members) {
        state.addTeam(org, slug, members);
    }

    // ---- acting as humans ---------------------------------------------------------------------

    public OpenedIssue openIssue(String repo, String author, String title, String body, List<String> labels) {
        StoredIssue issue = human(() -> state.openIssue(repo, author, title, body, labels));
        return new OpenedIssue(issue.number(), webhooks.issueOpened(issue));
    }

    public Webhook editIssueBody(String repo, int number, String editor, String newBody) {
        GitHubState.IssueEdit edit = human(() -> state.editIssue(repo, number, editor, null, newBody, null, null, null));
        return webhooks.issueEdited(edit.after(), edit.before().body(), account(editor));
    }

    public Webhook labelIssue(String repo, int number, String actor, String label) {
        GitHubState.LabelChange change = human(() -> state.addLabels(repo, number, actor, List.of(label)));
        return webhooks.issueLabeled(change.issue(), change.label(), account(actor));
    }

    public PostedComment comment(String repo, int number, String author, String body) {
        StoredComment comment = human(() -> state.addComment(repo, number, author, body));
        return new PostedComment(comment.id(), webhooks.commentCreated(human(() -> state.issue(repo, number)), comment));
    }

    public Webhook editComment(String repo, long commentId, String editor, String newBody) {
        GitHubState.CommentEdit edit = human(() -> state.editComment(repo, commentId, newBody));
        StoredIssue issue = human(() -> state.issue(repo, edit.after().issueNumber()));
        return webhooks.commentEdited(issue, edit.after(), edit.before().body(), account(editor));
    }

    // ---- reading state ------------------------------------------------------------------------

    /** The issue's comments in the order they were posted. */
    public List<Comment> comments(String repo, int number) {
        return human(() -> state.comments(repo, number)).stream().map(GitHubStandIn::comment).toList();
    }

    public Issue issue(String repo, int number) {
        StoredIssue issue = human(() -> state.issue(repo, number));
        return new Issue(issue.number(), issue.title(), issue.body(), issue.author().login(),
                issue.labels().stream().map(GitHubState.Label::name).toList(), issue.state());
    }

    public List<RepositoryDispatch> dispatches(String repo) {
        return human(() -> state.dispatches(repo)).stream()
                .map(d -> new RepositoryDispatch(d.eventType(), d.clientPayloadJson(), d.at()))
                .toList();
    }

    /** The whole thread as Markdown, the way GitHub shows it: issue, then comments and events in order. */
    public String transcript(String repo, int number) {
        return Transcript.render(human(() -> state.thread(repo, number)));
    }

    private GitHubState.Account account(String login) {
        return state.addUser(login);
    }

    private static Comment comment(StoredComment c) {
        return new Comment(c.id(), c.author().login(), c.body(), c.createdAt(), c.updatedAt(), c.edits(),
                c.reactions().stream().map(Reaction::content).toList());
    }

    /** A direct caller gets a plain exception naming what is missing, not an HTTP status. */
    private static <T> T human(Supplier<T> action) {
        try {
            return action.get();
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** WireMock would otherwise load stubs from {@code ./mappings} of whatever directory the demo runs in. */
    private static final class NoMappings implements MappingsSource {
        @Override
        public void loadMappingsInto(StubMappings stubMappings) {}

        @Override
        public void save(List<StubMapping> stubMappings) {}

        @Override
        public void save(StubMapping stubMapping) {}

        @Override
        public void remove(StubMapping stubMapping) {}

        @Override
        public void removeAll() {}
    }
}
