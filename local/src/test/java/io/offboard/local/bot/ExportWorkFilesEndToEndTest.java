package io.offboard.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.bot.export.ExportRunner;
import io.offboard.bot.journey.DynamoPurgeCheckpoints;
import io.offboard.bot.journey.PurgeStep;
import io.offboard.exporter.export.ExportWorkDirs;
import io.offboard.exporter.purge.PurgeReport;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.export.ExportStatus;
import io.offboard.lifecycle.export.FailureCause;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.lifecycle.store.ExportStore;
import io.offboard.local.support.BotFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The spool and checkpoints of exports ({@code OFFBOARD_EXPORT_WORK_DIR/<export id>/}: the tenant's rows as read, the
 * reading checkpoint, the upload checkpoint) are tenant data on the bot's disk. Real files, the real bot: they go when
 * an export fails, when the export of a dead worker's directory has ended elsewhere, when an export is not resumed
 * because its tenant is being purged, and at the tenant's purge, whatever their state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExportWorkFilesEndToEndTest {

    private static final String REPO = BotFixture.REPO;

    private Path workRoot;
    private BotFixture f;
    private ExportStore exports;
    private ExportWorkDirs dirs;
    private int acmeIssue;
    private int globexIssue;

    @BeforeAll
    void start() throws Exception {
        workRoot = Files.createTempDirectory("offboard-work-files");
        f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "work-files-secret", List.of("alice", "gina"),
                Map.of("offboard.export-work-dir", workRoot.toString()));
        exports = f.exports();
        dirs = new ExportWorkDirs(workRoot);
        acmeIssue = f.file("acme", "@alice", "2027-01-15");
        globexIssue = f.file("globex", "@gina", "2027-03-01");
    }

    @AfterAll
    void stop() throws IOException {
        f.close();
        ExportWorkDirs.deleteTree(workRoot);
    }

    @Test
    @Order(1)
    void thePurgeDeletesTheTenantsWorkFilesOnThisHostAndNoOtherTenants() throws Exception {
        f.clock.set(Instant.parse("2027-01-15T00:03:00Z"));
        f.bot.sweep();
        // two exports of acme that failed on a worker that died before it could clean up, one of globex, and a
        // directory this deployment knows nothing of
        Path acme1 = spool(ended("acme-failed-1", "acme", acmeIssue));
        Path acme2 = spool(ended("acme-failed-2", "acme", acmeIssue));
        Path globex = spool(ended("globex-failed-1", "globex", globexIssue));
        Path unknown = spool("not-ours-1");

        f.clock.set(Instant.parse("2027-02-14T00:05:00Z"));
        assertThat(f.bot.sweep().actions()).containsExactly(f.id(acmeIssue) + " purge");

        assertThat(f.eviction(acmeIssue).state()).isEqualTo(EvictionState.PURGED);
        assertThat(acme1).doesNotExist();
        assertThat(acme2).doesNotExist();
        assertThat(globex).as("another tenant's").isDirectory();
        assertThat(unknown).as("not this deployment's").isDirectory();
        PurgeReport report = storedReport(PurgeStep.purgeId(f.eviction(acmeIssue)));
        assertThat(report.passed()).isTrue();
        assertThat(report.workFiles()).isNotNull();
        assertThat(report.workFiles().removed()).isEqualTo(2);
        assertThat(report.workFiles().host()).isNotBlank();
    }

    @Test
    @Order(2)
    void aFailedExportLeavesNoWorkFilesBehind() throws Exception {
        // a dead worker's export of globex, taken over on this host, where its spool is: it then fails (a table
        // the registry does not cover appeared); it will never be resumed, so its spool goes
        ExportJob job = orphan("globex-orphan-1", "globex", globexIssue);
        Path spool = spool(job.exportId());
        f.stack.dynamo().createTable(b -> b.tableName("loyalty_points")
                .billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("orgcode").attributeType("S"))
                .keySchema(k -> k.attributeName("orgcode").keyType("HASH")));
        try {
            runner().submit(job);
            f.bot.awaitIdle();
        } finally {
            f.stack.dynamo().deleteTable(b -> b.tableName("loyalty_points"));
        }
        assertThat(exports.find(job.exportId()).orElseThrow().status()).isEqualTo(ExportStatus.FAILED);
        assertThat(spool).doesNotExist();
    }

    @Test
    @Order(3)
    void aPassOverAbandonedExportsDeletesTheSpoolOfOneThatEndedElsewhereAndKeepsOneThatRuns() throws Exception {
        // this host's worker died; another took the export over from scratch and finished it (here: failed it)
        Path endedElsewhere = spool(ended("globex-failed-2", "globex", globexIssue));
        // running on another replica right now (fresh heartbeat): a replica sharing this directory may be using it
        ExportJob running = exports.start(ExportJob.requested("globex-running-1", "globex",
                Optional.of(f.id(globexIssue)), "jsonl", "gzip", "gina", f.clock.instant(), f.clock.instant(), false));
        Path runningSpool = spool(running.exportId());
        Path unknown = workRoot.resolve("not-ours-1");

        assertThat(runner().resumeAbandoned(Duration.ofMinutes(10))).isZero();

        assertThat(endedElsewhere).doesNotExist();
        assertThat(runningSpool).isDirectory();
        assertThat(unknown).isDirectory();
        exports.update(running, running.failed("test over", FailureCause.REQUEST, f.clock.instant()));
    }

    @Test
    @Order(4)
    void anAbandonedExportOfAPurgedTenantIsNotResumedAndItsSpoolGoes() throws Exception {
        ExportJob job = orphan("acme-orphan-1", "acme", acmeIssue);
        Path spool = spool(job.exportId());

        assertThat(runner().resumeAbandoned(Duration.ofMinutes(10))).isZero();

        assertThat(exports.find(job.exportId()).orElseThrow().status()).isEqualTo(ExportStatus.FAILED);
        assertThat(spool).doesNotExist();
    }

    private PurgeReport storedReport(String purgeId) {
        var items = f.stack.dynamo().scan(b -> b.tableName(new BotTables(BotTables.DEFAULT_PREFIX).purges())).items();
        List<String> ids = items.stream().map(i -> i.get("purge_id").s()).filter(k -> k.startsWith("report#" + purgeId))
                .toList();
        assertThat(ids).hasSize(1);
        return f.bot.context().getBean(DynamoPurgeCheckpoints.class).report(ids.get(0)).orElseThrow();
    }

    private ExportRunner runner() {
        return f.bot.context().getBean(ExportRunner.class);
    }

    /** An export of {@code tenant} whose worker died an hour ago, with its command and reply comments. */
    private ExportJob orphan(String exportId, String tenant, int issue) {
        long command = f.github.comment(REPO, issue, tenant.equals("acme") ? "alice" : "gina", "/export").id();
        long reply = f.github.comment(REPO, issue, f.github.botLogin(), "exporting `" + tenant + "` ...").id();
        Instant anHourAgo = f.clock.instant().minus(Duration.ofHours(1));
        ExportJob job = ExportJob.requested(exportId, tenant, Optional.of(f.id(issue)), "jsonl", "gzip", "alice",
                anHourAgo, anHourAgo, false).withComments(command, reply);
        if (f.eviction(issue).state().exportable()) {
            return exports.start(job);
        }
        // an export of a tenant whose purge has begun can no longer be claimed: this one stands for a job stored
        // before its eviction moved on (claimed without the eviction, then tied to it)
        ExportJob unfenced = exports.start(ExportJob.requested(exportId, tenant, Optional.empty(), "jsonl", "gzip",
                "alice", anHourAgo, anHourAgo, false).withComments(command, reply));
        return exports.update(unfenced, job);
    }

    /** An export of {@code tenant} recorded as failed (its worker gone). */
    private String ended(String exportId, String tenant, int issue) {
        EvictionId eviction = f.id(issue);
        ExportJob job = exports.start(ExportJob.requested(exportId, tenant, Optional.of(eviction), "jsonl", "gzip",
                "alice", f.clock.instant(), f.clock.instant(), false));
        exports.update(job, job.failed("the worker stopped", FailureCause.PLATFORM, f.clock.instant()));
        return exportId;
    }

    /** A work directory as an export leaves it part-way: spooled rows, the reading and the upload checkpoints. */
    private Path spool(String exportId) throws IOException {
        Path dir = dirs.of(exportId);
        Files.createDirectories(dir.resolve("ord/ord_orders"));
        Files.writeString(dir.resolve("ord/ord_orders/part-00000.jsonl"),
                "{\"orgcode\":\"acme\",\"order_id\":\"ORD-00001\",\"amount\":12.5}\n");
        Files.writeString(dir.resolve("checkpoint.json"), "{\"request\":\"" + exportId + "\",\"tables\":{}}");
        Files.writeString(dir.resolve("upload.json"), "{\"bucket\":\"offboard-exports\",\"uploadId\":\"u-1\"}");
        return dir;
    }
}
