package io.offboard.local.github;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GHEventPayload;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHLabel;
import org.kohsuke.github.GHReaction;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHTeam;
import org.kohsuke.github.GHUser;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.ReactionContent;

/**
 * Drives the stand-in through kohsuke github-api exactly as the bot does, and checks both what the
 * stand-in now holds and what WireMock's journal recorded.
 */
class GitHubStandInTest {

    private static final String REPO = "acme/evictions";
    private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SteppingClock clock = new SteppingClock(START);
    private GitHubStandIn gitHub;
    private GitHub gh;
    private int issueNumber;

    @BeforeEach
    void start() throws IOException {
        gitHub = GitHubStandIn.start(clock);
        gitHub.addRepository(REPO);
        gitHub.addTeam("acme", "platform-ops", "olivia");
        gitHub.addUser("carol");
        issueNumber = gitHub.openIssue(REPO, "olivia", "Evict tenant acme-co",
                "<!-- eviction form -->\n### Tenant orgcode\n\nacme-co\n\n### Capability owners\n\n@carol",
                List.of("eviction")).number();
        gh = client();
        journalReset();
    }

    @AfterEach
    void stop() {
        gitHub.close();
    }

    @Test
    void buildingTheClientAsksWhoTheTokenIsAndLearnsTheBotsAccount() throws IOException {
        GitHub client = client();

        // kohsuke's build() fetches GET /user for a token given without a login; the stand-in's token is the
        // bot's machine user, so the answer is the bot's account with its numeric id
        assertThat(requests()).containsExactly("GET /user");
        assertThat(statuses("GET", "/user")).containsExactly(200);
        assertThat(client.getMyself().getLogin()).isEqualTo(gitHub.botLogin());
        assertThat(client.getMyself().getId()).isPositive();
        assertThat(client.getRepository(REPO).getFullName()).isEqualTo(REPO);
    }

