package io.offboard.lifecycle.eviction;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The four answers of the eviction issue form as typed (raw text, null when absent). The record keeps the
 * answers it last took from an operator, so that an operator's edit changes only the fields that edit changed:
 * what someone else wrote into the issue in between is never taken.
 */
public record FormFields(String tenant, String owners, String evictionDate, String reason) {

    public enum Field {
        TENANT("tenant"), OWNERS("capability owner(s)"), EVICTION_DATE("eviction date"), REASON("reason");

        private final String label;

        Field(String label) {
            this.label = label;
        }

        /** As the form labels it, for notes a person reads. */
        public String label() {
            return label;
        }
    }

    public static final FormFields EMPTY = new FormFields(null, null, null, null);

    /** The fields whose text differs between {@code before} and this (surrounding blanks do not count). */
    public Set<Field> changedFrom(FormFields before) {
        Set<Field> changed = EnumSet.noneOf(Field.class);
        for (Field f : Field.values()) {
            if (!Objects.equals(clean(before.get(f)), clean(get(f)))) {
                changed.add(f);
            }
        }
        return changed;
    }

    /** These answers with {@code fields} taken from {@code source}. */
    public FormFields taking(FormFields source, Set<Field> fields) {
        return new FormFields(
                (fields.contains(Field.TENANT) ? source : this).tenant,
                (fields.contains(Field.OWNERS) ? source : this).owners,
                (fields.contains(Field.EVICTION_DATE) ? source : this).evictionDate,
                (fields.contains(Field.REASON) ? source : this).reason);
    }

    public String get(Field field) {
        return switch (field) {
            case TENANT -> tenant;
            case OWNERS -> owners;
            case EVICTION_DATE -> evictionDate;
            case REASON -> reason;
        };
    }

    public EvictionForm parse() {
        return EvictionForm.parse(tenant, owners, evictionDate, reason);
    }

    /** The answers an accepted record stands for (records stored before the answers were kept). */
    public static FormFields of(Eviction e) {
        return new FormFields(e.tenant(),
                e.owners().isEmpty() ? null : e.owners().stream().map(o -> "@" + o).collect(Collectors.joining(", ")),
                e.evictionDate() == null ? null : e.evictionDate().toString(), e.reason());
    }

    private static String clean(String raw) {
        if (raw == null) {
            return "";
        }
        String trimmed = raw.strip();
        return EvictionForm.NO_RESPONSE.equals(trimmed) ? "" : trimmed;
    }
}
