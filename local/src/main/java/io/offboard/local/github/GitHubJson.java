package io.offboard.local.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.offboard.local.github.GitHubState.Account;
import io.offboard.local.github.GitHubState.Label;
import io.offboard.local.github.GitHubState.Reaction;
import io.offboard.local.github.GitHubState.Repo;
import io.offboard.local.github.GitHubState.StoredComment;
import io.offboard.local.github.GitHubState.StoredIssue;
import io.offboard.local.github.GitHubState.Team;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Renders stand-in state in the JSON shapes GitHub's REST API and webhooks use (REST API version
 * 2022-11-28), with the fields kohsuke {@code github-api} reads and the ones a reader of a recorded
 * payload expects to see. Every {@code url} points back at the stand-in so that kohsuke can follow it.
 */
final class GitHubJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final String api;
    private final String web;

    /** @param baseUrl where the stand-in serves the API; the web pages ({@code html_url}) live there too */
    GitHubJson(String baseUrl) {
        this.api = baseUrl;
        this.web = baseUrl;
    }

    // ---- accounts -----------------------------------------------------------------------------

    /** The short user object embedded in issues, comments, reactions and webhooks. */
    ObjectNode user(Account account) {
        String path = "/users/" + segment(account.login());
        ObjectNode node = MAPPER.createObjectNode()
                .put("login", account.login())
                .put("id", account.id())
                .put("node_id", nodeId(account.type().equals("Bot") ? "BOT" : account.isOrganization() ? "O" : "U",
                        account.id()))
                .put("avatar_url", "https://avatars.githubusercontent.com/u/" + account.id() + "?v=4")
                .put("gravatar_id", "")
                .put("url", api + path)
                .put("html_url", web + (account.type().equals("Bot") ? "/apps/" + appSlug(account) : "/" + account.login()))
                .put("followers_url", api + path + "/followers")
                .put("following_url", api + path + "/following{/other_user}")
                .put("gists_url", api + path + "/gists{/gist_id}")
                .put("starred_url", api + path + "/starred{/owner}{/repo}")
                .put("subscriptions_url", api + path + "/subscriptions")
                .put("organizations_url", api + path + "/orgs")
                .put("repos_url", api + path + "/repos")
                .put("events_url", api + path + "/events{/privacy}")
                .put("received_events_url", api + path + "/received_events")
                .put("type", account.type())
                .put("user_view_type", "public")
                .put("site_admin", false);
        return node;
    }

    /** {@code GET /users/{login}}: the short object plus the profile fields and timestamps. */
    ObjectNode fullUser(Account account) {
        ObjectNode node = user(account);
        node.putNull("name");
        node.putNull("company");
        node.put("blog", "");
        node.putNull("location");
        node.putNull("email");
        node.putNull("hireable");
        node.putNull("bio");
        node.putNull("twitter_username");
        node.put("public_repos", 0);
        node.put("public_gists", 0);
        node.put("followers", 0);
        node.put("following", 0);
        node.put("created_at", time(account.createdAt()));
        node.put("updated_at", time(account.createdAt()));
        return node;
    }

    /** The full organisation object of {@code GET /orgs/{org}}: the webhook's short one plus the profile. */
    ObjectNode organization(Account org) {
        return webhookOrganization(org)
                .put("name", org.login())
                .putNull("company")
                .put("blog", "")
                .putNull("location")
                .putNull("email")
                .put("is_verified", false)
                .put("has_organization_projects", true)
                .put("has_repository_projects", true)
                .put("public_repos", 0)
                .put("public_gists", 0)
                .put("followers", 0)
                .put("following", 0)
                .put("html_url", web + "/" + org.login())
                .put("created_at", time(org.createdAt()))
                .put("updated_at", time(org.createdAt()))
                .putNull("archived_at")
                .put("type", "Organization");
    }

    /** The short organisation object webhooks carry next to {@code repository}. */
    ObjectNode webhookOrganization(Account org) {
        String path = "/orgs/" + segment(org.login());
        return MAPPER.createObjectNode()
                .put("login", org.login())
                .put("id", org.id())
                .put("node_id", nodeId("O", org.id()))
                .put("url", api + path)
                .put("repos_url", api + path + "/repos")
                .put("events_url", api + path + "/events")
                .put("hooks_url", api + path + "/hooks")
                .put("issues_url", api + path + "/issues")
                .put("members_url", api + path + "/members{/member}")
                .put("public_members_url", api + path + "/public_members{/member}")
                .put("avatar_url", "https://avatars.githubusercontent.com/u/" + org.id() + "?v=4")
                .put("description", "");
    }

    ObjectNode team(Team team, int memberCount) {
        String path = teamPath(team);
        ObjectNode node = MAPPER.createObjectNode()
                .put("name", team.name())
                .put("id", team.id())
                .put("node_id", nodeId("T", team.id()))
                .put("slug", team.slug())
                .put("description", "")
                .put("privacy", "closed")
                .put("notification_setting", "notifications_enabled")
                .put("url", api + path)
                .put("html_url", web + "/orgs/" + team.org().login() + "/teams/" + team.slug())
                .put("members_url", api + path + "/members{/member}")
                .put("repositories_url", api + path + "/repos")
                .put("permission", "pull")
                .putNull("parent")
                .put("members_count", memberCount)
                .put("repos_count", 0)
                .put("created_at", time(team.createdAt()))
                .put("updated_at", time(team.createdAt()));
        node.set("organization", organization(team.org()));
        return node;
    }

    ObjectNode membership(Team team, Account member) {
        return MAPPER.createObjectNode()
                .put("url", api + teamPath(team) + "/memberships/" + segment(member.login()))
                .put("role", "member")
                .put("state", "active");
    }

    // ---- repositories -------------------------------------------------------------------------

    ObjectNode repository(Repo repo, int openIssues) {
        String path = "/repos/" + repo.owner().login() + "/" + repo.name();
        ObjectNode node = MAPPER.createObjectNode()
                .put("id", repo.id())
                .put("node_id", nodeId("R", repo.id()))
                .put("name", repo.name())
                .put("full_name", repo.fullName())
                .put("private", true);
        node.set("owner", user(repo.owner()));
        node.put("html_url", web + "/" + repo.fullName())
                .putNull("description")
                .put("fork", false)
                .put("url", api + path)
                .put("issues_url", api + path + "/issues{/number}")
                .put("issue_comment_url", api + path + "/issues/comments{/number}")
                .put("issue_events_url", api + path + "/issues/events{/number}")
                .put("labels_url", api + path + "/labels{/name}")
                .put("comments_url", api + path + "/comments{/number}")
                .put("hooks_url", api + path + "/hooks")
                .put("git_url", "git://localhost/" + repo.fullName() + ".git")
                .put("ssh_url", "git@localhost:" + repo.fullName() + ".git")
                .put("clone_url", web + "/" + repo.fullName() + ".git")
                .put("created_at", time(repo.createdAt()))
                .put("updated_at", time(repo.createdAt()))
                .put("pushed_at", time(repo.createdAt()))
                .putNull("homepage")
                .put("size", 0)
                .put("stargazers_count", 0)
                .put("watchers_count", 0)
                .putNull("language")
                .put("has_issues", true)
                .put("has_projects", false)
                .put("has_downloads", false)
                .put("has_wiki", false)
                .put("has_pages", false)
                .put("has_discussions", false)
                .put("forks_count", 0)
                .putNull("mirror_url")
                .put("archived", false)
                .put("disabled", false)
                .put("open_issues_count", openIssues)
                .putNull("license")
                .put("allow_forking", false)
                .put("is_template", false)
                .put("web_commit_signoff_required", false);
        node.putArray("topics");
        node.put("visibility", "private")
                .put("forks", 0)
                .put("open_issues", openIssues)
                .put("watchers", 0)
                .put("default_branch", "main");
        return node;
    }

    /** An entry of {@code GET /repos/o/r/issues/n/events}. */
    ObjectNode issueEvent(GitHubState.StoredIssue issue, GitHubState.TimelineEvent event) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("id", event.sequence())
                .put("node_id", nodeId("LE", event.sequence()))
                .put("url", api + "/repos/" + issue.repo().fullName() + "/issues/events/" + event.sequence());
        node.set("actor", user(event.actor()));
        node.put("event", event.kind());
        node.putNull("commit_id");
        node.putNull("commit_url");
        node.put("created_at", time(event.at()));
        if ((event.kind().equals("labeled") || event.kind().equals("unlabeled")) && event.detail() != null) {
            node.putObject("label").put("name", event.detail()).put("color", "ededed");
        }
        return node;
    }

    ObjectNode label(Repo repo, Label label) {
        return MAPPER.createObjectNode()
                .put("id", label.id())
                .put("node_id", nodeId("LA", label.id()))
                .put("url", api + "/repos/" + repo.fullName() + "/labels/" + segment(label.name()))
                .put("name", label.name())
                .put("color", label.color())
                .put("default", false)
                .putNull("description");
    }

    ArrayNode labels(Repo repo, List<Label> labels) {
        ArrayNode array = MAPPER.createArrayNode();
        labels.forEach(l -> array.add(label(repo, l)));
        return array;
    }

    // ---- issues and comments ------------------------------------------------------------------

    ObjectNode issue(StoredIssue issue) {
        String repoPath = "/repos/" + issue.repo().fullName();
        String path = repoPath + "/issues/" + issue.number();
        ObjectNode node = MAPPER.createObjectNode()
                .put("url", api + path)
                .put("repository_url", api + repoPath)
                .put("labels_url", api + path + "/labels{/name}")
                .put("comments_url", api + path + "/comments")
                .put("events_url", api + path + "/events")
                .put("html_url", web + "/" + issue.repo().fullName() + "/issues/" + issue.number())
                .put("id", issue.id())
                .put("node_id", nodeId("I", issue.id()))
                .put("number", issue.number())
                .put("title", issue.title());
        node.set("user", user(issue.author()));
        node.set("labels", labels(issue.repo(), issue.labels()));
        node.put("state", issue.state())
                .put("locked", false)
                .putNull("assignee");
        node.putArray("assignees");
        node.putNull("milestone");
        node.put("comments", issue.commentCount())
                .put("created_at", time(issue.createdAt()))
                .put("updated_at", time(issue.updatedAt()));
        putTime(node, "closed_at", issue.closedAt());
        node.put("author_association", issue.authorAssociation())
                .putNull("active_lock_reason")
                .put("body", issue.body());
        if (issue.closedBy() != null) {
            node.set("closed_by", user(issue.closedBy()));
        } else {
            node.putNull("closed_by");
        }
        node.set("reactions", reactionRollup(api + path + "/reactions", issue.reactions()));
        node.put("timeline_url", api + path + "/timeline")
                .putNull("performed_via_github_app");
        if (issue.stateReason() != null) {
            node.put("state_reason", issue.stateReason());
        } else {
            node.putNull("state_reason");
        }
        return node;
    }

    ObjectNode comment(StoredComment comment) {
        String repoPath = "/repos/" + comment.repo().fullName();
        String path = repoPath + "/issues/comments/" + comment.id();
        ObjectNode node = MAPPER.createObjectNode()
                .put("url", api + path)
                .put("html_url", web + "/" + comment.repo().fullName() + "/issues/" + comment.issueNumber()
                        + "#issuecomment-" + comment.id())
                .put("issue_url", api + repoPath + "/issues/" + comment.issueNumber())
                .put("id", comment.id())
                .put("node_id", nodeId("IC", comment.id()));
        node.set("user", user(comment.author()));
        node.put("created_at", time(comment.createdAt()))
                .put("updated_at", time(comment.updatedAt()))
                .put("author_association", comment.authorAssociation())
                .put("body", comment.body());
        node.set("reactions", reactionRollup(api + path + "/reactions", comment.reactions()));
        node.putNull("performed_via_github_app");
        return node;
    }

    ObjectNode reaction(Reaction reaction) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("id", reaction.id())
                .put("node_id", nodeId("REA", reaction.id()));
        node.set("user", user(reaction.user()));
        node.put("content", reaction.content())
                .put("created_at", time(reaction.createdAt()));
        return node;
    }

    private ObjectNode reactionRollup(String url, List<Reaction> reactions) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("url", url)
                .put("total_count", reactions.size());
        for (String content : GitHubState.REACTION_CONTENTS) {
            node.put(content, reactions.stream().filter(r -> r.content().equals(content)).count());
        }
        return node;
    }

    // ---- the App's webhook deliveries ---------------------------------------------------------

    /** One item of {@code GET /app/hook/deliveries}. */
    ObjectNode hookDelivery(HookDelivery delivery) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("id", delivery.id())
                .put("guid", delivery.guid())
                .put("delivered_at", time(delivery.deliveredAt()))
                .put("redelivery", delivery.redelivery())
                .put("duration", delivery.durationMillis() / 1000.0)
                .put("status", delivery.status())
                .put("status_code", delivery.statusCode())
                .put("event", delivery.event());
        if (delivery.action() == null) {
            node.putNull("action");
        } else {
            node.put("action", delivery.action());
        }
        node.put("installation_id", delivery.installationId());
        if (delivery.repositoryId() == null) {
            node.putNull("repository_id");
        } else {
            node.put("repository_id", delivery.repositoryId());
        }
        node.putNull("throttled_at");
        return node;
    }

    // ---- helpers ------------------------------------------------------------------------------

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String time(Instant instant) {
        return instant.toString();
    }

    private static void putTime(ObjectNode node, String field, Instant instant) {
        if (instant == null) {
            node.putNull(field);
        } else {
            node.put(field, time(instant));
        }
    }

    /** One path segment, escaped the way GitHub writes it in its own URLs ({@code offboard%5Bbot%5D}). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String teamPath(Team team) {
        return "/organizations/" + team.org().id() + "/team/" + team.id();
    }

    private static String appSlug(Account bot) {
        return bot.login().replace("[bot]", "");
    }

    /** Opaque like GitHub's global node ids; only stable and unique matter. */
    private static String nodeId(String prefix, long id) {
        return prefix + "_kgDO" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
    }
}
