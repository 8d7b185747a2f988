package io.offboard.exporter.purge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where a copy of the tenant's data lives, as the deletion receipt names it. */
public enum Tier {
    /** What the tenant could reach: the registry's service tables and buckets. */
    TENANT("tenant"),
    /** Platform-held copies the tenant cannot reach (registry {@code backups}). */
    BACKUP("backup"),
    /** The tenant's own export archives, kept by offboard until they expire. */
    EXPORT_ARCHIVES("export archives");

    private final String label;

    Tier(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static Tier fromLabel(String label) {
        for (Tier tier : values()) {
            if (tier.label.equals(label) || tier.name().equals(label)) {
                return tier;
            }
        }
        throw new IllegalArgumentException("not a tier: " + label);
    }
}
