package io.offboard.local.bot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.offboard.bot.export.ExportRunner;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.export.ExportStatus;
import io.offboard.lifecycle.export.FailureCause;
import io.offboard.lifecycle.store.ExportStore;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.support.BotFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The export worker of the bot, end to end on the embedded stack: how a failure is told and recorded, and that a
 * worker busy in one long step (here: GitHub answering the first progress edit slowly, as a long object copy would
 * keep it) keeps its heartbeat, is not taken over by its own process, and survives a concurrent change of its record.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExportWorkerEndToEndTest {

    private static final String SECRET = "export-worker-secret";
    private static final int SLOW_MS = 2500;

    private BotFixture f;
    private ExportStore exports;
    private ExportRunner runner;
    private int issue;
    private StubMapping slow;

    @BeforeAll
    void start() throws Exception {
        f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), SECRET, List.of("alice"), Map.of(
                "offboard.export-progress-interval", "0s",
                "offboard.export-heartbeat-interval", "100ms"));
        exports = f.exports();
        runner = f.bot.context().getBean(ExportRunner.class);
        issue = f.file(DemoPlatform.ACME, "@alice", "2027-01-15");
    }

    @AfterAll
    void stop() {
        f.close();
    }

    @AfterEach
    void removeSlowGitHub() {
        if (slow != null) {
            f.github.server().removeStub(slow);
            slow = null;
        }
    }

    @Test
    @Order(1)
    void aFailedSourceIsNamedByServiceAndBucketWithoutTheErrorTextWhichGoesToTheAuditEntry() throws Exception {
        // the platform lost a registry bucket: listing it fails
        String bucket = DemoPlatform.EVT_USAGE;
        for (S3Object o : f.stack.s3().listObjectsV2(b -> b.bucket(bucket)).contents()) {
            f.stack.s3().deleteObject(b -> b.bucket(bucket).key(o.key()));
        }
        f.stack.s3().deleteBucket(b -> b.bucket(bucket));
        try {
            f.comment(issue, "alice", "/export");
        } finally {
            f.stack.s3().createBucket(b -> b.bucket(bucket));
        }

        String reply = f.botComment(issue, "**failed**");
        assertThat(reply).contains("the S3 bucket `g3n-evt-usage` of service `evt` could not be read")
                .contains("failure on the platform's side")
                .doesNotContain("Status Code").doesNotContain("does not exist").doesNotContain("Exception");
        ExportJob failed = latestJob(j -> j.status() == ExportStatus.FAILED);
        assertThat(failed.failureCause()).contains(FailureCause.PLATFORM);
        assertThat(failed.failure()).contains("the S3 bucket `g3n-evt-usage` of service `evt` could not be read");
        // the details are for the operators: in the audit entry (and the log)
        assertThat(f.audit(issue)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("export.failed");
            assertThat(e.detail()).contains(failed.exportId()).contains("PLATFORM")
                    .contains("g3n-evt-usage").contains("NoSuchBucket");
        });
        // a platform-side failure pauses the countdown
        assertThat(f.botComments(issue)).anyMatch(c -> c.contains("countdown of `acme` is paused"));
    }

    @Test
    @Order(2)
    void aProcessNeverTakesOverAnExportItIsRunningHoweverOldItsHeartbeatLooks() throws Exception {
        slowFirstProgressEdit();
        ExportJob running = startExportAndWaitUntilBusy();

        // an hour passes in one step of the worker: the record looks abandoned
        f.clock.advance(Duration.ofHours(1));
        assertThat(runner.resumeAbandoned(Duration.ofMinutes(10))).as("its own export is not taken over").isZero();

        f.bot.awaitIdle();
        ExportJob done = exports.find(running.exportId()).orElseThrow();
        assertThat(done.status()).isEqualTo(ExportStatus.EXPORTED);
        assertThat(f.botComment(issue, done.sha256().orElseThrow())).contains("the export of `acme` is ready");
    }

    @Test
    @Order(3)
    void theHeartbeatRunsOnItsOwnTimerWhileTheWorkerIsBusyInOneStep() throws Exception {
        slowFirstProgressEdit();
        ExportJob running = startExportAndWaitUntilBusy();

        f.clock.advance(Duration.ofHours(1));
        Instant later = f.clock.instant();
        long deadline = System.nanoTime() + Duration.ofMillis(SLOW_MS / 2).toNanos();
        ExportJob seen = exports.find(running.exportId()).orElseThrow();
        while (seen.heartbeatAt().orElseThrow().isBefore(later) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = exports.find(running.exportId()).orElseThrow();
        }
        assertThat(seen.heartbeatAt()).as("a heartbeat while the worker waits").contains(later);
        assertThat(seen.abandoned(f.clock.instant(), Duration.ofMinutes(10))).isFalse();

        f.bot.awaitIdle();
        assertThat(exports.find(running.exportId()).orElseThrow().status()).isEqualTo(ExportStatus.EXPORTED);
    }

    @Test
    @Order(4)
    void aConcurrentChangeOfTheRecordWhileProgressIsSavedDoesNotEndTheExport() throws Exception {
        slowFirstProgressEdit();
        ExportJob running = startExportAndWaitUntilBusy();

        // someone else writes the record meanwhile (another replica, an operator's tool); the worker's own heartbeat
        // may get in between our read and write, so this is a read-modify-write loop like any other writer's
        for (int attempt = 1; ; attempt++) {
            ExportJob current = exports.find(running.exportId()).orElseThrow();
            try {
                exports.update(current, current.heartbeat(f.clock.instant()));
                break;
            } catch (io.offboard.lifecycle.store.ConcurrentChangeException e) {
                assertThat(attempt).isLessThan(20);
            }
        }

        f.bot.awaitIdle();
        ExportJob done = exports.find(running.exportId()).orElseThrow();
        assertThat(done.failure()).isEmpty();
        assertThat(done.status()).isEqualTo(ExportStatus.EXPORTED);
        assertThat(f.botComment(issue, done.sha256().orElseThrow())).contains("the export of `acme` is ready");
    }

    // ---- helpers

    /** GitHub answers the first progress edit of an export after {@value #SLOW_MS} ms. */
    private void slowFirstProgressEdit() {
        slow = f.github.server().stubFor(patch(urlPathMatching("/repos/.*/issues/comments/\\d+"))
                .withRequestBody(containing("Exporting `acme`"))
                .inScenario("slow-" + System.nanoTime()).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("answered")
                .atPriority(1)
                .willReturn(aResponse().withTransformers(GitHubStandIn.RESPONDER).withFixedDelay(SLOW_MS)));
    }

    /** Comments /export without waiting for the bot; returns once the worker has saved progress (and waits on GitHub). */
    private ExportJob startExportAndWaitUntilBusy() throws Exception {
        f.sendWithoutWaiting(f.github.comment(BotFixture.REPO, issue, "alice", "/export").webhook());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var id = exports.running(DemoPlatform.ACME);
            if (id.isPresent()) {
                var job = exports.find(id.get());
                if (job.isPresent() && job.get().status() == ExportStatus.EXPORTING) {
                    return job.get();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the export did not start");
    }

    private ExportJob latestJob(Predicate<ExportJob> which) {
        return f.stack.dynamo().scanPaginator(b -> b.tableName("offboard_exports")).items().stream()
                .map(item -> exports.find(item.get("export_id").s()).orElseThrow())
                .filter(which).max(java.util.Comparator.comparing(ExportJob::requestedAt)).orElseThrow();
    }
}
