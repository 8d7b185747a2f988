package io.offboard.bot.github;

import io.offboard.bot.config.GitHubSettings;
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
 * Everything the bot asks of GitHub, in the bot's words. kohsuke's client handles rate and secondary
 * limits itself; server errors (5xx) are retried here with backoff because the library does not.
 */
@Singleton
public class GitHubGateway {

    private static final Logger LOG = LoggerFactory.getLogger(GitHubGateway.class);

    private final GitHub gitHub;
    private final AppClient app;
    private final int attempts;
    private final Map<String, GHRepository> repositories = new ConcurrentHashMap<>();
    /** Null until first asked; then who the bot is (it does not change while the process runs). */
    private volatile BotAccount self;

    public GitHubGateway(GitHub gitHub, AppClient app, GitHubSettings settings) {
        this.gitHub = gitHub;
        this.app = app;
        this.attempts = Math.max(1, settings.attempts());
    }

    public long postComment(String repo, int issue, String body) throws IOException {
        return withRetry("post comment on " + repo + "#" + issue,
                () -> issue(repo, issue).comment(body).getId());
    }

    public void editComment(String repo, int issue, long commentId, String body) throws IOException {
        withRetry("edit comment " + commentId + " on " + repo + "#" + issue, () -> {
            comment(repo, issue, commentId).update(body);
            return null;
        });
    }

    /**
     * The id of a comment on the issue written by this bot and carrying {@code marker}, oldest first. Only the
     * bot's own comments count (by its numeric user id): a person quoting a marker, or another App, must not take
     * over the status comment or stop a message.
     */
    public Optional<Long> findBotComment(String repo, int issue, String marker) throws IOException {
        BotAccount me = self();
        return withRetry("list comments of " + repo + "#" + issue, () -> {
            for (GHIssueComment comment : issue(repo, issue).queryComments().list()) {
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

    public void react(String repo, int issue, long commentId, Reaction reaction) throws IOException {
        withRetry("react on comment " + commentId + " of " + repo + "#" + issue, () -> {
            comment(repo, issue, commentId).createReaction(reaction.content);
            return null;
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

    /** The numeric id of the account {@code login} names today, or empty if GitHub knows no such account. */
    public Optional<Long> userId(String login) throws IOException {
        return withRetry("look up user " + login, () -> {
            try {
                return Optional.of(gitHub.getUser(login).getId());
            } catch (GHFileNotFoundException notFound) {
                return Optional.<Long>empty();
            }
        });
    }

    public boolean isTeamMember(String org, String teamSlug, String login) throws IOException {
        return withRetry("check @" + org + "/" + teamSlug + " membership of " + login, () -> {
            try {
                var team = gitHub.getOrganization(org).getTeamBySlug(teamSlug);
                return team != null && team.hasMember(gitHub.getUser(login));
            } catch (GHFileNotFoundException notFound) {
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

    /**
     * github-api 1.330 has no "get issue comment by id"; the comment is found among the issue's comments,
     * which costs one listing but keeps every call on the library's typed objects.
     */
    private GHIssueComment comment(String repo, int issue, long commentId) throws IOException {
        for (GHIssueComment comment : issue(repo, issue).queryComments().list()) {
            if (comment.getId() == commentId) {
                return comment;
            }
        }
        throw new GHFileNotFoundException("comment " + commentId + " not found on " + repo + "#" + issue);
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
    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T withRetry(String what, Call<T> call) throws IOException {
        Duration backoff = Duration.ofMillis(200);
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (HttpException e) {
                boolean serverError = e.getResponseCode() >= 500;
                if (!serverError || attempt >= attempts) {
                    throw e;
                }
                LOG.warn("GitHub answered {} to '{}' (attempt {}/{}); retrying in {} ms", e.getResponseCode(), what,
                        attempt, attempts, backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry a GitHub call", e);
        }
    }
}
