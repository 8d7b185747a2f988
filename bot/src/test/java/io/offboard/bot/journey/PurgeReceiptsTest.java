package io.offboard.bot.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.exporter.copies.HeldCopy;
import io.offboard.exporter.copies.TableCopies;
import io.offboard.exporter.purge.PurgeCounts;
import io.offboard.exporter.purge.PurgeReport;
import io.offboard.exporter.purge.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receipt's closing sentence claims exactly what the stored report shows, and no more. */
class PurgeReceiptsTest {

    private static final Instant AT = Instant.parse("2027-02-14T00:05:00Z");

    private static List<PurgeReport.SourceResult> sources(long residuals) {
        return List.of(
                new PurgeReport.SourceResult("dynamodb:ord_orders", "ord", Tier.TENANT, "dynamodb", "ord_orders", null,
                        PurgeCounts.ofItems(25), residuals, List.of()),
                new PurgeReport.SourceResult("s3:g3n-ord-attachments/acme/", "ord", Tier.TENANT, "s3",
                        "g3n-ord-attachments", "acme/", new PurgeCounts(0, 7, 11, 2, 29848, 1), 0, List.of()),
                new PurgeReport.SourceResult("s3:g3n-backup/acme/", "backups", Tier.BACKUP, "s3", "g3n-backup",
                        "acme/", new PurgeCounts(0, 4, 5, 0, 18846), 0, List.of()));
    }

    @Test
    void whatCouldNotBeReadAndWhatWasNotLookedAtAreSaidNotVerified() {
        TableCopies unread = new TableCopies("ord_orders", null,
                "ListBackups answered AccessDeniedException: denied", List.of(), null);
        PurgeReport report = PurgeReport.of("p", "acme", "v", AT, sources(0), List.of(unread), List.of());
        assertThat(PurgeReceipts.closing(report)).isEqualTo("Verified by a consistent re-read of 1 table, 2 buckets "
                + "(every object version, delete marker and unfinished upload under the tenant's prefix): nothing of "
                + "`acme` remains in them. Not verified: point-in-time recovery of 1 table (they could not be read, "
                + "see above); export work files on local disk.");
    }

    @Test
    void aReportStoredBeforeTheCopiesWereReadNeverSaysThereAreNone() {
        PurgeReport old = PurgeReport.of("p", "acme", "v", AT, sources(0));
        assertThat(PurgeReceipts.closing(old)).endsWith("Not verified: point-in-time recovery and backups of 1 table "
                + "(not looked at); export work files on local disk.");
    }

    @Test
    void aFailedVerificationIsNeverCalledVerified() {
        PurgeReport report = PurgeReport.of("p", "acme", "v", AT, sources(3),
                List.of(new TableCopies("ord_orders", TableCopies.Pitr.OFF, null, List.of(), null)), List.of())
                .withWorkFiles(new PurgeReport.WorkFiles("bot-1", 0));
        assertThat(PurgeReceipts.closing(report)).startsWith("Checked by a consistent re-read")
                .contains(", and of the export work files on `bot-1`: 3 residual entries of `acme` were found in "
                        + "them, so its data is not all deleted yet.")
                .doesNotContain("Verified").doesNotContain("point-in-time recovery");
    }

    @Test
    void aCopyIsNamedWithItsExpiryAndTheAllowance() {
        TableCopies orders = new TableCopies("ord_orders", new TableCopies.Pitr(true, Duration.ofDays(7), AT), null,
                List.of(new TableCopies.Backup("vault-1", "arn:1", "AWS_BACKUP", Instant.parse("2027-02-01T00:00:00Z"),
                        null)), null);
        List<HeldCopy> held = HeldCopy.outliving(orders, AT, Duration.ofDays(7));
        assertThat(held).extracting(PurgeReceipts::copy).containsExactly(
                "`ord_orders`: point-in-time recovery (7-day window) can restore the deleted items until "
                        + "**2027-02-21 00:05 UTC** (within the registry's allowance of 7 days)",
                "`ord_orders`: AWS Backup copy `vault-1`, taken 2027-02-01 00:00 UTC: **no expiry DynamoDB knows of** "
                        + "(its AWS Backup plan decides): delete it by hand — beyond the registry's allowance of 7 days");
        PurgeReport report = PurgeReport.of("p", "acme", "v", AT, sources(0), List.of(orders), held)
                .withWorkFiles(new PurgeReport.WorkFiles("bot-1", 1));
        assertThat(PurgeReceipts.closing(report)).contains("Still held: 2 copies the purge cannot delete item by item, "
                + "listed above with when each expires. Not verified: export work files on other hosts of the bot");
    }
}
