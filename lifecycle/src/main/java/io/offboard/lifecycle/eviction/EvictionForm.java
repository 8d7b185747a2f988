package io.offboard.lifecycle.eviction;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import io.offboard.lifecycle.eviction.FormFields.Field;
import io.offboard.lifecycle.text.UserText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The four fields of the eviction issue form as typed by the operator, checked for shape only.
 * Every field is checked; {@link #problems()} names each one that is wrong and how to fix it.
 * Facts that need a lookup (tenant known, owners exist, ...) are checked by {@link IntakeRules}.
 */
public record EvictionForm(
        Optional<String> tenant,
        List<String> owners,
        Optional<LocalDate> evictionDate,
        Optional<String> reason,
        Map<Field, List<String>> fieldProblems) {

    private static final Pattern ORGCODE = Pattern.compile("[a-z0-9][a-z0-9_-]{1,62}");
    // GitHub's own rule for logins: alphanumerics and single inner hyphens, at most 39 characters.
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}");
    private static final DateTimeFormatter ISO_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    /** What GitHub writes into an issue-form body for a field left empty. */
    public static final String NO_RESPONSE = "_No response_";

    public EvictionForm {
        owners = List.copyOf(owners);
        Map<Field, List<String>> copy = new EnumMap<>(Field.class);
        fieldProblems.forEach((field, list) -> {
            if (!list.isEmpty()) {
                copy.put(field, List.copyOf(list));
            }
        });
        fieldProblems = Collections.unmodifiableMap(copy);
    }

    public boolean wellFormed() {
        return fieldProblems.isEmpty();
    }

    /** Every problem, in the form's field order. */
    public List<String> problems() {
        return fieldProblems.values().stream().flatMap(List::stream).toList();
    }

    /** The problems of one field (empty when it is well formed). */
    public List<String> problems(Field field) {
        return fieldProblems.getOrDefault(field, List.of());
    }

    /** Parses the raw field values (null or blank when the field is missing). */
    public static EvictionForm parse(String rawTenant, String rawOwners, String rawDate, String rawReason) {
        Map<Field, List<String>> problems = new EnumMap<>(Field.class);
        for (Field f : Field.values()) {
            problems.put(f, new ArrayList<>());
        }

        Optional<String> tenant = Optional.empty();
        String tenantText = clean(rawTenant);
        if (tenantText.isEmpty()) {
            problems.get(Field.TENANT).add("tenant orgcode is missing; give the tenant's orgcode, e.g. `acme`");
        } else if (!ORGCODE.matcher(tenantText).matches()) {
            problems.get(Field.TENANT).add("tenant orgcode " + UserText.quote(tenantText) + " is not an orgcode; use lower-case letters, digits, `-` or `_`");
        } else {
            tenant = Optional.of(tenantText);
        }

        Set<String> owners = new LinkedHashSet<>();
        String ownersText = clean(rawOwners);
        if (ownersText.isEmpty()) {
            problems.get(Field.OWNERS).add("capability owner(s) missing; name at least one GitHub user, e.g. `@alice`");
        } else {
            for (String token : ownersText.split("[\\s,;]+")) {
                if (token.isEmpty()) {
                    continue;
                }
                String login = token.startsWith("@") ? token.substring(1) : token;
                if (LOGIN.matcher(login).matches()) {
                    owners.add(login);
                } else {
                    problems.get(Field.OWNERS).add("capability owner " + UserText.quote(token) + " is not a GitHub user handle; write `@login`");
                }
            }
            if (owners.isEmpty() && problems.get(Field.OWNERS).isEmpty()) {
                problems.get(Field.OWNERS).add("capability owner(s) missing; name at least one GitHub user, e.g. `@alice`");
            }
        }

        Optional<LocalDate> date = Optional.empty();
        String dateText = clean(rawDate);
        if (dateText.isEmpty()) {
            problems.get(Field.EVICTION_DATE).add("eviction date is missing; give it in UTC as YYYY-MM-DD");
        } else {
            try {
                date = Optional.of(LocalDate.parse(dateText, ISO_DATE));
            } catch (DateTimeParseException e) {
                problems.get(Field.EVICTION_DATE).add("eviction date " + UserText.quote(dateText) + " is not a date; use YYYY-MM-DD");
            }
        }

        Optional<String> reason = Optional.empty();
        String reasonText = clean(rawReason);
        if (reasonText.isEmpty()) {
            problems.get(Field.REASON).add("reason is missing; say why the tenant is evicted so it is on the record");
        } else {
            reason = Optional.of(reasonText);
        }

        return new EvictionForm(tenant, List.copyOf(owners), date, reason, problems);
    }

    private static String clean(String raw) {
        if (raw == null) {
            return "";
        }
        String trimmed = raw.strip();
        return NO_RESPONSE.equals(trimmed) ? "" : trimmed;
    }
}
