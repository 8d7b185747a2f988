package io.offboard.bot.intake;

import io.offboard.bot.access.Authorizer;
import io.offboard.bot.config.OffboardSettings;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.webhook.Attempt;
import io.offboard.bot.webhook.WebhookEvent;
import io.offboard.lifecycle.access.Actor;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.store.DedupeStore;
import io.offboard.lifecycle.store.EvictionStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches up on deliveries GitHub never made: open issues carrying the eviction label, in the repositories the bot
 * serves, that have no record. Who applied the label (the issue's events) decides, as the webhook's sender would
 * have: an operator's issue is taken in as that operator's filing; anyone else's is recorded as ignored and not
 * examined again. Run by every sweep; its cost is one listing per repository plus what it finds.
 */
@Singleton
public class IntakeCatchUp {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeCatchUp.class);
    /** Longer than any eviction lives: an ignored issue is not looked at again. */
    private static final Duration REMEMBER_IGNORED = Duration.ofDays(400);
    /** An issue labelled and updated within this is taken as unchanged since the label (GitHub's clock ticks in s). */
    private static final Duration LABEL_SKEW = Duration.ofSeconds(2);

    private final OffboardSettings settings;
    private final GitHubGateway github;
    private final EvictionStore store;
    private final DedupeStore dedupe;
    private final Authorizer authorizer;
    private final IntakeHandler intake;

    public IntakeCatchUp(OffboardSettings settings, GitHubGateway github, EvictionStore store, DedupeStore dedupe,
                         Authorizer authorizer, IntakeHandler intake) {
        this.settings = settings;
        this.github = github;
        this.store = store;
        this.dedupe = dedupe;
        this.authorizer = authorizer;
        this.intake = intake;
    }

    /** What one pass found. */
    public record Report(int repositories, List<String> takenIn, List<String> ignored) {
        @Override
        public String toString() {
            return repositories + " repositories looked at; taken in: " + (takenIn.isEmpty() ? "none" : takenIn)
                    + "; ignored (not labelled by an operator): " + (ignored.isEmpty() ? "none" : ignored);
        }
    }

    public Report run() throws IOException {
        List<String> repositories = repositories();
        List<String> takenIn = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String repo : repositories) {
            for (GitHubGateway.OpenIssue issue : github.openIssues(repo, settings.evictionLabel())) {
                EvictionId id = new EvictionId(repo, issue.number());
                String ignoreKey = "catch-up-ignored:" + id;
                if (store.find(id).isPresent() || dedupe.seen(ignoreKey)) {
                    continue;
                }
                Optional<GitHubGateway.Labelled> labelled = github.labelledBy(repo, issue.number(),
                        settings.evictionLabel());
                if (labelled.isPresent() && authorizer.isOperator(labelled.get().by())) {
                    if (issue.updatedAt().isAfter(labelled.get().at().plus(LABEL_SKEW))) {
                        // changed after the operator labelled it (an edit, possibly someone else's): what the operator
                        // saw is not what is there now. Not taken, not ignored: re-applying the label takes it in
                        LOG.warn("{} changed after {} labelled it; not taken in until an operator applies the label "
                                + "again", id, labelled.get().by());
                        continue;
                    }
                    LOG.info("{} carries the {} label (applied by {}) but had no record: taken in", id,
                            settings.evictionLabel(), labelled.get().by());
                    intake.handle(labelled(repo, issue, labelled.get().by()), new Attempt("catch-up:" + id, 1));
                    takenIn.add(id.toString());
                } else {
                    dedupe.claimFirst(ignoreKey, REMEMBER_IGNORED);
                    ignored.add(id.toString());
                }
            }
        }
        return new Report(repositories.size(), takenIn, ignored);
    }

    /** OFFBOARD_REPOSITORIES, else the App installation's repositories; with a token and no list, none. */
    private List<String> repositories() throws IOException {
        List<String> configured = settings.repositories().stream().map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        if (!configured.isEmpty()) {
            return configured;
        }
        try {
            return github.installationRepositories();
        } catch (IOException | RuntimeException notAnApp) {
            LOG.info("catch-up: no repositories to look at (set OFFBOARD_REPOSITORIES when the bot uses a token)");
            return List.of();
        }
    }

    /** The {@code issues.labeled} delivery GitHub would have sent. */
    private WebhookEvent labelled(String repo, GitHubGateway.OpenIssue issue, Actor labeller) {
        WebhookEvent.Account author = new WebhookEvent.Account(issue.authorId(), issue.authorLogin(), "User");
        return new WebhookEvent("labeled",
                new WebhookEvent.Issue(issue.number(), issue.title(), issue.body(), author,
                        issue.labels().stream().map(WebhookEvent.Label::new).toList(), "open"),
                null, new WebhookEvent.Repository(repo),
                new WebhookEvent.Account(labeller.id(), labeller.login(), "User"),
                new WebhookEvent.Label(settings.evictionLabel()), null);
    }
}
