package io.offboard.lifecycle.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IntakeRulesTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);
    private final IntakeRules rules = new IntakeRules(clock);
    private final IntakeFacts allGood = new IntakeFacts(true, Set.of(), Map.of("alice", 501L), Optional.empty());

    private EvictionForm form(String date) {
        return EvictionForm.parse("acme", "@alice", date, "needs GPUs");
    }

    @Test
    void aFutureDateForAKnownFreeTenantIsAccepted() {
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
        IntakeFacts bad = new IntakeFacts(false, Set.of("ghost", "alice"), Map.of(),
                Optional.of(new EvictionId("platform/infra", 7)));

        assertThat(rules.problems(form("2020-01-01"), bad)).containsExactly(
                "tenant `acme` is not known on the platform; check the orgcode",
                "tenant `acme` already has an open eviction in platform/infra#7; close or cancel that one first",
                "capability owner(s) `@alice`, `@ghost` not found on GitHub; check the handle",
                "eviction date 2020-01-01 is not in the future (today is 2026-12-01 UTC); pick a later date");
    }

    @Test
    void theDeletionDateIsThirtyDaysAfterTheEvictionDateAtMidnightUtc() {
        assertThat(RetentionWindow.scheduledCutover(java.time.LocalDate.of(2027, 1, 15)))
                .isEqualTo(Instant.parse("2027-01-15T00:00:00Z"));
        assertThat(RetentionWindow.plannedDeletion(java.time.LocalDate.of(2027, 1, 15)))
                .isEqualTo(Instant.parse("2027-02-14T00:00:00Z"));
        assertThat(RetentionWindow.deletionDue(java.time.LocalDate.of(2027, 1, 15), java.time.Duration.ofDays(3)))
                .isEqualTo(Instant.parse("2027-02-17T00:00:00Z"));
    }

    @Test
    void onlyOpenStatesHoldTheTenant() {
        assertThat(EvictionState.NOTICE.holdsTenant()).isTrue();
        assertThat(EvictionState.CUTOVER.holdsTenant()).isTrue();
        assertThat(EvictionState.INVALID.holdsTenant()).isFalse();
        assertThat(EvictionState.CANCELED.holdsTenant()).isFalse();
        assertThat(EvictionState.PURGED.holdsTenant()).isFalse();
    }

    // ------------------------------------------------------------------ an operator's edit of an accepted eviction

    private static final FormFields FILED_FORM = new FormFields("acme", "@alice", "2027-01-15", "needs GPUs");

    private Eviction accepted() {
        return Eviction.accepted(new EvictionId("platform/infra", 12), FILED_FORM, Map.of("alice", 501L), "olivia",
                clock.instant());
    }

    @Test
    void theTenantAndTheEvictionDateOfAnAcceptedEvictionNeverChange() {
        FormFields edited = new FormFields("globex", "@alice", "2027-03-01", "needs GPUs");

        Eviction amended = rules.amend(accepted(), edited, allGood);

        assertThat(amended.tenant()).isEqualTo("acme");
        assertThat(amended.evictionDate()).isEqualTo(java.time.LocalDate.parse("2027-01-15"));
        assertThat(amended.answers()).isEqualTo(edited);
        assertThat(amended.formNotes()).hasSize(3);
        assertThat(amended.formNotes().get(0)).contains("globex").contains("`acme`").contains("cannot change");
        assertThat(amended.formNotes().get(1)).contains("2027-03-01").contains("2027-01-15");
        assertThat(amended.formNotes().get(2)).contains("`/cancel`").contains("new issue");
    }

    @Test
    void puttingTheTenantBackClearsTheNote() {
        Eviction wrong = rules.amend(accepted(), new FormFields("globex", "@alice", "2027-01-15", "needs GPUs"), allGood);

        Eviction back = rules.amend(wrong, FILED_FORM, allGood);

        assertThat(back.formNotes()).isEmpty();
    }

    @Test
    void ownersChangeByIdAndTheReasonChangesAlsoAfterCutover() {
        IntakeFacts bob = new IntakeFacts(true, Set.of(), Map.of("bob", 502L), Optional.empty());

        Eviction amended = rules.amend(accepted(), new FormFields("acme", "@bob", "2027-01-15", "needs TPUs"), bob);

        assertThat(amended.owners()).containsExactly("bob");
        assertThat(amended.ownerIds()).isEqualTo(Map.of("bob", 502L));
        assertThat(amended.reason()).isEqualTo("needs TPUs");
        assertThat(amended.formNotes()).isEmpty();
        assertThat(amended.isOwner(new io.offboard.lifecycle.access.Actor(502, "bob"))).isTrue();
        assertThat(amended.isOwner(new io.offboard.lifecycle.access.Actor(501, "alice"))).isFalse();
    }

    @Test
    void unknownOwnersAndAnEmptyReasonAreNotTaken() {
        IntakeFacts ghost = new IntakeFacts(true, Set.of("ghost"), Map.of(), Optional.empty());

        Eviction amended = rules.amend(accepted(), new FormFields("acme", "@ghost", "2027-01-15", ""), ghost);

        assertThat(amended.owners()).containsExactly("alice");
        assertThat(amended.ownerIds()).isEqualTo(Map.of("alice", 501L));
        assertThat(amended.reason()).isEqualTo("needs GPUs");
        assertThat(amended.formNotes()).hasSize(2);
        assertThat(amended.formNotes().get(0)).contains("owners were not changed").contains("@ghost");
        assertThat(amended.formNotes().get(1)).contains("reason was not changed");
    }

    @Test
    void aRenamedLoginIsStillTheOwnerAndANewHolderOfTheOldLoginIsNot() {
        Eviction e = accepted();

        assertThat(e.isOwner(new io.offboard.lifecycle.access.Actor(501, "alice-renamed"))).isTrue();
        assertThat(e.isOwner(new io.offboard.lifecycle.access.Actor(999, "alice"))).isFalse();
    }

    @Test
    void onlyTheFieldsAnEditChangedAreTaken() {
        FormFields stranger = new FormFields("globex", "@mallory", "2027-01-15", "needs GPUs");
        FormFields operator = new FormFields("globex", "@mallory", "2027-01-15", "needs GPUs and TPUs");

        Set<FormFields.Field> changed = operator.changedFrom(stranger);

        assertThat(changed).containsExactly(FormFields.Field.REASON);
        assertThat(FILED_FORM.taking(operator, changed))
                .isEqualTo(new FormFields("acme", "@alice", "2027-01-15", "needs GPUs and TPUs"));
    }
}
