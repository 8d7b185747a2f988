package io.offboard.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.bot.intake.IntakeCatchUp;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.github.OpenedIssue;
import io.offboard.local.support.BotFixture;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deliveries GitHub never made: the sweep finds open eviction issues without a record, takes in those an operator
 * labelled (as that operator's filing), and records the others as ignored so they are not examined again.
 */
class CatchUpEndToEndTest {

    private static String form(String tenant) {
        return BotFixture.form(tenant, "@alice", "2027-01-15", "GPUs");
    }

    @Test
    void issuesAnOperatorLabelledAreTakenInAndOthersIgnoredOnce() throws Exception {
        try (BotFixture f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "catch-up-secret",
                List.of("alice", "mallory"), Map.of("offboard.repositories", BotFixture.REPO))) {
            // three issues whose deliveries never reached the bot (GitHub down, the bot down, ...)
            OpenedIssue byOperator = f.github.openIssue(BotFixture.REPO, BotFixture.OPERATOR, "Evict acme",
                    form("acme"), List.of("eviction"));
            OpenedIssue byStranger = f.github.openIssue(BotFixture.REPO, "mallory", "Evict globex", form("globex"),
                    List.of("eviction"));
            OpenedIssue adopted = f.github.openIssue(BotFixture.REPO, "mallory", "Evict globex please",
                    form("globex"), List.of());
            f.github.labelIssue(BotFixture.REPO, adopted.number(), BotFixture.OPERATOR, "eviction");

            IntakeCatchUp.Report first = f.bot.catchUp();

            assertThat(first.takenIn()).containsExactlyInAnyOrder(f.id(byOperator.number()).toString(),
                    f.id(adopted.number()).toString());
            assertThat(first.ignored()).containsExactly(f.id(byStranger.number()).toString());
            assertThat(f.eviction(byOperator.number()).state()).isEqualTo(EvictionState.NOTICE);
            assertThat(f.eviction(adopted.number()).filedBy()).isEqualTo(BotFixture.OPERATOR);
            assertThat(f.eviction(adopted.number()).state()).isEqualTo(EvictionState.NOTICE);
            assertThat(f.botComments(byOperator.number())).hasSize(1);
            assertThat(f.store().find(f.id(byStranger.number()))).isEmpty();
            assertThat(f.github.comments(BotFixture.REPO, byStranger.number())).isEmpty();

            f.github.server().resetRequests();
            IntakeCatchUp.Report second = f.bot.catchUp();

            assertThat(second.takenIn()).isEmpty();
            assertThat(second.ignored()).isEmpty();
            assertThat(f.github.requests()).extracting(GitHubStandIn.Request::line)
                    .as("one listing; the ignored issue's events are not read again")
                    .noneMatch(line -> line.endsWith("/issues/" + byStranger.number() + "/events"));
        }
    }

    @Test
    void anIssueChangedAfterTheOperatorLabelledItIsNotTakenInAsTheOperatorsFiling() throws Exception {
        try (BotFixture f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "catch-up-edit-secret",
                List.of("alice", "mallory"), Map.of("offboard.repositories", BotFixture.REPO))) {
            OpenedIssue byOperator = f.github.openIssue(BotFixture.REPO, BotFixture.OPERATOR, "Evict acme",
                    form("acme"), List.of("eviction"));
            // its delivery was lost; meanwhile a writer who is no operator rewrites the form (ignored as it comes)
            f.clock.advance(java.time.Duration.ofMinutes(3));
            f.send(f.github.editIssueBody(BotFixture.REPO, byOperator.number(), "mallory", form("globex")));

            IntakeCatchUp.Report report = f.bot.catchUp();

            assertThat(report.takenIn()).isEmpty();
            assertThat(report.ignored()).as("not ignored for good: re-applying the label takes it in").isEmpty();
            assertThat(f.store().find(f.id(byOperator.number()))).isEmpty();
            assertThat(f.store().tenantHolder("globex")).isEmpty();
        }
    }
}
