package io.offboard.bot.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
        Label label) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Account(String login, String type) {
        /** GitHub Apps (including this one) act as accounts of type Bot whose login ends in [bot]. */
        public boolean isBot() {
            return "Bot".equalsIgnoreCase(type) || (login != null && login.endsWith("[bot]"));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Label(String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Repository(String fullName) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Issue(int number, String title, String body, Account user, List<Label> labels, String state) {
        public boolean hasLabel(String name) {
            return labels != null && labels.stream().anyMatch(l -> name.equalsIgnoreCase(l.name()));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Comment(long id, String body, Account user) {
    }

    public Optional<Account> senderAccount() {
        return Optional.ofNullable(sender);
    }

    /** {@code owner/repo#12}: deliveries about the same issue are handled one at a time. */
    public String issueKey() {
        String repo = repository == null ? "?" : repository.fullName();
        return issue == null ? repo : repo + "#" + issue.number();
    }
}
