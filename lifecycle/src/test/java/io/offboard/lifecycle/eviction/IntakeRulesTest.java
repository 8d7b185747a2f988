package io.offboard.lifecycle.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IntakeRulesTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);
    private final IntakeRules rules = new IntakeRules(clock);
    private final IntakeFacts allGood = new IntakeFacts(true, Set.of(), Optional.empty(), true);

    private EvictionForm form(String date) {
        return EvictionForm.parse("acme", "@alice", date, "needs GPUs");
    }

    @Test
    void aFutureDateFiledByAnOperatorForAKnownFreeTenantIsAccepted() {
        assertThat(rules.problems(form("2027-01-15"), allGood)).isEmpty();
    }

    @Test
    void todayAndThePastAreNotInTheFuture() {
        assertThat(rules.problems(form("2026-12-01"), allGood))
                .containsExactly("eviction date 2026-12-01 is not in the future (today is 2026-12-01 UTC); pick a later date");
        assertThat(rules.problems(form("2026-11-30"), allGood)).hasSize(1);
        assertThat(rules.problems(form("2026-12-02"), allGood)).isEmpty();
    }

    @Test
    void everyFailedFactIsReportedAtOnce() {
        IntakeFacts bad = new IntakeFacts(false, Set.of("ghost", "alice"),
                Optional.of(new EvictionId("platform/infra", 7)), false);

        assertThat(rules.problems(form("2020-01-01"), bad)).containsExactly(
                "this eviction was not filed by an operator; only operators may file evictions",
                "tenant `acme` is not known on the platform; check the orgcode",
                "tenant `acme` already has an open eviction in platform/infra#7; close or cancel that one first",
                "capability owner(s) `@alice`, `@ghost` not found on GitHub; check the handle",
                "eviction date 2020-01-01 is not in the future (today is 2026-12-01 UTC); pick a later date");
    }

    @Test
    void theDeletionDateIsThirtyDaysAfterCutoverAtMidnightUtc() {
        assertThat(RetentionWindow.scheduledCutover(java.time.LocalDate.of(2027, 1, 15)))
                .isEqualTo(Instant.parse("2027-01-15T00:00:00Z"));
        assertThat(RetentionWindow.plannedDeletion(java.time.LocalDate.of(2027, 1, 15)))
                .isEqualTo(Instant.parse("2027-02-14T00:00:00Z"));
        assertThat(RetentionWindow.deletionDue(Instant.parse("2027-01-15T00:00:00Z"), java.time.Duration.ofDays(3)))
                .isEqualTo(Instant.parse("2027-02-17T00:00:00Z"));
    }

    @Test
    void onlyOpenStatesHoldTheTenantAndOnlyPreCutoverStatesTakeFormEdits() {
        assertThat(EvictionState.NOTICE.holdsTenant()).isTrue();
        assertThat(EvictionState.CUTOVER.holdsTenant()).isTrue();
        assertThat(EvictionState.INVALID.holdsTenant()).isFalse();
        assertThat(EvictionState.CANCELED.holdsTenant()).isFalse();
        assertThat(EvictionState.PURGED.holdsTenant()).isFalse();
        assertThat(EvictionState.NOTICE.acceptsFormEdits()).isTrue();
        assertThat(EvictionState.INVALID.acceptsFormEdits()).isTrue();
        assertThat(EvictionState.CUTOVER.acceptsFormEdits()).isFalse();
    }
}
