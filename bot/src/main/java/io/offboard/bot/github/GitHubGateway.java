package io.offboard.bot.github;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.offboard.bot.config.GitHubSettings;
import io.offboard.exporter.purge.RetryPolicy;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHIssueStateReason;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the bot asks of GitHub, in the bot's words. Every call goes through the one retry policy
 * ({@link RetryPolicy}: exponential backoff with full jitter): server errors, 429 and secondary rate limits
 * (403 with {@code Retry-After} or saying so) are retried, honouring {@code Retry-After}; every other 4xx is final.
 * Editing and reacting to a comment are one request each, by the comment's id, whatever the thread's length.
 */
@Singleton
public class GitHubGateway {

    private static final Logger LOG = LoggerFactory.getLogger(GitHubGateway.class);

    /** Longest Retry-After waited out in place; a longer one fails the call (the outbox or a redelivery retries). */
    static final Duration LONGEST_WAIT = Duration.ofMinutes(1);

    private final GitHub gitHub;
    private final AppClient app;
    private final GitHubAuth auth;
    private final RetryPolicy retry;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, GHRepository> repositories = new ConcurrentHashMap<>();
    /** Null until first asked; then who the bot is (it does not change while the process runs). */
    private volatile BotAccount self;

    public GitHubGateway(GitHub gitHub, AppClient app, GitHubAuth auth, GitHubSettings settings) {
        this(gitHub, app, auth, retryPolicy(settings.attempts()));
    }

    /** The policy of every GitHub call: {@code attempts} tries in all, 200 ms to 10 s apart, full jitter. */
    static RetryPolicy retryPolicy(int attempts) {
        return new RetryPolicy(Math.max(1, attempts), Duration.ofMillis(200), Duration.ofSeconds(10),
                () -> ThreadLocalRandom.current().nextDouble(), pause -> Thread.sleep(pause.toMillis()));
    }

    /** With another retry policy (tests record the pauses instead of sleeping). */
    public GitHubGateway(GitHub gitHub, AppClient app, GitHubAuth auth, RetryPolicy retry) {
        this.gitHub = gitHub;
        this.app = app;
        this.auth = auth;
        this.retry = retry;
    }

    public long postComment(String repo, int issue, String body) throws IOException {
        return withRetry("post comment on " + repo + "#" + issue,
                () -> issue(repo, issue).comment(body).getId());
    }

    /** One request by the comment's id (github-api 1.330 can only find a comment by listing the thread). */
    public void editComment(String repo, int issue, long commentId, String body) throws IOException {
        withRetry("edit comment " + commentId + " on " + repo + "#" + issue, () -> {
            raw("PATCH", "/repos/" + repo + "/issues/comments/" + commentId, Map.of("body", body));
            return null;
        });
    }

    /**
     * The id of a comment on the issue written by this bot and carrying {@code marker}, oldest first. Only the
     * bot's own comments count (by its numeric user id): a person quoting a marker, or another App, must not take
     * over the status comment or stop a message.
     */
    public Optional<Long> findBotComment(String repo, int issue, String marker) throws IOException {
        return findBotComment(repo, issue, marker, Optional.empty());
    }

    /**
     * The same, among the comments changed since {@code since} only (GitHub's {@code since}): a message whose
     * posting was recorded before it was tried is looked for in what is newer, not in the whole thread.
     */
    public Optional<Long> findBotComment(String repo, int issue, String marker, Optional<java.time.Instant> since)
            throws IOException {
        BotAccount me = self();
        return withRetry("list comments of " + repo + "#" + issue, () -> {
            var query = issue(repo, issue).queryComments();
            if (since.isPresent()) {
                query = query.since(java.util.Date.from(since.get()));
            }
            for (GHIssueComment comment : query.list()) {
                if (comment.getBody() != null && comment.getBody().contains(marker) && writtenBy(me, comment)) {
                    return Optional.of(comment.getId());
                }
            }
            return Optional.<Long>empty();
        });
    }

    /** Who the bot is on GitHub (its user id decides which comments are its own). */
    public BotAccount self() throws IOException {
        BotAccount known = self;
        if (known == null) {
            known = withRetry("find out who the bot is", this::lookUpSelf);
            self = known;
        }
        return known;
    }

    /**
     * A personal or machine-user token: {@code GET /user}. An App installation token has no user (GitHub answers
     * 403): then the App's own JWT tells its slug, and the App writes as the user {@code <slug>[bot]}.
     */
    private BotAccount lookUpSelf() throws IOException {
        try {
            var me = gitHub.getMyself();
            return new BotAccount(me.getId(), me.getLogin());
        } catch (HttpException e) {
            if (e.getResponseCode() != 403 || app.client().isEmpty()) {
                throw e;
            }
        }
        String login = app.client().get().getApp().getSlug() + "[bot]";
        return new BotAccount(gitHub.getUser(login).getId(), login);
    }

