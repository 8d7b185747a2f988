package io.offboard.local.github;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.offboard.local.github.GitHubState.Account;
import io.offboard.local.github.GitHubState.Label;
import io.offboard.local.github.GitHubState.StoredComment;
import io.offboard.local.github.GitHubState.StoredIssue;
import java.util.UUID;

/**
 * The bodies GitHub POSTs to an App's webhook URL for the issue events a human causes, in GitHub's
 * field order: {@code action}, the subject ({@code issue}, {@code comment}, {@code label},
 * {@code changes}), then {@code repository}, {@code organization}, {@code sender}, {@code installation}.
 */
final class WebhookPayloads {

    private final GitHubState state;
    private final GitHubJson json;
    private final long installationId;

    WebhookPayloads(GitHubState state, GitHubJson json, long installationId) {
        this.state = state;
        this.json = json;
        this.installationId = installationId;
    }

    Webhook issueOpened(StoredIssue issue) {
        ObjectNode body = start("opened");
        body.set("issue", json.issue(issue));
        return finish("issues", body, issue, issue.author());
    }

    Webhook issueEdited(StoredIssue after, String bodyBefore, Account editor) {
        ObjectNode body = start("edited");
        body.set("issue", json.issue(after));
        body.putObject("changes").putObject("body").put("from", bodyBefore);
        return finish("issues", body, after, editor);
    }

    Webhook issueLabeled(StoredIssue issue, Label label, Account actor) {
        ObjectNode body = start("labeled");
        body.set("issue", json.issue(issue));
        body.set("label", json.label(issue.repo(), label));
        return finish("issues", body, issue, actor);
    }

    Webhook commentCreated(StoredIssue issue, StoredComment comment) {
        ObjectNode body = start("created");
        body.set("issue", json.issue(issue));
        body.set("comment", json.comment(comment));
        return finish("issue_comment", body, issue, comment.author());
    }

    Webhook commentEdited(StoredIssue issue, StoredComment after, String bodyBefore, Account editor) {
        ObjectNode body = start("edited");
        body.putObject("changes").putObject("body").put("from", bodyBefore);
        body.set("issue", json.issue(issue));
        body.set("comment", json.comment(after));
        return finish("issue_comment", body, issue, editor);
    }

    private static ObjectNode start(String action) {
        return GitHubJson.MAPPER.createObjectNode().put("action", action);
    }

    private Webhook finish(String event, ObjectNode body, StoredIssue issue, Account sender) {
        body.set("repository", json.repository(issue.repo(), state.openIssueCount(issue.repo())));
        if (issue.repo().owner().isOrganization()) {
            body.set("organization", json.webhookOrganization(issue.repo().owner()));
        }
        body.set("sender", json.user(sender));
        body.putObject("installation")
                .put("id", installationId)
                .put("node_id", "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u" + installationId);
        return new Webhook(event, UUID.randomUUID().toString(), GitHubJson.write(body));
    }
}
