package io.offboard.lifecycle.eviction;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import io.offboard.lifecycle.eviction.FormFields.Field;
import io.offboard.lifecycle.text.UserText;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether an eviction issue is accepted, and what an operator's later edit of the form changes. Every
 * problem is reported at once, so the operator fixes the form in one edit. Only operators' actions reach these
 * rules: anyone else's issue or edit is ignored before it gets here.
 *
 * <p>Once accepted, the tenant and the eviction date are fixed: they were negotiated before the issue was filed
 * (seed 003), so an edit cannot move a freeze and a deletion to another tenant or day. Operators may still change
 * the capability owners (also after cutover) and the reason.
 */
public final class IntakeRules {

    private final Clock clock;

    public IntakeRules(Clock clock) {
        this.clock = clock;
    }

    public List<String> problems(EvictionForm form, IntakeFacts facts) {
        List<String> problems = new ArrayList<>(form.problems());
        form.tenant().ifPresent(tenant -> {
            if (!facts.tenantKnown()) {
                problems.add("tenant `" + tenant + "` is not known on the platform; check the orgcode");
            }
            facts.otherOpenEviction().ifPresent(other -> problems.add(
                    "tenant `" + tenant + "` already has an open eviction in " + other
                            + "; close or cancel that one first"));
        });
        if (!facts.unknownOwners().isEmpty()) {
            problems.add(unknownOwners(facts.unknownOwners()));
        }
        form.evictionDate().ifPresent(date -> {
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            if (!date.isAfter(today)) {
                problems.add("eviction date " + date + " is not in the future (today is " + today
                        + " UTC); pick a later date");
            }
        });
        return problems;
    }

    /**
     * An accepted eviction after an operator's edit: {@code answers} are the form's answers as they now stand (what
     * the operator's edits changed). Owners and reason are taken when they are valid; whatever the form says that
     * the record does not take is explained in the record's form notes, shown in the status comment.
     */
    public Eviction amend(Eviction accepted, FormFields answers, IntakeFacts facts) {
        EvictionForm form = answers.parse();
        List<String> notes = new ArrayList<>();
        boolean tenantDiffers = !form.tenant().equals(Optional.ofNullable(accepted.tenant()));
        boolean dateDiffers = !form.evictionDate().equals(Optional.ofNullable(accepted.evictionDate()));
        if (tenantDiffers) {
            notes.add("the form names tenant " + UserText.quote(answers.tenant()) + ", but this eviction is of `"
                    + accepted.tenant() + "`: the tenant cannot change once an eviction is accepted");
        }
        if (dateDiffers) {
            notes.add("the form gives eviction date " + UserText.quote(answers.evictionDate())
                    + ", but this eviction's is " + accepted.evictionDate()
                    + ": the date was agreed before filing and cannot change here");
        }
        List<String> owners = accepted.owners();
        Map<String, Long> ownerIds = accepted.ownerIds();
        List<String> ownerProblems = new ArrayList<>(form.problems(Field.OWNERS));
        if (!facts.unknownOwners().isEmpty()) {
            ownerProblems.add(unknownOwners(facts.unknownOwners()));
        }
        if (ownerProblems.isEmpty()) {
            owners = form.owners();
            ownerIds = facts.ownerIds();
        } else if (!form.owners().equals(owners)) {
            notes.add("the capability owners were not changed: " + String.join("; ", ownerProblems));
        }
        String reason = accepted.reason();
        if (form.reason().isPresent()) {
            reason = form.reason().get();
        } else {
            notes.add("the reason was not changed: " + String.join("; ", form.problems(Field.REASON)));
        }
        if (tenantDiffers || dateDiffers) {
            notes.add(accepted.state() == EvictionState.NOTICE
                    ? "to evict another tenant or on another date, an operator says `/cancel` here and files a new issue"
                    : "the tenant is frozen and the 30-day clock is running; it cannot be canceled");
        }
        return accepted.amended(owners, ownerIds, reason, answers, notes, clock.instant());
    }

    private static String unknownOwners(Set<String> logins) {
        return "capability owner(s) " + logins.stream().sorted().map(login -> "`@" + login + "`")
                .collect(Collectors.joining(", ")) + " not found on GitHub; check the handle";
    }
}