    /** One request by the comment's id. */
    public void react(String repo, int issue, long commentId, Reaction reaction) throws IOException {
        withRetry("react on comment " + commentId + " of " + repo + "#" + issue, () -> {
            raw("POST", "/repos/" + repo + "/issues/comments/" + commentId + "/reactions",
                    Map.of("content", reaction.content.getContent()));
            return null;
        });
    }

    /** A REST call github-api 1.330 has no method for, with the bot's credentials ({@link RestCall}). */
    private String raw(String method, String path, Map<String, String> body) throws IOException {
        String url = gitHub.getApiUrl().replaceAll("/+$", "") + path;
        return RestCall.send(http, method, url, auth.provider().getEncodedAuthorization(),
                body == null ? null : json.writeValueAsBytes(body)).body();
    }

    /** An open issue as the catch-up sweep sees it. */
    public record OpenIssue(int number, String title, String body, long authorId, String authorLogin,
                            List<String> labels, java.time.Instant updatedAt) {
    }

    /** Who applied a label, and when. */
    public record Labelled(io.offboard.lifecycle.access.Actor by, java.time.Instant at) {
    }

    /** The repository's open issues carrying {@code label} (one request per 100 issues). */
    public List<OpenIssue> openIssues(String repo, String label) throws IOException {
        return withRetry("list open issues labelled " + label + " in " + repo, () -> {
            List<OpenIssue> found = new java.util.ArrayList<>();
            for (GHIssue issue : repository(repo).queryIssues().label(label).state(GHIssueState.OPEN).pageSize(100)
                    .list()) {
                if (issue.isPullRequest()) {
                    continue;
                }
                var user = issue.getUser();
                found.add(new OpenIssue(issue.getNumber(), issue.getTitle(), issue.getBody(), user.getId(),
                        user.getLogin(), issue.getLabels().stream().map(l -> l.getName()).toList(),
                        issue.getUpdatedAt().toInstant()));
            }
            return found;
        });
    }

    /** Who last applied {@code label} to the issue (its events), if anyone did. */
    public Optional<Labelled> labelledBy(String repo, int issue, String label) throws IOException {
        return withRetry("read the events of " + repo + "#" + issue, () -> {
            Labelled last = null;
            for (var event : issue(repo, issue).listEvents()) {
                if ("labeled".equals(event.getEvent()) && event.getLabel() != null
                        && label.equalsIgnoreCase(event.getLabel().getName()) && event.getActor() != null) {
                    last = new Labelled(new io.offboard.lifecycle.access.Actor(event.getActor().getId(),
                            event.getActor().getLogin()), event.getCreatedAt().toInstant());
                }
            }
            return Optional.ofNullable(last);
        });
    }

    /** The repositories the App is installed on (App auth only). */
    public List<String> installationRepositories() throws IOException {
        return withRetry("list the installation's repositories", () -> {
            List<String> names = new java.util.ArrayList<>();
            for (GHRepository r : gitHub.getInstallation().listRepositories()) {
                names.add(r.getFullName());
            }
            return names;
        });
    }

    /** Reacts on the issue itself (its opening post). */
    public void reactToIssue(String repo, int issue, Reaction reaction) throws IOException {
        withRetry("react on " + repo + "#" + issue, () -> {
            issue(repo, issue).createReaction(reaction.content);
            return null;
        });
    }

    public void addLabel(String repo, int issue, String label) throws IOException {
        withRetry("label " + repo + "#" + issue, () -> {
            issue(repo, issue).addLabels(label);
            return null;
        });
    }

    /** Closes the issue (as completed); closing a closed issue changes nothing. */
    public void closeIssue(String repo, int issue) throws IOException {
        withRetry("close " + repo + "#" + issue, () -> {
            GHIssue found = issue(repo, issue);
            if (found.getState() != GHIssueState.CLOSED) {
                found.close(GHIssueStateReason.COMPLETED);
            }
            return null;
        });
    }

    /** Sends a {@code repository_dispatch} event to {@code repo} (workflows there react to it). */
    public void dispatch(String repo, String eventType, Map<String, String> payload) throws IOException {
        withRetry("dispatch " + eventType + " to " + repo, () -> {
            repository(repo).dispatch(eventType, payload);
            return null;
        });
    }

    /** An account as GitHub knows it now: its id and when it was registered. */
    public record Account(long id, java.time.Instant createdAt) {
    }

