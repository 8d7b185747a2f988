package io.offboard.exporter.copies;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A copy of a table that the purge cannot delete item by item and that still holds what a deletion removed: the
 * table's point-in-time recovery window (it can restore the deleted items until the deletion time plus the window),
 * or a backup taken before the deletion (until it expires, if ever). Seed 003 wants no copy to survive day 30: each
 * one is a platform defect to surface, tolerated only within the registry's declared allowance.
 *
 * @param name    "point-in-time recovery", or the backup's name
 * @param created when the backup was taken ({@code null} for point-in-time recovery)
 * @param window  the recovery window of point-in-time recovery ({@code null} for a backup)
 * @param expires until when it can give the deleted data back; {@code null}: no expiry known (an on-demand backup
 *                is kept until someone deletes it; an AWS Backup copy as its plan says)
 * @param beyondAllowance whether it outlives the deletion by more than {@code allowance}
 */
public record HeldCopy(String table, Kind kind, String name, String type, Instant created, Duration window,
                       Instant expires, Duration allowance, boolean beyondAllowance) {

    public enum Kind { POINT_IN_TIME_RECOVERY, BACKUP }

    public HeldCopy {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(allowance, "allowance");
    }

    /**
     * The copies of {@code copies} that outlive a deletion at {@code deletion}: point-in-time recovery when it is on,
     * and every backup taken before the deletion that does not expire by then. What could not be read is not here
     * (see {@link TableCopies#pitrUnreadable()}, {@link TableCopies#backupsUnreadable()}).
     */
    public static List<HeldCopy> outliving(TableCopies copies, Instant deletion, Duration allowance) {
        List<HeldCopy> held = new ArrayList<>();
        Instant limit = deletion.plus(allowance);
        if (copies.pitr() != null && copies.pitr().enabled()) {
            Duration window = copies.pitr().window();
            held.add(new HeldCopy(copies.table(), Kind.POINT_IN_TIME_RECOVERY, "point-in-time recovery", null, null,
                    window, deletion.plus(window), allowance, window.compareTo(allowance) > 0));
        }
        for (TableCopies.Backup backup : copies.backups()) {
            if (backup.created() != null && backup.created().isAfter(deletion)) {
                continue; // taken after the deletion: it holds none of the deleted data
            }
            if (backup.expires() != null && !backup.expires().isAfter(deletion)) {
                continue; // gone by the deletion
            }
            held.add(new HeldCopy(copies.table(), Kind.BACKUP, backup.name(), backup.type(), backup.created(), null,
                    backup.expires(), allowance, backup.expires() == null || backup.expires().isAfter(limit)));
        }
        return held;
    }

    /** One line, as the registry check prints it and the receipt lists it (times as ISO-8601 instants). */
    public String describe() {
        String what = kind == Kind.POINT_IN_TIME_RECOVERY
                ? "point-in-time recovery (" + windowLabel() + ") of table " + table
                + " can restore the deleted items until " + expires
                : backupKind() + " " + name + " of table " + table + " (taken " + created + ") " + expiry();
        return what + (beyondAllowance ? ", beyond" : ", within") + " the registry's allowance of " + span(allowance);
    }

    /** The recovery window as an adjective, e.g. {@code 35-day window}. */
    public String windowLabel() {
        return window == null ? "" : window.toSeconds() % 86_400 == 0 ? window.toDays() + "-day window"
                : window + " window";
    }

    /** "on-demand backup", "system backup" or "AWS Backup copy". */
    public String backupKind() {
        return "AWS_BACKUP".equals(type) ? "AWS Backup copy" : "SYSTEM".equals(type) ? "system backup"
                : "on-demand backup";
    }

    private String expiry() {
        if (expires != null) {
            return "expires " + expires;
        }
        return "AWS_BACKUP".equals(type)
                ? "has no expiry DynamoDB knows of (its AWS Backup plan decides): delete it by hand"
                : "has no expiry: delete it by hand";
    }

    /** A duration as people read it: whole days as {@code 35 days}, anything else in ISO-8601. */
    public static String span(Duration d) {
        if (d.toSeconds() % 86_400 == 0 && d.getNano() == 0) {
            long days = d.toDays();
            return days + (days == 1 ? " day" : " days");
        }
        return d.toString();
    }
}
