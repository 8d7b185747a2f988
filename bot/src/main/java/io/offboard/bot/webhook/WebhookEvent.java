package io.offboard.bot.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.offboard.lifecycle.access.Actor;
import java.util.List;
import java.util.Optional;

/** The parts of GitHub's {@code issues} and {@code issue_comment} payloads the bot reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebhookEvent(
        String action,
        Issue issue,
        Comment comment,
        Repository repository,
        Account sender,
        Label label,
        Changes changes) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Account(long id, String login, String type) {
        /** GitHub Apps (including this one) act as accounts of type Bot whose login ends in [bot]. */
        public boolean isBot() {
            return "Bot".equalsIgnoreCase(type) || (login != null && login.endsWith("[bot]"));
        }

        /** The account as an actor: identified by its numeric id. */
        public Actor actor() {
            return new Actor(id, login);
        }
    }

    /** What an {@code edited} event changed: {@code changes.body.from} is the text before the edit. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Changes(Change body) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Change(String from) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Label(String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Repository(String fullName) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Issue(int number, String title, String body, Account user, List<Label> labels, String state,
                        String updatedAt) {

        public Issue(int number, String title, String body, Account user, List<Label> labels, String state) {
            this(number, title, body, user, labels, state, null);
        }

        /** When the issue last changed (GitHub's timestamp), if the payload says. */
        public Optional<java.time.Instant> lastUpdate() {
            return Optional.ofNullable(updatedAt).map(java.time.Instant::parse);
        }

        public boolean hasLabel(String name) {
            return labels != null && labels.stream().anyMatch(l -> name.equalsIgnoreCase(l.name()));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Comment(long id, String body, Account user, String createdAt) {
        /** When the comment was posted (GitHub's timestamp), if the payload says. */
        public Optional<java.time.Instant> postedAt() {
            return Optional.ofNullable(createdAt).map(java.time.Instant::parse);
        }
    }

    public Optional<Account> senderAccount() {
        return Optional.ofNullable(sender);
    }

    /** Who caused this event: the webhook's sender, the only identity any decision is made on. */
    public Actor actor() {
        if (sender == null || sender.id() <= 0 || sender.login() == null) {
            throw new IllegalStateException("delivery about " + issueKey() + " names no sender");
        }
        return sender.actor();
    }

    /** The issue body before an edit, when the edit changed the body. */
    public Optional<String> bodyBefore() {
        return Optional.ofNullable(changes).map(Changes::body).map(Change::from);
    }

    /** {@code owner/repo#12}: deliveries about the same issue are handled one at a time. */
    public String issueKey() {
        String repo = repository == null ? "?" : repository.fullName();
        return issue == null ? repo : repo + "#" + issue.number();
    }
}
