package io.offboard.bot.journey;

import io.offboard.bot.config.ExportBotSettings;
import io.offboard.exporter.export.ExportWorkDirs;
import io.offboard.exporter.purge.ExtraLocation;
import io.offboard.exporter.purge.PurgeListener;
import io.offboard.exporter.purge.PurgeOptions;
import java.time.Clock;
import io.offboard.exporter.purge.PurgeReport;
import io.offboard.exporter.registry.Registry;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import io.offboard.exporter.purge.PurgeRequest;
import io.offboard.exporter.purge.TenantPurge;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.lifecycle.store.ExportStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Day 30: the purge of every tier, then the verification. The record moves to PURGING before anything is
 * deleted; the purge checkpoints after every batch under an id fixed by the record (eviction, start time,
 * attempt), so a sweep that died mid-purge is resumed by the next one from the same checkpoint. Only a
 * verification with zero residuals makes the eviction PURGED; otherwise the issue is alerted and the next
 * sweep runs a fresh attempt. Other {@link PurgeListener} beans (metrics, tests) see every batch. Before the
 * platform's sources, the work directories of the tenant's exports left on this host (spool and checkpoints of
 * exports that failed or whose worker died) are deleted; the report says so, and for which host.
 */
@Singleton
public class PurgeStep {

    private static final Logger LOG = LoggerFactory.getLogger(PurgeStep.class);
    /**
     * The checkpoint holds the batch in flight; DynamoDB items stop at 400 KB, so S3 batches are kept to 200
     * keys (S3 keys reach 1,024 bytes) instead of the 1,000 a DeleteObjects request allows.
     */
    static final PurgeOptions OPTIONS = PurgeOptions.defaults().withBatches(25, 200);

    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final Registry registry;
    private final DynamoPurgeCheckpoints checkpoints;
    private final EvictionStore store;
    private final JourneyChanges changes;
    private final EvictionJourney journey;
    private final ExportBotSettings exportSettings;
    private final ExportStore exports;
    private final AuditLog audit;
    private final Clock clock;
    private final List<PurgeListener> observers;

    public PurgeStep(DynamoDbClient dynamo, S3Client s3, Registry registry, DynamoPurgeCheckpoints checkpoints,
                     EvictionStore store, JourneyChanges changes, EvictionJourney journey,
                     ExportBotSettings exportSettings, ExportStore exports, AuditLog audit, Clock clock,
                     List<PurgeListener> observers) {
        this.dynamo = dynamo;
        this.s3 = s3;
        this.registry = registry;
        this.checkpoints = checkpoints;
        this.store = store;
        this.changes = changes;
        this.journey = journey;
        this.exportSettings = exportSettings;
        this.exports = exports;
        this.audit = audit;
        this.clock = clock;
        this.observers = List.copyOf(observers);
    }

    /** The deadline has come: the eviction moves to purging (from then on no export can be claimed). */
    public Eviction begin(Eviction e) {
        Eviction current = changes.store(e.id(), journey::startPurge).record();
        if (current.state() == EvictionState.PURGING) {
            audit.append(e.id(), "offboard", "purge.started", purgeId(current));
        }
        return current;
    }

