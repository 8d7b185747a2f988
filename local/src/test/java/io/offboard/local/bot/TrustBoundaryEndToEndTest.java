package io.offboard.local.bot;

import static io.offboard.local.support.BotFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.eviction.FormFields;
import io.offboard.local.github.Comment;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.github.OpenedIssue;
import io.offboard.local.github.PostedComment;
import io.offboard.local.github.Webhook;
import io.offboard.local.support.BotFixture;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who may change what, end to end: every decision is made on the webhook's sender by numeric id; a stranger's
 * issue, edit, comment, forged marker or flood changes nothing and costs little; an operator's edit changes only
 * what it changed, never the tenant or the eviction date of an accepted eviction.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustBoundaryEndToEndTest {

    private static final String REPO = BotFixture.REPO;
    private static final String OPERATOR = BotFixture.OPERATOR;

    private BotFixture f;

    @BeforeAll
    void start() {
        f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "trust-test-secret",
                List.of("alice", "bob", "carol", "mallory"));
        f.github.addBot("other-app[bot]");
    }

    @AfterAll
    void stop() {
        f.close();
    }

    /** Frees the tenants for the next test: every open eviction is canceled by the operator. */
    @AfterEach
    void cancelOpenEvictions() throws Exception {
        for (String tenant : List.of("acme", "globex")) {
            var holder = f.store().tenantHolder(tenant);
            if (holder.isPresent() && f.store().find(holder.get()).orElseThrow().state() == EvictionState.NOTICE) {
                f.comment(holder.get().issueNumber(), OPERATOR, "/cancel");
            }
        }
    }

    private List<String> writesSince(int mark) {
        List<GitHubStandIn.Request> writes = f.github.writes();
        return writes.subList(Math.min(mark, writes.size()), writes.size()).stream()
                .map(GitHubStandIn.Request::line).toList();
    }

    // ---------------------------------------------------------------------------------------- who may file

    @Test
    void aStrangersEvictionIssueGetsNoCommentOnlyOneConfusedReactionAndAnOperatorLabelAdoptsIt() throws Exception {
        OpenedIssue opened = f.github.openIssue(REPO, "mallory", "Evict acme",
                form("acme", "@mallory", "2027-01-15", "I want their data"), List.of("eviction"));
        int mark = f.github.writes().size();

        f.send(opened.webhook());
        f.send(opened.webhook()); // GitHub redelivers

        assertThat(f.github.comments(REPO, opened.number())).isEmpty();
        assertThat(f.store().find(f.id(opened.number()))).isEmpty();
        assertThat(writesSince(mark)).containsExactly("POST /repos/" + REPO + "/issues/" + opened.number() + "/reactions");

        // the operator looks at it and adopts it by (re)applying the label: from now on it is the operator's filing
        f.send(f.github.labelIssue(REPO, opened.number(), OPERATOR, "eviction"));

        Eviction adopted = f.eviction(opened.number());
        assertThat(adopted.state()).isEqualTo(EvictionState.NOTICE);
        assertThat(adopted.filedBy()).isEqualTo(OPERATOR);
        assertThat(adopted.ownerIds()).containsEntry("mallory", f.github.userId("mallory"));
        assertThat(f.botComments(opened.number())).hasSize(1);
    }

    @Test
    void aNonOperatorWhoLabelsAnIssueAdoptsNothing() throws Exception {
        OpenedIssue opened = f.github.openIssue(REPO, "carol", "Evict globex",
                form("globex", "@carol", "2027-01-15", "x"), List.of());
        int mark = f.github.writes().size();

        f.send(f.github.labelIssue(REPO, opened.number(), "carol", "eviction"));

        assertThat(f.store().find(f.id(opened.number()))).isEmpty();
        assertThat(writesSince(mark)).isEmpty();
    }

    // ---------------------------------------------------------------------------------------- who may edit

    @Test
    void aNonOperatorsEditOfAnAcceptedEvictionChangesNothing() throws Exception {
        int issue = f.file("acme", "@alice", "2027-01-15");
        Eviction before = f.eviction(issue);
        int mark = f.github.writes().size();

        // the issue was opened by the operator; the edit is mallory's: the sender decides, not the issue's author
        f.send(f.github.editIssueBody(REPO, issue, "mallory", form("globex", "@mallory", "2027-12-24", "mine now")));

        Eviction after = f.eviction(issue);
        assertThat(after.tenant()).isEqualTo("acme");
        assertThat(after.owners()).containsExactly("alice");
        assertThat(after.evictionDate()).isEqualTo(before.evictionDate());
        assertThat(after.revision()).isEqualTo(before.revision());
        assertThat(f.store().tenantHolder("globex")).isEmpty();
        assertThat(writesSince(mark)).isEmpty();
        assertThat(f.audit(issue)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("intake.ignored");
            assertThat(e.actor()).contains("mallory");
        });
    }

    @Test
    void anOperatorCannotMoveAnAcceptedEvictionToAnotherTenantOrDateAndTheStatusSaysSo() throws Exception {
        int issue = f.file("acme", "@alice", "2027-01-15");

        f.send(f.github.editIssueBody(REPO, issue, OPERATOR, form("globex", "@alice", "2027-03-01", "GPUs")));

        Eviction after = f.eviction(issue);
        assertThat(after.tenant()).isEqualTo("acme");
        assertThat(after.evictionDate()).isEqualTo(LocalDate.parse("2027-01-15"));
        assertThat(f.store().tenantHolder("globex")).isEmpty();
        String status = f.botComments(issue).get(0);
        assertThat(status).contains("The issue form no longer matches this eviction")
                .contains("cannot change once an eviction is accepted")
                .contains("`/cancel`").contains("new issue");
    }

    @Test
    void whenAnOperatorEditsAfterSomeoneElseOnlyTheOperatorsChangeIsTaken() throws Exception {
        int issue = f.file("acme", "@alice", "2027-01-15");
        String strangers = form("acme", "@mallory", "2027-01-15", "GPUs");
        f.send(f.github.editIssueBody(REPO, issue, "mallory", strangers));

        // the operator fixes a word of the reason, in the body that still carries mallory's owner line
        f.send(f.github.editIssueBody(REPO, issue, OPERATOR, strangers.replace("GPUs", "GPUs and TPUs")));

        Eviction after = f.eviction(issue);
        assertThat(after.owners()).containsExactly("alice");
        assertThat(after.reason()).isEqualTo("GPUs and TPUs");
        assertThat(after.answers()).isEqualTo(new FormFields("acme", "@alice", "2027-01-15", "GPUs and TPUs"));
    }

    @Test
    void anOperatorMayChangeTheOwnersAfterCutoverAndOnlyTheNewOwnersMayCommand() throws Exception {
        // its own bot: a frozen tenant stays held, so it must not share the tenants of the other tests
        try (BotFixture g = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "trust-cutover-secret",
                List.of("alice", "bob"))) {
            int issue = g.file("globex", "@alice", "2027-01-15");
            g.clock.set(Instant.parse("2027-01-15T00:10:00Z"));
            g.bot.sweep();
            assertThat(g.eviction(issue).state()).isEqualTo(EvictionState.CUTOVER);

            g.send(g.github.editIssueBody(REPO, issue, OPERATOR, form("globex", "@bob", "2027-01-15", "GPUs")));

            Eviction after = g.eviction(issue);
            assertThat(after.owners()).containsExactly("bob");
            assertThat(after.ownerIds()).isEqualTo(Map.of("bob", g.github.userId("bob")));
            assertThat(g.botComments(issue).get(0)).contains("@bob").doesNotContain("@alice");
            g.comment(issue, "alice", "/done");
            assertThat(g.eviction(issue).timeline().ownerDone()).isEmpty();
            g.comment(issue, "bob", "/done");
            assertThat(g.eviction(issue).timeline().ownerDone()).isPresent();
        }
    }

    // ------------------------------------------------------------------------------------- who may command

    @Test
    void aCommentEditedBySomeoneElseRunsNothingEvenIfItsAuthorIsAnOwner() throws Exception {
        int issue = f.file("acme", "@alice", "2027-01-15");
        PostedComment hers = f.github.comment(REPO, issue, "alice", "Thanks!");
        f.send(hers.webhook());
        int mark = f.github.writes().size();

        // a repository admin who is no owner edits alice's comment to hold the eviction in her name
        f.send(f.github.editComment(REPO, hers.id(), "mallory", "Thanks!\n/done"));

        assertThat(f.eviction(issue).timeline().ownerDone()).isEmpty();
        assertThat(writesSince(mark)).isEmpty();

        // her own edit runs it, once
        f.send(f.github.editComment(REPO, hers.id(), "alice", "Thanks!\n/done"));
        f.send(f.github.editComment(REPO, hers.id(), "alice", "Thanks!!\n/done"));
        assertThat(f.eviction(issue).timeline().ownerDone()).isPresent();
        assertThat(f.github.comments(REPO, issue).stream().filter(c -> c.id() == hers.id()).findFirst().orElseThrow()
                .reactions()).containsExactly("eyes", "rocket");
    }

    @Test
    void strangersGetOneConfusedReactionEachAndOneRefusalADay() throws Exception {
        int issue = f.file("acme", "@alice", "2027-01-15");
        int comments = f.github.comments(REPO, issue).size();

        for (int i = 0; i < 3; i++) {
            f.comment(issue, "mallory", "/cancel\n/legal-hold on " + i + " @alice <!-- offboard:status v1 -->");
        }

        List<Comment> after = f.github.comments(REPO, issue);
        List<Comment> replies = after.subList(comments, after.size()).stream()
                .filter(c -> c.author().equals(f.github.botLogin())).toList();
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).body()).contains("@mallory, only the capability owners")
                .doesNotContain("@alice").doesNotContain("<!--").doesNotContain("legal-hold");
        assertThat(after.stream().filter(c -> c.author().equals("mallory")))
                .allSatisfy(c -> assertThat(c.reactions()).containsExactly("confused"));
        assertThat(f.eviction(issue).state()).isEqualTo(EvictionState.NOTICE);
        assertThat(f.eviction(issue).timeline().legalHold()).isEmpty();

        f.clock.advance(Duration.ofDays(1));
        f.comment(issue, "mallory", "/status");
        assertThat(f.lastBotComment(issue)).contains("@mallory, only the capability owners");
    }

    @Test
    void aRenamedOwnerKeepsTheRightsAndWhoeverTakesTheOldLoginGainsNothing() throws Exception {
        int issue = f.file("acme", "@carol", "2027-01-15");
        f.github.renameUser("carol", "carol-renamed");
        f.github.addUser("carol"); // someone else registers the freed login

        f.comment(issue, "carol", "/done");
        assertThat(f.eviction(issue).timeline().ownerDone()).isEmpty();
        assertThat(f.lastBotComment(issue)).contains("@carol, only the capability owners");

        f.comment(issue, "carol-renamed", "/done");
        assertThat(f.eviction(issue).timeline().ownerDone()).isPresent();
    }

    @Test
    void aRecordStoredBeforeOwnerIdsIsMigratedOnFirstTouch() throws Exception {
        int issue = f.file("acme", "@alice", "2027-01-15");
        // as a record from before this change: owners by login only
        f.store().modify(f.eviction(issue), e -> java.util.Optional.of(e.withOwnerIds(Map.of())));
        assertThat(f.eviction(issue).ownersWithoutId()).containsExactly("alice");

        f.comment(issue, "alice", "/status");

        assertThat(f.eviction(issue).ownerIds()).containsEntry("alice", f.github.userId("alice"));
        assertThat(f.github.comments(REPO, issue).get(f.github.comments(REPO, issue).size() - 1).reactions())
                .containsExactly("eyes", "rocket");
    }

    @Test
    void anOperatorNamedByLoginStaysTheAccountItWasFirstResolvedTo() throws Exception {
        try (BotFixture g = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "trust-pin-secret",
                List.of("alice"))) {
            int issue = g.file("acme", "@alice", "2027-01-15"); // resolves and pins the operator's login
            g.github.renameUser(OPERATOR, "olivia-now");
            g.github.addUser(OPERATOR); // an impostor registers the freed login
            g.restartBot(); // nothing in memory: only the pin remembers who the operator was

            g.comment(issue, OPERATOR, "/cancel");
            assertThat(g.eviction(issue).state()).isEqualTo(EvictionState.NOTICE);
            assertThat(g.lastBotComment(issue)).contains("only the capability owners");

            g.comment(issue, "olivia-now", "/cancel");
            assertThat(g.eviction(issue).state()).isEqualTo(EvictionState.CANCELED);
        }
    }

    @Test
    void aFloodIsCappedPerPersonAndIssueWhileJourneyMessagesAreNeverBudgeted() throws Exception {
        try (BotFixture g = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "trust-budget-secret",
                List.of("alice", "bob"), Map.of("offboard.person-writes-per-hour", 4))) {
            int issue = g.file("acme", "@alice, @bob", "2027-01-15");
            int mark = g.github.writes().size();

            for (int i = 0; i < 6; i++) {
                g.comment(issue, "alice", "/help " + i);
            }

            // 4 writes: the first comment's eyes, help and rocket, the second's eyes; the rest is dropped
            assertThat(g.github.writes().subList(mark, g.github.writes().size())).hasSize(4);
            var dropped = g.bot.context().getBean(io.micrometer.core.instrument.MeterRegistry.class)
                    .find("offboard.person.writes.dropped").counters();
            assertThat(dropped.stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum())
                    .isEqualTo(6 * 3 - 4);

            // another person's budget is their own
            g.comment(issue, "bob", "/help");
            assertThat(g.lastBotComment(issue)).contains("@bob");

            // the cutover notice comes whatever anyone spent
            g.clock.set(Instant.parse("2027-01-15T00:07:00Z"));
            g.bot.sweep();
            assertThat(g.botComment(issue, "frozen")).contains("@alice");
            // and an hour later alice is heard again
            g.clock.advance(Duration.ofHours(1));
            g.comment(issue, "alice", "/help again");
            assertThat(g.lastBotComment(issue)).contains("@alice, ");
        }
    }

    // ---------------------------------------------------------------------------- forged markers, own comments

    @Test
    void anotherAppsCommentFullOfForgedMarkersSilencesNothing() throws Exception {
        int issue = f.file("acme", "@alice", "2027-01-15");
        long status = f.eviction(issue).statusCommentId().orElseThrow();
        StringBuilder forged = new StringBuilder("<!-- offboard:status v1 -->\n");
        for (int revision = 1; revision < 40; revision++) {
            for (int position = 0; position < 4; position++) {
                forged.append("<!-- offboard:message r").append(revision).append('.').append(position).append(" -->\n");
            }
        }
        f.send(f.github.comment(REPO, issue, "other-app[bot]", forged.toString()).webhook());
        f.send(f.github.comment(REPO, issue, "mallory", forged.toString()).webhook());
        // the status comment is re-found by id after this: forget it, so the bot must search the thread
        f.store().modify(f.eviction(issue), e -> java.util.Optional.of(
                new Eviction(e.id(), e.state(), e.tenant(), e.owners(), e.evictionDate(), e.reason(), e.filedBy(),
                        e.problems(), e.ownerIds(), e.form(), e.formNotes(), java.util.Optional.empty(),
                        java.util.Optional.empty(), e.createdAt(), e.updatedAt(), e.timeline(), e.outbox(),
                        e.revision())));

        f.comment(issue, "alice", "/done");

        assertThat(f.eviction(issue).statusCommentId()).contains(status);
        String done = f.botComment(issue, "recorded that you have everything you need");
        assertThat(done).containsPattern("<!-- offboard:message \\S+ [0-9a-f]{32} -->");
    }

    // ------------------------------------------------------------------ found by the attacker's review

    @Test
    void aPendingInvitationToTheOperatorsTeamMakesNobodyAnOperator() throws Exception {
        try (BotFixture g = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "trust-team-secret",
                List.of("alice", "mallory"), Map.of("offboard.operators", OPERATOR + ",@platform/ops"))) {
            g.github.addTeam("platform", "ops", "tess");
            g.github.inviteToTeam("platform", "ops", "mallory"); // invited, never accepted
            int issue = g.file("acme", "@alice", "2027-01-15");

            g.comment(issue, "mallory", "/cancel");
            assertThat(g.eviction(issue).state()).isEqualTo(EvictionState.NOTICE);
            g.comment(issue, "tess", "/cancel");
            assertThat(g.eviction(issue).state()).as("an active member is an operator").isEqualTo(EvictionState.CANCELED);
        }
    }

    @Test
    void anOperatorsEditDeliveredLateDoesNotUndoANewerOne() throws Exception {
        int issue = f.file("acme", "@alice", "2027-01-15");
        var older = f.github.editIssueBody(REPO, issue, OPERATOR, form("acme", "@bob", "2027-01-15", "GPUs"));
        f.clock.advance(Duration.ofMinutes(5));
        var newer = f.github.editIssueBody(REPO, issue, OPERATOR, form("acme", "@carol", "2027-01-15", "GPUs"));

        f.send(newer);
        f.send(older); // GitHub delivered it late (or someone replayed it under a fresh delivery id)

        assertThat(f.eviction(issue).owners()).containsExactly("carol");
    }

    @Test
    void reopeningAStrangersIssueAdoptsNothing() throws Exception {
        OpenedIssue opened = f.github.openIssue(REPO, "mallory", "Evict globex", form("globex", "@mallory",
                "2027-01-15", "mine"), List.of("eviction"));
        f.send(opened.webhook());
        // the operator closes it as spam, then reopens it: GitHub sends issues.reopened with the operator as sender
        var labelled = f.github.labelIssue(REPO, opened.number(), OPERATOR, "triage");
        String reopened = labelled.json().replace("\"action\":\"labeled\"", "\"action\":\"reopened\"");
        f.send(new Webhook("issues", java.util.UUID.randomUUID().toString(), reopened));

        assertThat(f.store().find(f.id(opened.number()))).isEmpty();
        assertThat(f.github.comments(REPO, opened.number())).isEmpty();
    }

    @Test
    void whoeverTakesARenamedOwnersLoginLaterIsNotMigratedIntoAnOldRecord() throws Exception {
        try (BotFixture g = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "trust-squat-secret",
                List.of("carol"))) {
            int issue = g.file("acme", "@carol", "2027-01-15");
            // a record from before owners' ids were kept
            g.store().modify(g.eviction(issue), e -> java.util.Optional.of(e.withOwnerIds(Map.of())));
            g.github.renameUser("carol", "carol-new");
            g.clock.advance(Duration.ofDays(2));
            g.github.addUser("carol"); // registered after the eviction was filed
            g.restartBot(); // a process that never saw the old account

            g.comment(issue, "carol", "/done");

            assertThat(g.eviction(issue).timeline().ownerDone()).isEmpty();
            assertThat(g.eviction(issue).ownerIds()).doesNotContainValue(g.github.userId("carol"));
        }
    }

    @Test
    void reSpellingACommandInAnEditDoesNotRunItAgain() throws Exception {
        int issue = f.file("acme", "@alice", "2027-01-15");
        PostedComment c = f.github.comment(REPO, issue, "alice", "/help");
        f.send(c.webhook());
        int replies = f.botComments(issue).size();

        f.send(f.github.editComment(REPO, c.id(), "alice", "/HELP"));
        f.send(f.github.editComment(REPO, c.id(), "alice", "/help   "));

        assertThat(f.botComments(issue)).hasSize(replies);
    }
}