    @Test
    void readsRepositoryAndIssue() throws IOException {
        GHRepository repo = gh.getRepository(REPO);
        GHIssue issue = repo.getIssue(issueNumber);

        assertThat(repo.getFullName()).isEqualTo(REPO);
        assertThat(repo.getOwnerName()).isEqualTo("acme");
        assertThat(issue.getNumber()).isEqualTo(1);
        assertThat(issue.getTitle()).isEqualTo("Evict tenant acme-co");
        assertThat(issue.getBody()).contains("@carol");
        assertThat(issue.getState()).isEqualTo(GHIssueState.OPEN);
        assertThat(issue.getLabels()).extracting(GHLabel::getName).containsExactly("eviction");
        assertThat(issue.getUser().getLogin()).isEqualTo("olivia");
        assertThat(issue.getCreatedAt()).isEqualTo(Date.from(START));
        assertThat(issue.getRepository()).isSameAs(repo);

        assertThat(requests()).containsExactly(
                "GET /repos/acme/evictions",
                "GET /repos/acme/evictions/issues/1");
        ServeEvent first = journal().get(0);
        assertThat(first.getRequest().getHeader("Authorization")).isEqualTo("token test-token");
        assertThat(first.getRequest().getHeader("Accept")).isEqualTo("application/vnd.github+json");
        assertThat(first.getRequest().getHeader("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
    }

    @Test
    void commentsEditsAndReactsAsTheBot() throws IOException {
        GHIssue issue = gh.getRepository(REPO).getIssue(issueNumber);

        GHIssueComment posted = issue.comment("<!-- offboard:status v1 -->\nChecking the form…");
        clock.advance(Duration.ofMinutes(1));
        // kohsuke 1.330 has no repo.getIssueComment(id): the bot finds its comment among the issue's.
        GHIssueComment status = issue.getComments().stream().filter(c -> c.getId() == posted.getId()).findFirst()
                .orElseThrow();
        status.update("<!-- offboard:status v1 -->\nEviction recorded.");
        GHReaction eyes = status.createReaction(ReactionContent.EYES);
        GHReaction rocket = status.createReaction(ReactionContent.ROCKET);
        GHReaction eyesAgain = status.createReaction(ReactionContent.EYES);

        assertThat(posted.getId()).isEqualTo(1001);
        assertThat(posted.getUserName()).isEqualTo("offboard[bot]");
        assertThat(posted.getHtmlUrl().toString()).endsWith("/acme/evictions/issues/1#issuecomment-1001");
        assertThat(eyesAgain.getId()).isEqualTo(eyes.getId());
        assertThat(rocket.getContent()).isEqualTo(ReactionContent.ROCKET);
        assertThat(eyes.getUser().getLogin()).isEqualTo("offboard[bot]");

        Comment stored = gitHub.comments(REPO, issueNumber).get(0);
        assertThat(stored).isEqualTo(new Comment(1001, "offboard[bot]",
                "<!-- offboard:status v1 -->\nEviction recorded.", START, START.plusSeconds(60), 1,
                List.of("eyes", "rocket")));

        assertThat(requests()).containsExactly(
                "GET /repos/acme/evictions",
                "GET /repos/acme/evictions/issues/1",
                "POST /repos/acme/evictions/issues/1/comments",
                "GET /repos/acme/evictions/issues/1/comments",
                "PATCH /repos/acme/evictions/issues/comments/1001",
                "POST /repos/acme/evictions/issues/comments/1001/reactions",
                "POST /repos/acme/evictions/issues/comments/1001/reactions",
                "POST /repos/acme/evictions/issues/comments/1001/reactions");
        assertThat(gitHub.server().findAll(postRequestedFor(urlEqualTo("/repos/acme/evictions/issues/1/comments"))
                .withRequestBody(equalToJson("{\"body\":\"<!-- offboard:status v1 -->\\nChecking the form…\"}"))))
                .hasSize(1);
        assertThat(gitHub.server().findAll(patchRequestedFor(urlEqualTo("/repos/acme/evictions/issues/comments/1001"))
                .withRequestBody(equalToJson("{\"body\":\"<!-- offboard:status v1 -->\\nEviction recorded.\"}"))))
                .hasSize(1);
        assertThat(gitHub.server().findAll(postRequestedFor(urlEqualTo(
                "/repos/acme/evictions/issues/comments/1001/reactions"))
                .withRequestBody(equalToJson("{\"content\":\"eyes\"}"))
                .withHeader("Content-Type", equalTo("application/json")))).hasSize(2);
        assertThat(statuses("POST", "/repos/acme/evictions/issues/comments/1001/reactions"))
                .containsExactly(201, 201, 200);
    }

    @Test
    void webhookPayloadsParseInKohsukeAndItsObjectsWork() throws IOException {
        PostedComment command = gitHub.comment(REPO, issueNumber, "carol", "/export parquet zstd");

        GHEventPayload.IssueComment payload = gh.parseEventPayload(
                new StringReader(command.webhook().json()), GHEventPayload.IssueComment.class);
        payload.getComment().createReaction(ReactionContent.EYES);
        payload.getIssue().comment("Export started.");
        payload.getComment().createReaction(ReactionContent.ROCKET);

        assertThat(command.webhook().event()).isEqualTo("issue_comment");
        assertThat(payload.getAction()).isEqualTo("created");
        assertThat(payload.getComment().getId()).isEqualTo(command.id());
        assertThat(payload.getComment().getBody()).isEqualTo("/export parquet zstd");
        assertThat(payload.getComment().getUserName()).isEqualTo("carol");
        assertThat(payload.getIssue().getNumber()).isEqualTo(issueNumber);
        assertThat(payload.getRepository().getFullName()).isEqualTo(REPO);
        assertThat(payload.getSender().getLogin()).isEqualTo("carol");
        assertThat(payload.getSender().getType()).isEqualTo("User");
        assertThat(payload.getInstallation().getId()).isEqualTo(gitHub.installationId());

        assertThat(gitHub.comments(REPO, issueNumber)).extracting(Comment::author, Comment::body, Comment::reactions)
                .containsExactly(
                        tuple("carol", "/export parquet zstd", List.of("eyes", "rocket")),
                        tuple("offboard[bot]", "Export started.", List.of()));
        assertThat(requests()).containsExactly(
                "POST /repos/acme/evictions/issues/comments/1001/reactions",
                "POST /repos/acme/evictions/issues/1/comments",
                "POST /repos/acme/evictions/issues/comments/1001/reactions",
                // getSender().getType(): a webhook's user has no created_at, so kohsuke fetches the profile.
                "GET /users/carol");
    }

    @Test
    void listsCommentsInOrderAcrossPages() throws IOException {
        for (int i = 1; i <= 35; i++) {
            gitHub.comment(REPO, issueNumber, "carol", "comment " + i);
        }
        GHIssue issue = gh.getRepository(REPO).getIssue(issueNumber);
        journalReset();

        List<GHIssueComment> queried = issue.queryComments().list().toList();
        List<GHIssueComment> listed = issue.getComments();

        assertThat(queried).hasSize(35);
        assertThat(queried).extracting(GHIssueComment::getBody).startsWith("comment 1", "comment 2").endsWith("comment 35");
        assertThat(listed).extracting(GHIssueComment::getId).isEqualTo(queried.stream().map(GHIssueComment::getId).toList());
        assertThat(issue.getCommentsCount()).isEqualTo(35);
        assertThat(requests()).containsExactly(
                "GET /repos/acme/evictions/issues/1/comments",
                "GET /repos/acme/evictions/issues/1/comments?per_page=30&page=2",
                "GET /repos/acme/evictions/issues/1/comments",
                "GET /repos/acme/evictions/issues/1/comments?per_page=30&page=2");
    }

    @Test
    void labelledOpenIssuesPagePastOneHundredKeepingTheFilter() throws IOException {
        for (int i = 1; i <= 104; i++) {
            gitHub.openIssue(REPO, "olivia", "Evict tenant t" + i, "form " + i, List.of("eviction"));
        }
        for (int i = 1; i <= 5; i++) {
            gitHub.openIssue(REPO, "carol", "Unrelated " + i, "text", List.of());
        }

        List<GHIssue> found = gh.getRepository(REPO).queryIssues().label("eviction").state(GHIssueState.OPEN)
                .pageSize(100).list().toList();

        // the one opened in start() and 104 more; page 2 keeps the label and state of page 1
        assertThat(found).hasSize(105);
        assertThat(found).allSatisfy(issue -> assertThat(issue.getLabels()).extracting(GHLabel::getName)
                .contains("eviction"));
    }

    @Test
    void queryCommentsSinceFiltersOnUpdateTime() throws IOException {
        gitHub.comment(REPO, issueNumber, "carol", "old");
        clock.advance(Duration.ofHours(1));
        gitHub.comment(REPO, issueNumber, "carol", "new");
        GHIssue issue = gh.getRepository(REPO).getIssue(issueNumber);

        List<GHIssueComment> recent = issue.queryComments().since(Date.from(START.plusSeconds(1800))).list().toList();

        assertThat(recent).extracting(GHIssueComment::getBody).containsExactly("new");
        assertThat(requests()).last().isEqualTo("GET /repos/acme/evictions/issues/1/comments?since=2026-01-05T10%3A30%3A00Z");
    }

    @Test
    void labelsUnlabelsAndCloses() throws IOException {
        GHIssue issue = gh.getRepository(REPO).getIssue(issueNumber);

        List<GHLabel> afterAdd = issue.addLabels("cutover", "export-only");
        List<GHLabel> afterRemove = issue.removeLabel("eviction");
        assertThatThrownBy(() -> issue.removeLabel("legal-hold")).isInstanceOf(GHFileNotFoundException.class)
                .hasMessageContaining("Label does not exist");
        issue.close();

        assertThat(afterAdd).extracting(GHLabel::getName).containsExactly("eviction", "cutover", "export-only");
        assertThat(afterRemove).extracting(GHLabel::getName).containsExactly("cutover", "export-only");
        assertThat(gitHub.issue(REPO, issueNumber)).isEqualTo(new Issue(1, "Evict tenant acme-co",
                gitHub.issue(REPO, issueNumber).body(), "olivia", List.of("cutover", "export-only"), "closed"));
        assertThat(gh.getRepository(REPO).getIssue(issueNumber).getClosedAt()).isEqualTo(Date.from(START));

        assertThat(requests()).containsExactly(
                "GET /repos/acme/evictions",
                "GET /repos/acme/evictions/issues/1",
                "POST /repos/acme/evictions/issues/1/labels",
                "DELETE /repos/acme/evictions/issues/1/labels/eviction",
                "DELETE /repos/acme/evictions/issues/1/labels/legal-hold",
                "PATCH /repos/acme/evictions/issues/1",
                "GET /repos/acme/evictions",
                "GET /repos/acme/evictions/issues/1");
        assertThat(gitHub.server().findAll(postRequestedFor(urlEqualTo("/repos/acme/evictions/issues/1/labels"))
                .withRequestBody(equalToJson("{\"labels\":[\"cutover\",\"export-only\"]}")))).hasSize(1);
        assertThat(gitHub.server().findAll(patchRequestedFor(urlEqualTo("/repos/acme/evictions/issues/1"))
                .withRequestBody(equalToJson("{\"state\":\"closed\"}")))).hasSize(1);
        assertThat(statuses("DELETE", "/repos/acme/evictions/issues/1/labels/legal-hold")).containsExactly(404);
    }

    @Test
    void labelNamesWithSpacesAreEscapedInThePath() throws IOException {
        GHIssue issue = gh.getRepository(REPO).getIssue(issueNumber);
        issue.addLabels("legal hold");

        issue.removeLabel("legal hold");

        assertThat(requests()).last().isEqualTo("DELETE /repos/acme/evictions/issues/1/labels/legal%20hold");
        assertThat(gitHub.issue(REPO, issueNumber).labels()).containsExactly("eviction");
    }

    @Test
    void usersTeamsAndMembership() throws IOException {
        GHUser carol = gh.getUser("carol");
        GHUser olivia = gh.getUser("olivia");
        GHUser bot = gh.getUser(gitHub.botLogin());
        assertThatThrownBy(() -> gh.getUser("nobody-here")).isInstanceOf(GHFileNotFoundException.class)
                .hasMessageContaining("\"message\":\"Not Found\"");
        GHTeam team = gh.getOrganization("acme").getTeamBySlug("platform-ops");
        assertThatThrownBy(() -> gh.getOrganization("acme").getTeamBySlug("nope"))
                .isInstanceOf(GHFileNotFoundException.class);

        assertThat(carol.getType()).isEqualTo("User");
        assertThat(bot.getType()).isEqualTo("Bot");
        assertThat(team.getSlug()).isEqualTo("platform-ops");
        assertThat(team.hasMember(olivia)).isTrue();
        assertThat(team.hasMember(carol)).isFalse();

        long orgId = gh.getOrganization("acme").getId();
        assertThat(requests()).containsExactly(
                "GET /users/carol",
                "GET /users/olivia",
                "GET /users/offboard%5Bbot%5D",
                "GET /users/nobody-here",
                "GET /orgs/acme",
                "GET /orgs/acme/teams/platform-ops",
                "GET /orgs/acme/teams/nope",
                "GET /organizations/" + orgId + "/team/" + team.getId() + "/memberships/olivia",
                "GET /organizations/" + orgId + "/team/" + team.getId() + "/memberships/carol");
    }

    @Test
    void dispatchesTheTeardown() throws IOException {
        // kohsuke serialises with a snake_case naming strategy: snapshotAt goes out as snapshot_at.
        record Teardown(String orgcode, String snapshotAt) {}
        clock.advance(Duration.ofDays(27));

        gh.getRepository(REPO).dispatch("tenant-teardown", new Teardown("acme-co", "2026-02-01T00:00:00Z"));

        assertThat(gitHub.dispatches(REPO)).containsExactly(new RepositoryDispatch("tenant-teardown",
                "{\"orgcode\":\"acme-co\",\"snapshot_at\":\"2026-02-01T00:00:00Z\"}", START.plus(Duration.ofDays(27))));
        assertThat(requests()).containsExactly("GET /repos/acme/evictions", "POST /repos/acme/evictions/dispatches");
        assertThat(gitHub.server().findAll(postRequestedFor(urlEqualTo("/repos/acme/evictions/dispatches"))
                .withRequestBody(equalToJson("{\"event_type\":\"tenant-teardown\","
                        + "\"client_payload\":{\"orgcode\":\"acme-co\",\"snapshot_at\":\"2026-02-01T00:00:00Z\"}}"))))
                .hasSize(1);
        assertThat(statuses("POST", "/repos/acme/evictions/dispatches")).containsExactly(204);
    }

    @Test
    void humanActionsProduceGitHubWebhookPayloads() throws IOException {
        OpenedIssue opened = gitHub.openIssue(REPO, "olivia", "Evict tenant beta", "body v1", List.of("eviction"));
        Webhook edited = gitHub.editIssueBody(REPO, opened.number(), "olivia", "body v2");
        Webhook labeled = gitHub.labelIssue(REPO, opened.number(), "olivia", "urgent");
        PostedComment posted = gitHub.comment(REPO, opened.number(), "carol", "/status");
        Webhook commentEdited = gitHub.editComment(REPO, posted.id(), "carol", "/help");

        JsonNode open = JSON.readTree(opened.webhook().json());
        assertThat(opened.webhook().event()).isEqualTo("issues");
        assertThat(opened.number()).isEqualTo(2);
        assertThat(open.get("action").asText()).isEqualTo("opened");
        assertThat(open.at("/issue/number").asInt()).isEqualTo(2);
        assertThat(open.at("/issue/user/login").asText()).isEqualTo("olivia");
        assertThat(open.at("/issue/author_association").asText()).isEqualTo("MEMBER");
        assertThat(open.at("/issue/labels/0/name").asText()).isEqualTo("eviction");
        assertThat(open.at("/issue/created_at").asText()).isEqualTo("2026-01-05T10:00:00Z");
        assertThat(open.at("/repository/full_name").asText()).isEqualTo(REPO);
        assertThat(open.at("/repository/owner/type").asText()).isEqualTo("Organization");
        assertThat(open.at("/organization/login").asText()).isEqualTo("acme");
        assertThat(open.at("/sender/login").asText()).isEqualTo("olivia");
        assertThat(open.at("/sender/type").asText()).isEqualTo("User");
        assertThat(open.at("/installation/id").asLong()).isEqualTo(GitHubStandIn.DEFAULT_INSTALLATION_ID);
        List<String> fieldOrder = new ArrayList<>();
        open.fieldNames().forEachRemaining(fieldOrder::add);
        assertThat(fieldOrder).containsExactly("action", "issue", "repository", "organization", "sender", "installation");

        JsonNode edit = JSON.readTree(edited.json());
        assertThat(edit.get("action").asText()).isEqualTo("edited");
        assertThat(edit.at("/changes/body/from").asText()).isEqualTo("body v1");
        assertThat(edit.at("/issue/body").asText()).isEqualTo("body v2");

        JsonNode label = JSON.readTree(labeled.json());
        assertThat(label.get("action").asText()).isEqualTo("labeled");
        assertThat(label.at("/label/name").asText()).isEqualTo("urgent");
        assertThat(label.at("/issue/labels")).extracting(n -> n.get("name").asText()).containsExactly("eviction", "urgent");

        JsonNode created = JSON.readTree(posted.webhook().json());
        assertThat(posted.webhook().event()).isEqualTo("issue_comment");
        assertThat(created.at("/comment/id").asLong()).isEqualTo(posted.id());
        assertThat(created.at("/comment/author_association").asText()).isEqualTo("NONE");
        assertThat(created.at("/issue/comments").asInt()).isEqualTo(1);

        JsonNode commentEdit = JSON.readTree(commentEdited.json());
        assertThat(commentEdited.event()).isEqualTo("issue_comment");
        assertThat(commentEdit.get("action").asText()).isEqualTo("edited");
        assertThat(commentEdit.at("/changes/body/from").asText()).isEqualTo("/status");
        assertThat(commentEdit.at("/comment/body").asText()).isEqualTo("/help");

        GHEventPayload.Issue issuePayload = gh.parseEventPayload(new StringReader(labeled.json()), GHEventPayload.Issue.class);
        assertThat(issuePayload.getLabel().getName()).isEqualTo("urgent");
        assertThat(issuePayload.getIssue().getRepository().getFullName()).isEqualTo(REPO);
        GHEventPayload.IssueComment editPayload =
                gh.parseEventPayload(new StringReader(commentEdited.json()), GHEventPayload.IssueComment.class);
        assertThat(editPayload.getChanges().getBody().getFrom()).isEqualTo("/status");

        assertThat(List.of(opened.webhook(), edited, labeled, posted.webhook(), commentEdited))
                .extracting(Webhook::deliveryId).doesNotHaveDuplicates().allMatch(id -> id.length() == 36);
        assertThat(gitHub.comments(REPO, opened.number()).get(0).edits()).isEqualTo(1);
        assertThat(requests()).as("acting as a human goes around the API").isEmpty();
    }

    @Test
    void webhookSignatureIsGitHubsHmac() throws Exception {
        Webhook webhook = gitHub.comment(REPO, issueNumber, "carol", "/help").webhook();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));

        assertThat(webhook.signature256("s3cret"))
                .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(webhook.json().getBytes(StandardCharsets.UTF_8))));
        assertThat(webhook.headers("s3cret")).containsEntry("X-GitHub-Event", "issue_comment")
                .containsEntry("X-GitHub-Delivery", webhook.deliveryId());
    }

    @Test
    void answersGitHubsNotFoundAndServesCommentsById() throws Exception {
        gitHub.comment(REPO, issueNumber, "carol", "/done");
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> unknownRoute = http.send(get("/repos/acme/evictions/pulls/1"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unknownRepo = http.send(get("/repos/acme/nope/issues/1"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> byId = http.send(get("/repos/acme/evictions/issues/comments/1001"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongRepo = http.send(get("/repos/acme/other/issues/comments/1001"), HttpResponse.BodyHandlers.ofString());

        assertThat(unknownRoute.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknownRoute.body()).get("message").asText()).isEqualTo("Not Found");
        assertThat(unknownRoute.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(unknownRepo.statusCode()).isEqualTo(404);
        assertThat(wrongRepo.statusCode()).isEqualTo(404);
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(byId.body()).get("body").asText()).isEqualTo("/done");
        assertThatThrownBy(() -> gh.getRepository("acme/nope")).isInstanceOf(GHFileNotFoundException.class);
    }

    @Test
    void humanActionsOnUnknownThingsNameTheProblem() {
        assertThatThrownBy(() -> gitHub.comment("acme/nope", 1, "carol", "hi"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no repository acme/nope in the GitHub stand-in; call addRepository(\"acme/nope\") first");
        assertThatThrownBy(() -> gitHub.comment(REPO, 99, "carol", "hi"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no issue #99 in acme/evictions");
    }

    @Test
    void concurrentBotCommentsGetDistinctIncreasingIds() throws Exception {
        GHIssue issue = gh.getRepository(REPO).getIssue(issueNumber);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                GHIssueComment c = issue.comment("parallel " + n);
                c.createReaction(ReactionContent.EYES);
                return c.getId();
            }));
        }
        List<Long> ids = new ArrayList<>();
        for (Future<Long> f : futures) {
            ids.add(f.get(10, TimeUnit.SECONDS));
        }
        pool.shutdown();

        Collections.sort(ids);
        assertThat(ids).doesNotHaveDuplicates().hasSize(40).first().isEqualTo(1001L);
        assertThat(ids).last().isEqualTo(1040L);
        assertThat(gitHub.comments(REPO, issueNumber)).hasSize(40)
                .allSatisfy(c -> assertThat(c.reactions()).containsExactly("eyes"));
        assertThat(gitHub.issue(REPO, issueNumber)).extracting(Issue::state).isEqualTo("open");
    }

    @Test
    void transcriptReadsLikeTheThread() throws IOException {
        GHIssue issue = gh.getRepository(REPO).getIssue(issueNumber);
        GHIssueComment status = issue.comment("<!-- offboard:status v1 -->\n**Eviction recorded.** Cutover on 2026-02-01.");
        status.createReaction(ReactionContent.EYES);
        clock.advance(Duration.ofHours(2));
        PostedComment command = gitHub.comment(REPO, issueNumber, "carol", "/export");
        GHEventPayload.IssueComment payload = gh.parseEventPayload(
                new StringReader(command.webhook().json()), GHEventPayload.IssueComment.class);
        payload.getComment().createReaction(ReactionContent.EYES);
        payload.getComment().createReaction(ReactionContent.ROCKET);
        status.update("<!-- offboard:status v1 -->\n**Export ready.** Cutover on 2026-02-01.");
        clock.advance(Duration.ofDays(27));
        issue.addLabels("cutover");
        issue.removeLabel("eviction");
        issue.close();

        String transcript = gitHub.transcript(REPO, issueNumber);

        assertThat(transcript).isEqualTo("""
                # Evict tenant acme-co · #1

                **Closed** · @olivia opened this issue on 2026-01-05 10:00 UTC
                Labels: `cutover`

                ### Tenant orgcode

                acme-co

                ### Capability owners

                @carol

                ---

                _@olivia added the `eviction` label on 2026-01-05 10:00 UTC_

                ---

                **@offboard[bot]** commented on 2026-01-05 10:00 UTC (edited 1 time)

                **Export ready.** Cutover on 2026-02-01.

                👀 1

                ---

                **@carol** commented on 2026-01-05 12:00 UTC

                /export

                👀 1 · 🚀 1

                ---

                _@offboard[bot] added the `cutover` label on 2026-02-01 12:00 UTC_
                _@offboard[bot] removed the `eviction` label on 2026-02-01 12:00 UTC_
                _@offboard[bot] closed this as completed on 2026-02-01 12:00 UTC_
                """);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private GitHub client() throws IOException {
        return new GitHubBuilder().withEndpoint(gitHub.apiUrl()).withOAuthToken("test-token").build();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(gitHub.apiUrl() + path)).GET().build();
    }

    /** The journal oldest first (WireMock lists the newest first). */
    private List<ServeEvent> journal() {
        List<ServeEvent> events = new ArrayList<>(gitHub.server().getAllServeEvents());
        Collections.reverse(events);
        return events;
    }

    private List<String> requests() {
        return journal().stream().map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl()).toList();
    }

    private List<Integer> statuses(String method, String path) {
        return journal().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals(method) && e.getRequest().getUrl().equals(path))
                .map(e -> e.getResponse().getStatus())
                .toList();
    }

    private void journalReset() {
        gitHub.server().resetRequests();
    }

    @Test
    void theOAuthWebFlowIssuesASingleUseCodeForAKnownUserAndATokenThatGetUserAnswersForThem() throws Exception {
        gitHub.registerOAuthApp("Iv1.test", "s3cret", "http://127.0.0.1:9999/oauth/callback/github");
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String verifier = "a-code-verifier-that-is-long-enough-for-pkce-0123456789";
        String challenge = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String query = "client_id=Iv1.test&redirect_uri=http%3A%2F%2F127.0.0.1%3A9999%2Foauth%2Fcallback%2Fgithub"
                + "&state=c3RhdGU%3D&response_type=code&code_challenge=" + challenge + "&code_challenge_method=S256";

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(gitHub.webUrl()
                + "/login/oauth/authorize?" + query)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("<title>Sign in to GitHub (stand-in)</title>")
                .contains("name=\"state\" value=\"c3RhdGU&#61;\"".replace("&#61;", "="))
                .contains("id=\"login\"").contains("id=\"authorize\"");

        assertThat(authorize(http, query.replace("Iv1.test", "Iv1.other"), "carol").statusCode())
                .as("an unregistered client").isEqualTo(404);
        assertThat(authorize(http, query.replace("127.0.0.1%3A9999", "evil.example"), "carol").statusCode())
                .as("a redirect_uri that is not the app's callback").isEqualTo(400);
        HttpResponse<String> unknown = authorize(http, query, "nobody-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("There is no user <code>nobody-here</code>");

        HttpResponse<String> approved = authorize(http, query, "carol");
        assertThat(approved.statusCode()).isEqualTo(302);
        URI callback = URI.create(approved.headers().firstValue("Location").orElseThrow());
        assertThat(callback.toString()).startsWith("http://127.0.0.1:9999/oauth/callback/github?code=")
                .endsWith("&state=c3RhdGU%3D");
        String code = callback.getQuery().replaceAll(".*code=([^&]+).*", "$1");

        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("Iv1.test:wrong".getBytes(StandardCharsets.UTF_8));
        assertThat(token(http, basic, "code=" + code + "&code_verifier=" + verifier, true))
                .contains("\"error\":\"incorrect_client_credentials\"");
        assertThat(token(http, null, "client_id=Iv1.test&client_secret=s3cret&code=" + code + "&code_verifier=wrong", true))
                .as("PKCE: the verifier must match the challenge").contains("\"error\":\"bad_verification_code\"");

        // the failed exchanges above spent the code, as GitHub does: a new one
        code = URI.create(authorize(http, query, "carol").headers().firstValue("Location").orElseThrow()).getQuery()
                .replaceAll(".*code=([^&]+).*", "$1");
        String good = "client_id=Iv1.test&client_secret=s3cret&code=" + code + "&code_verifier=" + verifier;
        String form = token(http, null, good, false);
        assertThat(form).as("form-encoded unless JSON is asked for").startsWith("access_token=gho_")
                .contains("&token_type=bearer");
        String token = form.replaceAll("access_token=([^&]+).*", "$1");
        assertThat(token(http, null, good, true)).as("single use").contains("bad_verification_code");

        GHUser me = new GitHubBuilder().withEndpoint(gitHub.apiUrl()).withOAuthToken(token).build().getMyself();
        assertThat(me.getLogin()).isEqualTo("carol");
        assertThat(me.getId()).isEqualTo(gitHub.userId("carol"));
        assertThat(gh.getMyself().getLogin()).as("the bot's token is still the bot").isEqualTo(gitHub.botLogin());
        assertThatThrownBy(() -> new GitHubBuilder().withEndpoint(gitHub.apiUrl()).withOAuthToken("gho_forged")
                .build().getMyself()).isInstanceOf(IOException.class);
        assertThat(gitHub.requests()).extracting(GitHubStandIn.Request::line)
                .contains("GET /login/oauth/authorize", "POST /login/oauth/authorize", "POST /login/oauth/access_token");
    }

    private HttpResponse<String> authorize(HttpClient http, String query, String login) throws Exception {
        String form = query + "&login=" + login;
        return http.send(HttpRequest.newBuilder(URI.create(gitHub.webUrl() + "/login/oauth/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(HttpClient http, String authorization, String form, boolean json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gitHub.webUrl() + "/login/oauth/access_token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (json) {
            request.header("Accept", "application/json");
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GitHub answers the token endpoint with 200, errors included").isEqualTo(200);
        return r.body();
    }

    /** A clock the test moves by hand, as the demo's simulated clock does. */
    private static final class SteppingClock extends Clock {
        private volatile Instant now;

        SteppingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
