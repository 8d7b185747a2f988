package io.offboard.exporter.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports and progress survive being stored as JSON; the stored totals cannot disagree with the lines. */
class PurgeJsonTest {

    private static PurgeReport report(long residuals) {
        return PurgeReport.of("purge-1", "acme", "2026.11.1", Instant.parse("2026-12-31T00:00:00Z"), List.of(
                new PurgeReport.SourceResult("dynamodb:ord_orders", "ord", Tier.TENANT, "dynamodb", "ord_orders", null,
                        PurgeCounts.ofItems(25), residuals,
                        residuals == 0 ? List.of() : List.of("{orgcode=acme, order_id=ORD-00003}")),
                new PurgeReport.SourceResult("s3:g3n-ord-attachments/acme/", "ord", Tier.TENANT, "s3",
                        "g3n-ord-attachments", "acme/", new PurgeCounts(0, 5, 9, 2, 1234), 0, List.of()),
                new PurgeReport.SourceResult("s3:g3n-backup/acme/", "backups", Tier.BACKUP, "s3", "g3n-backup",
                        "acme/", new PurgeCounts(0, 4, 5, 0, 999), 0, List.of()),
                new PurgeReport.SourceResult("s3:x/exports/acme/", "exports", Tier.EXPORT_ARCHIVES, "s3", "x",
                        "exports/acme/", new PurgeCounts(0, 1, 1, 0, 10), 0, List.of())));
    }

    @Test
    void aReportRoundTripsAndSumsPerServiceAndTier() throws Exception {
        PurgeReport report = report(0);
        assertThat(report.passed()).isTrue();
        assertThat(report.byServiceAndTier()).extracting(PurgeReport.ServiceTier::service, PurgeReport.ServiceTier::tier)
                .containsExactly(tuple("ord", Tier.TENANT),
                        tuple("backups", Tier.BACKUP),
                        tuple("exports", Tier.EXPORT_ARCHIVES));
        assertThat(report.byServiceAndTier().get(0).deleted()).isEqualTo(new PurgeCounts(25, 5, 9, 2, 1234));
        assertThat(report.deleted()).isEqualTo(new PurgeCounts(25, 10, 15, 2, 2243));
        String json = report.toJson();
        assertThat(PurgeReport.fromJson(json)).isEqualTo(report);
        JsonNode tree = PurgeJson.mapper().readTree(json);
        assertThat(tree.get("passed").booleanValue()).isTrue();
        assertThat(tree.get("verified_at").textValue()).isEqualTo("2026-12-31T00:00:00Z");
        assertThat(tree.get("by_service_and_tier").get(2).get("tier").textValue()).isEqualTo("export archives");
        assertThat(tree.get("sources").get(1).get("deleted").get("delete_markers").longValue()).isEqualTo(2);
    }

    @Test
    void theCopiesThePurgeCannotDeleteAndTheWorkFilesRoundTrip() {
        Instant verified = Instant.parse("2026-12-31T00:00:00Z");
        io.offboard.exporter.copies.TableCopies orders = new io.offboard.exporter.copies.TableCopies("ord_orders",
                new io.offboard.exporter.copies.TableCopies.Pitr(true, java.time.Duration.ofDays(35),
                        Instant.parse("2026-11-26T00:00:00Z")), null,
                List.of(new io.offboard.exporter.copies.TableCopies.Backup("nightly", "arn:b/1", "USER",
                        Instant.parse("2026-12-20T03:00:00Z"), null)), null);
        io.offboard.exporter.copies.TableCopies users = new io.offboard.exporter.copies.TableCopies("uas_users", null,
                "the endpoint does not implement DescribeContinuousBackups (UnknownOperationException)", List.of(),
                "ListBackups answered AccessDeniedException: no");
        PurgeReport report = PurgeReport.of("purge-1", "acme", "2026.11.1", verified, report(0).sources(),
                List.of(orders, users),
                io.offboard.exporter.copies.HeldCopy.outliving(orders, verified, java.time.Duration.ZERO))
                .withWorkFiles(new PurgeReport.WorkFiles("bot-1", 2));
        assertThat(report.heldCopies()).hasSize(2);
        assertThat(report.passed()).as("copies are named, not counted as residuals").isTrue();
        String json = report.toJson();
        assertThat(json).contains("\"window\":\"PT840H\"").contains("\"beyond_allowance\":true");
        assertThat(PurgeReport.fromJson(json)).isEqualTo(report);
    }

