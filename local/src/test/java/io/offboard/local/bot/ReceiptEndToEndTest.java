package io.offboard.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.exporter.copies.TableCopies;
import io.offboard.exporter.registry.Registry;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.support.BackupsStandIn;
import io.offboard.local.support.BotFixture;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The deletion receipt says only what is true: per source the unfinished uploads aborted; each copy of a table that
 * the purge cannot delete item by item, with when it expires (against a stand-in answering DynamoDB's
 * DescribeContinuousBackups and ListBackups), or that it could not be read (DynamoDB Local cannot answer them); and a
 * closing sentence naming exactly what was verified and what was not.
 */
class ReceiptEndToEndTest {

    private static final List<String> TABLES = Registry.bundled().tables().stream().map(Registry.Table::name).toList();

    @Test
    void onDynamoDbLocalTheReceiptSaysTheCopiesCouldNotBeReadNeverThatThereAreNone() throws Exception {
        try (BotFixture f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "receipt-secret", List.of("alice"))) {
            // a user's attachment upload cut off before the cutover: its parts are tenant data too
            String uploadId = f.stack.s3().createMultipartUpload(b -> b.bucket(DemoPlatform.ORD_ATTACHMENTS)
                    .key("acme/uploads/site-plan.pdf")).uploadId();
            f.stack.s3().uploadPart(b -> b.bucket(DemoPlatform.ORD_ATTACHMENTS).key("acme/uploads/site-plan.pdf")
                    .uploadId(uploadId).partNumber(1), RequestBody.fromBytes(new byte[2048]));

            String receipt = purge(f);

            assertThat(receipt)
                    .contains("| unfinished uploads aborted |")
                    .contains("| ord | tenant | `g3n-ord-attachments/acme/` | 7 objects (11 versions, 2 delete markers) "
                            + "| 29848 | 1 | 0 |")
                    .contains("| uas | tenant | `uas_orgs` | 1 item | n/a | n/a | 0 |")
                    .contains("- point-in-time recovery of tables `uas_users`, `ord_orders`, `evt_changelog`, "
                            + "`uas_orgs` **could not be read** (the endpoint does not implement "
                            + "DescribeContinuousBackups (UnknownOperationException)): whether it holds the deleted "
                            + "items is not known")
                    .contains("- backups of tables `uas_users`, `ord_orders`, `evt_changelog`, `uas_orgs` **could not "
                            + "be read** (the endpoint does not implement ListBackups (UnknownOperationException))")
                    .contains("Verified by a consistent re-read of 4 tables, 3 buckets (every object version, delete "
                            + "marker and unfinished upload under the tenant's prefix) and the export archives, and of "
                            + "the export work files on `")
                    .contains("`: nothing of `acme` remains in them. Not verified: point-in-time recovery of 4 tables "
                            + "and backups of 4 tables (the endpoint could not answer); export work files on other "
                            + "hosts of the bot (each deletes its own when an export ends).")
                    .doesNotContain("none:")
                    .doesNotContain("Still held")
                    .doesNotContain("remains in any tier");
            assertThat(f.stack.s3().listMultipartUploads(b -> b.bucket(DemoPlatform.ORD_ATTACHMENTS).prefix("acme/"))
                    .uploads()).isEmpty();
        }
    }

    @Test
    void againstAnEndpointThatAnswersTheReceiptNamesEachCopyWithWhenItExpires() throws Exception {
        try (BotFixture f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "receipt-secret", List.of("alice"));
             BackupsStandIn dynamo = BackupsStandIn.start(f.stack.dynamoEndpoint())) {
            dynamo.none(TABLES)
                    .pitr(DemoPlatform.ORD_ORDERS, true, null, Instant.parse("2027-01-10T00:00:00Z"))
                    .backups(DemoPlatform.ORD_ORDERS, List.of(new TableCopies.Backup("nightly-2027-02-01",
                            "arn:aws:dynamodb:eu-west-1:123456789012:table/ord_orders/backup/01738378800000-a1b2",
                            "USER", Instant.parse("2027-02-01T03:00:00Z"), null)))
                    .backups(DemoPlatform.EVT_CHANGELOG, List.of(new TableCopies.Backup("evt_changelog$DeletedTableBackup",
                            "arn:aws:dynamodb:eu-west-1:123456789012:table/evt_changelog/backup/01737000000000-c3d4",
                            "SYSTEM", Instant.parse("2027-01-16T00:00:00Z"), Instant.parse("2027-02-20T00:00:00Z"))));
            f.restartBot(Map.of("offboard.dynamodb-endpoint", dynamo.endpoint().toString()));

            String receipt = purge(f);

            assertThat(receipt)
                    .contains("- `ord_orders`: point-in-time recovery (35-day window) can restore the deleted items "
                            + "until **2027-03-21 00:05 UTC** — beyond the registry's allowance of 0 days")
                    .contains("- `ord_orders`: on-demand backup `nightly-2027-02-01`, taken 2027-02-01 03:00 UTC: "
                            + "**no expiry: delete it by hand** — beyond the registry's allowance of 0 days")
                    .contains("- `evt_changelog`: system backup `evt_changelog$DeletedTableBackup`, taken 2027-01-16 "
                            + "00:00 UTC: expires **2027-02-20 00:00 UTC** — beyond the registry's allowance of 0 days")
                    .contains("**A copy outlives the deletion beyond the registry's allowance.**")
                    .contains(": nothing of `acme` remains in them. Still held: 3 copies the purge cannot delete item "
                            + "by item, listed above with when each expires. Not verified: export work files on other "
                            + "hosts of the bot (each deletes its own when an export ends).")
                    .doesNotContain("could not be read")
                    .doesNotContain("none:");
            assertThat(dynamo.calls("DescribeContinuousBackups")).isEqualTo(TABLES.size());
        }
    }

    /** Files acme's eviction, cuts over, runs the day-30 purge; returns the receipt. */
    private static String purge(BotFixture f) throws Exception {
        int issue = f.file("acme", "@alice", "2027-01-15");
        f.clock.set(Instant.parse("2027-01-15T00:03:00Z"));
        f.bot.sweep();
        f.clock.set(Instant.parse("2027-02-14T00:05:00Z"));
        f.bot.sweep();
        assertThat(f.eviction(issue).state()).isEqualTo(EvictionState.PURGED);
        return f.botComment(issue, "Deletion receipt");
    }
}
