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
    private final int attempts;
    private final Map<String, GHRepository> repositories = new ConcurrentHashMap<>();
    /** Null until asked; then the token user's login, or empty for a GitHub App. */
    @SuppressWarnings("java:S3077") // an immutable Optional: publishing the reference is enough
    private volatile Optional<String> ownLogin;

    public GitHubGateway(GitHub gitHub, GitHubSettings settings) {
        this.gitHub = gitHub;
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
     * bot's own comments count: a person quoting a marker must not take over the status comment or stop a message.
     */
    public Optional<Long> findBotComment(String repo, int issue, String marker) throws IOException {
        return withRetry("list comments of " + repo + "#" + issue, () -> {
            for (GHIssueComment comment : issue(repo, issue).queryComments().list()) {
                if (comment.getBody() != null && comment.getBody().contains(marker) && writtenByUs(comment)) {
                    return Optional.of(comment.getId());
                }
            }
            return Optional.<Long>empty();
        });
    }

    public void react(String repo, int issue, long commentId, Reaction reaction) throws IOException {
        withRetry("react on comment " + commentId + " of " + repo + "#" + issue, () -> {
            comment(repo, issue, commentId).createReaction(reaction.content);
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

    public boolean userExists(String login) throws IOException {
        return withRetry("look up user " + login, () -> {
            try {
                gitHub.getUser(login);
                return true;
            } catch (GHFileNotFoundException notFound) {
                return false;
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
     * As a GitHub App the bot writes as {@code <app>[bot]}, a login no person can have; with a personal token it
     * writes as that token's user. The login comes with the comment ({@code getUserName}: no extra request).
     */
    private boolean writtenByUs(GHIssueComment comment) throws IOException {
        String author = comment.getUserName();
        Optional<String> own = ownLogin();
        return own.isPresent() ? own.get().equalsIgnoreCase(author) : author != null && author.endsWith("[bot]");
    }

    /** The token's user, or empty for an App installation token (GitHub answers 403 to GET /user). */
    private Optional<String> ownLogin() throws IOException {
        Optional<String> known = ownLogin;
        if (known == null) {
            try {
                known = Optional.of(gitHub.getMyself().getLogin());
            } catch (HttpException e) {
                if (e.getResponseCode() != 403) {
                    throw e;
                }
                known = Optional.empty(); // an installation token has no user
            }
            ownLogin = known;
        }
        return known;
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
