package io.offboard.exporter.copies;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which copies outlive a deletion, until when, and whether beyond the allowance. */
class HeldCopyTest {

    private static final Instant DELETION = Instant.parse("2027-02-14T00:05:00Z");

    private static TableCopies.Backup backup(String name, String type, String created, String expires) {
        return new TableCopies.Backup(name, "arn:aws:dynamodb:eu-west-1:1:table/ord_orders/backup/" + name, type,
                Instant.parse(created), expires == null ? null : Instant.parse(expires));
    }

    @Test
    void pointInTimeRecoveryKeepsTheDeletedItemsForItsWindowAndBackupsUntilTheyExpireIfEver() {
        TableCopies copies = new TableCopies("ord_orders",
                new TableCopies.Pitr(true, Duration.ofDays(35), Instant.parse("2027-01-10T00:00:00Z")), null,
                List.of(backup("nightly", "USER", "2027-02-01T03:00:00Z", null),
                        backup("deleted-table", "SYSTEM", "2027-01-20T00:00:00Z", "2027-02-24T00:00:00Z"),
                        backup("gone-before", "SYSTEM", "2026-12-01T00:00:00Z", "2027-01-05T00:00:00Z"),
                        backup("vault", "AWS_BACKUP", "2027-02-10T00:00:00Z", null),
                        backup("taken-after", "USER", "2027-02-15T00:00:00Z", null)),
                null);

        List<HeldCopy> none = HeldCopy.outliving(copies, DELETION, Duration.ZERO);
        assertThat(none).extracting(HeldCopy::name)
                .containsExactly("point-in-time recovery", "nightly", "deleted-table", "vault");
        assertThat(none).allMatch(HeldCopy::beyondAllowance);
        assertThat(none.get(0).expires()).isEqualTo(DELETION.plus(Duration.ofDays(35)));
        assertThat(none.get(1).expires()).as("an on-demand backup never expires by itself").isNull();
        assertThat(none.get(0).describe()).isEqualTo("point-in-time recovery (35-day window) of table ord_orders can "
                + "restore the deleted items until 2027-03-21T00:05:00Z, beyond the registry's allowance of 0 days");
        assertThat(none.get(1).describe()).isEqualTo("on-demand backup nightly of table ord_orders (taken "
                + "2027-02-01T03:00:00Z) has no expiry: delete it by hand, beyond the registry's allowance of 0 days");
        assertThat(none.get(3).describe()).contains("AWS Backup copy vault").contains("its AWS Backup plan decides");

        // a 35-day allowance tolerates the window and the system backup, never a backup without an expiry
        List<HeldCopy> allowed = HeldCopy.outliving(copies, DELETION, Duration.ofDays(35));
        assertThat(allowed).filteredOn(HeldCopy::beyondAllowance).extracting(HeldCopy::name)
                .containsExactly("nightly", "vault");

        TableCopies clean = new TableCopies("uas_orgs", TableCopies.Pitr.OFF, null, List.of(), null);
        assertThat(HeldCopy.outliving(clean, DELETION, Duration.ZERO)).isEmpty();
    }
}
