package io.offboard.bot.command;

import io.offboard.bot.access.WriteBudget;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.github.Reaction;
import io.offboard.lifecycle.access.Actor;
import io.offboard.lifecycle.eviction.EvictionId;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Optional;

/**
 * Every reply and reaction a person's comment causes, within that person's write budget on the issue (see
 * {@link WriteBudget}): past it, the write is dropped. The journey's own messages never come through here.
 */
@Singleton
public class PersonReplies {

    private final GitHubGateway github;
    private final WriteBudget budget;

    public PersonReplies(GitHubGateway github, WriteBudget budget) {
        this.github = github;
        this.budget = budget;
    }

    /**
     * The reply to a command, once: it carries a hidden marker of (comment, command), and when the command is run
     * again after a crash, a reply the earlier attempt posted is found (among the bot's comments since the command
     * was posted) instead of being posted twice. Empty when the asker's budget is spent.
     */
    public Optional<Long> comment(Invocation invocation, String body) throws IOException {
        String marker = "<!-- offboard:reply " + invocation.commentId() + " " + invocation.command().identity() + " -->";
        if (invocation.retry()) {
            Optional<Long> earlier = github.findBotComment(invocation.repository(), invocation.issueNumber(), marker,
                    Optional.of(invocation.postedAt()));
            if (earlier.isPresent()) {
                return earlier;
            }
        }
        return comment(invocation.id(), invocation.who(), body + "\n" + marker);
    }

    /** Posts {@code body} on the issue; empty when the budget of {@code actor} is spent. */
    public Optional<Long> comment(EvictionId issue, Actor actor, String body) throws IOException {
        if (!budget.allow(issue, actor, "reply")) {
            return Optional.empty();
        }
        return Optional.of(github.postComment(issue.repository(), issue.issueNumber(), body));
    }

    public void react(EvictionId issue, Actor actor, long commentId, Reaction reaction) throws IOException {
        if (budget.allow(issue, actor, "reaction")) {
            github.react(issue.repository(), issue.issueNumber(), commentId, reaction);
        }
    }

    /** Spends one write for a reply the caller posts itself (when the reply must follow a claim); false if spent. */
    public boolean spend(EvictionId issue, Actor actor, String what) {
        return budget.allow(issue, actor, what);
    }
}
