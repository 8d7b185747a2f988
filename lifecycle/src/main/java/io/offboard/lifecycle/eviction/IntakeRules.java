package io.offboard.lifecycle.eviction;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides whether an eviction issue is accepted. Every problem is reported at once, so the operator
 * fixes the form in one edit.
 */
public final class IntakeRules {

    private final Clock clock;

    public IntakeRules(Clock clock) {
        this.clock = clock;
    }

    public List<String> problems(EvictionForm form, IntakeFacts facts) {
        List<String> problems = new ArrayList<>(form.problems());
        if (!facts.filedByOperator()) {
            problems.add("this eviction was not filed by an operator; only operators may file evictions");
        }
        form.tenant().ifPresent(tenant -> {
            if (!facts.tenantKnown()) {
                problems.add("tenant `" + tenant + "` is not known on the platform; check the orgcode");
            }
            facts.otherOpenEviction().ifPresent(other -> problems.add(
                    "tenant `" + tenant + "` already has an open eviction in " + other
                            + "; close or cancel that one first"));
        });
        if (!facts.unknownOwners().isEmpty()) {
            problems.add("capability owner(s) " + facts.unknownOwners().stream().sorted()
                    .map(login -> "`@" + login + "`").collect(Collectors.joining(", "))
                    + " not found on GitHub; check the handle");
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
}