    /** The account {@code login} names today, or empty if GitHub knows no such account. */
    public Optional<Account> account(String login) throws IOException {
        return withRetry("look up user " + login, () -> {
            try {
                var user = gitHub.getUser(login);
                java.util.Date created = user.getCreatedAt();
                return Optional.of(new Account(user.getId(), created == null ? null : created.toInstant()));
            } catch (GHFileNotFoundException notFound) {
                return Optional.<Account>empty();
            }
        });
    }

    /** The numeric id of the account {@code login} names today, or empty if GitHub knows no such account. */
    public Optional<Long> userId(String login) throws IOException {
        return account(login).map(Account::id);
    }

    /**
     * Whether {@code login} is an active member of {@code @org/teamSlug}: GitHub answers 200 for a pending invitation
     * too, so the membership's {@code state} decides, and a failure to ask is an error, never a "no" (one request).
     */
    public boolean isTeamMember(String org, String teamSlug, String login) throws IOException {
        return withRetry("check @" + org + "/" + teamSlug + " membership of " + login, () -> {
            try {
                String answer = raw("GET", "/orgs/" + org + "/teams/" + teamSlug + "/memberships/" + login, null);
                return "active".equals(json.readTree(answer).path("state").asText());
            } catch (GHFileNotFoundException notAMember) {
                return false;
            }
        });
    }

    /**
     * Whether {@code me} wrote the comment: the login that comes with the comment ({@code getUserName}, no request)
     * rules out everyone else cheaply; the author's numeric id then decides (the client caches the user by login,
     * so this costs one request per process, not one per comment).
     */
    private static boolean writtenBy(BotAccount me, GHIssueComment comment) throws IOException {
        return me.login().equalsIgnoreCase(comment.getUserName()) && comment.getUser().getId() == me.id();
    }

    private GHIssue issue(String repo, int number) throws IOException {
        return repository(repo).getIssue(number);
    }

    private GHRepository repository(String repo) throws IOException {
        GHRepository cached = repositories.get(repo);
        if (cached != null) {
            return cached;
        }
        GHRepository fetched = gitHub.getRepository(repo);
        repositories.put(repo, fetched);
        return fetched;
    }

    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    private <T> T withRetry(String what, Call<T> call) throws IOException {
        return withRetry(retry, what, call);
    }

    /**
     * {@code call} under {@code retry}, retried when {@link #retryAfter} says so and logged as it is: the one retry
     * loop of every GitHub call, also those made outside this class ({@link AppHookDeliveries}).
     */
    static <T> T withRetry(RetryPolicy retry, String what, Call<T> call) throws IOException {
        return retry.call(call::run, GitHubGateway::retryAfter, (failure, pause) -> LOG.warn(
                "GitHub: '{}' failed ({}); trying again in {} ms", what, describe(failure), pause.toMillis()));
    }

    /**
     * Whether a failed call is worth another try, and the least pause GitHub asked for: server errors, 429 and
     * secondary rate limits (a 403 with Retry-After, or one that says so) are; a lost connection is; every other
     * answer (400, 401, 404, 422, a 403 for a missing permission) is final.
     */
    static Optional<Duration> retryAfter(IOException failure) {
        if (failure instanceof java.io.FileNotFoundException) {
            return Optional.empty(); // 404 as the library reports it
        }
        if (!(failure instanceof HttpException http)) {
            return Optional.of(Duration.ZERO); // connection reset, timeout: the request may not have arrived
        }
        int code = http.getResponseCode();
        Optional<Duration> asked = header(http, "Retry-After").flatMap(GitHubGateway::seconds);
        boolean secondaryLimit = code == 403 && (asked.isPresent() || String.valueOf(http.getMessage())
                .toLowerCase(java.util.Locale.ROOT).contains("secondary rate limit"));
        if (code < 500 && code != 429 && !secondaryLimit) {
            return Optional.empty();
        }
        Duration wait = asked.orElse(Duration.ZERO);
        return wait.compareTo(LONGEST_WAIT) > 0 ? Optional.empty() : Optional.of(wait);
    }

    private static Optional<String> header(HttpException e, String name) {
        Map<String, List<String>> headers = e.getResponseHeaderFields();
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream().filter(h -> h.getKey() != null && h.getKey().equalsIgnoreCase(name))
                .flatMap(h -> h.getValue().stream()).findFirst();
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            return Optional.empty();
        }
    }

    /** A failed GitHub call in a few words: {@code HTTP 500}, {@code HTTP 404}, or the exception. */
    public static String describe(IOException e) {
        if (e instanceof java.io.FileNotFoundException) {
            return "HTTP 404"; // as the library reports a 404
        }
        return e instanceof HttpException http ? "HTTP " + http.getResponseCode() : e.toString();
    }
}