    @Test
    void countsStoredBeforeUploadsWereCountedReadAsNoUploads() {
        PurgeReport report = report(0);
        String stored = report.toJson().replace(",\"uploads\":0", "");
        assertThat(stored).doesNotContain("uploads");
        assertThat(PurgeReport.fromJson(stored)).isEqualTo(report);
    }

    @Test
    void aResidualFailsTheReportAndAStoredReportCannotClaimOtherwise() {
        PurgeReport failed = report(1);
        assertThat(failed.passed()).isFalse();
        assertThat(failed.residuals()).isEqualTo(1);
        assertThat(PurgeReport.fromJson(failed.toJson())).isEqualTo(failed);
        String forged = failed.toJson().replace("\"passed\":false", "\"passed\":true");
        assertThat(forged).isNotEqualTo(failed.toJson());
        assertThatThrownBy(() -> PurgeReport.fromJson(forged)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void progressRoundTripsWithAPendingBatch(@TempDir Path dir) throws IOException {
        PurgeProgress progress = PurgeProgress.start("purge-1", "acme")
                .afterBatch("s3:b/acme/", new PurgeCounts(0, 1, 2, 1, 30), "acme/a.txt")
                .sourceDone("dynamodb:t")
                .withPending(new PurgeProgress.PendingBatch("s3:b/acme/", null, List.of(
                        new VersionRef("acme/b.txt", "v1", false, 10), new VersionRef("acme/c.txt", null, false, 5))));
        assertThat(PurgeProgress.fromJson(progress.toJson())).isEqualTo(progress);
        assertThat(progress.pending().versions().get(1).versionId()).isEqualTo("null");

        FilePurgeCheckpoints files = new FilePurgeCheckpoints(dir);
        assertThat(files.load("purge-1")).isEmpty();
        files.save(progress);
        assertThat(files.load("purge-1")).contains(progress);
        PurgeProgress next = progress.afterBatch("s3:b/acme/", new PurgeCounts(0, 2, 2, 0, 15), "acme/c.txt");
        files.save(next);
        assertThat(files.load("purge-1")).contains(next);
        assertThat(next.pending()).isNull();
        assertThat(next.deleted("s3:b/acme/")).isEqualTo(new PurgeCounts(0, 3, 4, 1, 45));
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("purge-1.json");
        }
        assertThatThrownBy(() -> files.load("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);

        // a batch of unfinished uploads to abort is kept the same way, and counted apart from versions
        PurgeProgress aborting = next.withPending(new PurgeProgress.PendingBatch("s3:b/acme/", null, null, List.of(
                new UploadRef("acme/big.bin", "upload-1", Instant.parse("2026-12-30T10:00:00Z")))));
        assertThat(PurgeProgress.fromJson(aborting.toJson())).isEqualTo(aborting);
        PurgeProgress aborted = aborting.afterBatch("s3:b/acme/", PurgeCounts.ofUploads(1), null);
        assertThat(aborted.deleted("s3:b/acme/")).isEqualTo(new PurgeCounts(0, 3, 4, 1, 45, 1));
        assertThat(aborted.deleted("s3:b/acme/").entries()).isEqualTo(6);

        InMemoryPurgeCheckpoints memory = new InMemoryPurgeCheckpoints();
        memory.save(next);
        assertThat(memory.load("purge-1")).contains(next);
        assertThat(memory.load("purge-2")).isEmpty();
    }
}