    /**
     * Runs (or resumes) the purge of {@code current}'s tenant while holding the record's lease; {@code current} is
     * purging ({@link #begin}). A purge that stops on purpose (lease lost, legal hold) leaves the record as it is for the
     * next sweep; one that fails, or whose verification finds residuals, is recorded as an incomplete attempt:
     * retried later, the issue alerted.
     */
    public Eviction run(Eviction current, JourneyChanges.Lease lease) {
        if (current.state() != EvictionState.PURGING) {
            throw new IllegalStateException(current.id() + " is " + current.state() + ": begin the purge first");
        }
        EvictionId id = current.id();
        String purgeId = purgeId(current);
        List<ExtraLocation> archives = List.of(
                new ExtraLocation(exportSettings.exportsBucket(), "exports/" + current.tenant() + "/"));
        PurgeListener watch = (source, counts, sourceDone) -> {
            // a long purge keeps its lease; losing it means another sweep took over: stop at this checkpoint
            if (!changes.renew(lease)) {
                throw new PurgeStopped("the lease on " + id + " was lost; the purge resumes where the new holder is");
            }
            observers.forEach(o -> o.progress(source, counts, sourceDone));
            if (sourceDone) {
                LOG.info("purge {}: {} done ({} entries)", purgeId, source, counts.entries());
            }
            // a legal hold placed while the purge runs stops it before the next batch (one consistent read a batch)
            if (store.find(id).flatMap(r -> r.timeline().legalHold()).isPresent()) {
                throw new PurgeStopped("a legal hold was placed on " + id + "; purge " + purgeId
                        + " stops here and resumes from its checkpoint when the hold is lifted");
            }
        };
        PurgeReport report;
        try {
            PurgeReport.WorkFiles workFiles = deleteWorkFiles(current.tenant());
            if (workFiles.removed() > 0) {
                audit.append(id, "offboard", "purge.work-files", workFiles.removed() + " export work director"
                        + (workFiles.removed() == 1 ? "y" : "ies") + " of " + current.tenant() + " deleted on "
                        + workFiles.host());
            }
            report = TenantPurge.builder(dynamo, s3, checkpoints).registry(registry).listener(watch)
                    .options(OPTIONS).clock(clock).build()
                    .run(new PurgeRequest(purgeId, current.tenant(), archives))
                    .withWorkFiles(workFiles);
        } catch (PurgeStopped stopped) {
            LOG.info("purge {} stopped: {}", purgeId, stopped.getMessage());
            audit.append(id, "offboard", "purge.stopped", stopped.getMessage());
            return store.find(id).orElse(current);
        } catch (RuntimeException failed) {
            // never silent: an error (access denied, retries used up) counts as an attempt and alerts the issue
            LOG.error("purge {} failed: {}", purgeId, failed.toString(), failed);
            audit.append(id, "offboard", "purge.failed", purgeId + ": " + failed);
            return changes.store(id, r -> journey.purgeIncomplete(r, "the purge failed (" + failed.getMessage()
                    + "); nothing is reported deleted until a verification passes")).record();
        }
        String reportId = checkpoints.saveReport(report);
        audit.append(id, "offboard", report.passed() ? "purge.verified" : "purge.residuals",
                reportId + " deleted " + report.deleted().entries() + " residuals " + report.residuals());
        if (report.passed()) {
            return changes.store(id, r -> journey.purged(r, reportId)).record();
        }
        // counts per source only: the residual keys stay in the stored report, not in the issue thread
        String residuals = report.sources().stream().filter(r -> r.residuals() > 0)
                .map(r -> r.location() + ": " + r.residuals())
                .collect(Collectors.joining("; ")) + " (report `" + reportId + "`)";
        return changes.store(id, r -> journey.purgeIncomplete(r, residuals)).record();
    }

    /**
     * Deletes this host's work directories of the tenant's exports (whatever their state: no export of the tenant
     * runs once its purge started), then looks again: one that is still there fails the purge.
     */
    private PurgeReport.WorkFiles deleteWorkFiles(String tenant) {
        ExportWorkDirs dirs = ExportWorkDirs.at(exportSettings.exportWorkDir());
        long removed = 0;
        try {
            for (String exportId : tenantsWorkDirs(dirs, tenant)) {
                if (dirs.discard(exportId)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting the export work files of " + tenant + " in " + dirs.root(), e);
        }
        List<String> left = tenantsWorkDirs(dirs, tenant);
        if (!left.isEmpty()) {
            throw new IllegalStateException("export work directories of " + tenant + " are still in " + dirs.root()
                    + ": " + left);
        }
        return new PurgeReport.WorkFiles(hostName(), removed);
    }

    private List<String> tenantsWorkDirs(ExportWorkDirs dirs, String tenant) {
        return dirs.present().stream()
                .filter(exportId -> exports.find(exportId).map(j -> j.tenant().equals(tenant)).orElse(false))
                .toList();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }

    /** The purge stops on purpose at a checkpoint; the next sweep resumes it. */
    static final class PurgeStopped extends RuntimeException {
        PurgeStopped(String message) {
            super(message);
        }
    }

    /** Stable across resumes of one attempt; a new attempt (after residuals) starts from a fresh checkpoint. */
    public static String purgeId(Eviction e) {
        return e.id() + "@" + e.timeline().purgeStartedAt().orElseThrow() + "#" + e.timeline().purgeAttempts();
    }
}
