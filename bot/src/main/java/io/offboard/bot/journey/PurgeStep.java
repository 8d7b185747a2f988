package io.offboard.bot.journey;

import io.offboard.bot.config.ExportBotSettings;
import io.offboard.bot.config.JourneySettings;
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
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.lifecycle.store.LeaseStore;
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
 * sweep runs a fresh attempt. Other {@link PurgeListener} beans (metrics, tests) see every batch.
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
    private final EvictionJourney journey;
    private final LeaseStore leases;
    private final JourneySettings settings;
    private final ExportBotSettings exportSettings;
    private final AuditLog audit;
    private final Clock clock;
    private final List<PurgeListener> observers;

    public PurgeStep(DynamoDbClient dynamo, S3Client s3, Registry registry, DynamoPurgeCheckpoints checkpoints, EvictionStore store, EvictionJourney journey,
                     LeaseStore leases, JourneySettings settings, ExportBotSettings exportSettings, AuditLog audit,
                     Clock clock, List<PurgeListener> observers) {
        this.clock = clock;
        this.observers = List.copyOf(observers);
        this.dynamo = dynamo;
        this.s3 = s3;
        this.registry = registry;
        this.checkpoints = checkpoints;
        this.store = store;
        this.journey = journey;
        this.leases = leases;
        this.settings = settings;
        this.exportSettings = exportSettings;
        this.audit = audit;
    }

    /** Runs (or resumes) the purge of {@code e}'s tenant while holding the record's lease. */
    public Eviction run(Eviction e, String leaseKey, String holder) {
        Eviction current = e;
        if (current.state() == EvictionState.CUTOVER) {
            current = store.update(current, Sweeper.changed(journey.startPurge(current), current));
            audit.append(current.id(), "offboard", "purge.started", purgeId(current));
        }
        String purgeId = purgeId(current);
        var id = current.id();
        List<ExtraLocation> archives = List.of(
                new ExtraLocation(exportSettings.exportsBucket(), "exports/" + current.tenant() + "/"));
        PurgeListener renewLease = (source, counts, sourceDone) -> {
                    // a long purge keeps its lease; losing it means another sweep took over: stop at this checkpoint
                    if (!leases.acquire(leaseKey, holder, settings.sweepLease())) {
                        throw new IllegalStateException("lease on " + leaseKey + " lost; the purge resumes elsewhere");
                    }
                    observers.forEach(o -> o.progress(source, counts, sourceDone));
                    if (sourceDone) {
                        LOG.info("purge {}: {} done ({} entries)", purgeId, source, counts.entries());
                        // a legal hold placed while the purge runs stops it at the next finished source
                        if (store.find(id).flatMap(r -> r.timeline().legalHold()).isPresent()) {
                            throw new IllegalStateException("a legal hold was placed on " + id + "; purge " + purgeId
                                    + " stops here and resumes from its checkpoint when the hold is lifted");
                        }
                    }
                };
        PurgeReport report = TenantPurge.builder(dynamo, s3, checkpoints).registry(registry).listener(renewLease)
                .options(OPTIONS).clock(clock).build()
                .run(new PurgeRequest(purgeId, current.tenant(), archives));
        String reportId = checkpoints.saveReport(report);
        audit.append(current.id(), "offboard", report.passed() ? "purge.verified" : "purge.residuals",
                reportId + " deleted " + report.deleted().entries() + " residuals " + report.residuals());
        if (report.passed()) {
            return store.update(current, Sweeper.changed(journey.purged(current, reportId), current));
        }
        String residuals = report.sources().stream().filter(s -> s.residuals() > 0)
                .map(s -> s.resource() + ": " + s.residuals() + " (" + String.join(", ", s.residualSamples()) + ")")
                .collect(Collectors.joining("; "));
        return store.update(current, Sweeper.changed(journey.purgeIncomplete(current, residuals), current));
    }

    /** Stable across resumes of one attempt; a new attempt (after residuals) starts from a fresh checkpoint. */
    public static String purgeId(Eviction e) {
        return e.id() + "@" + e.timeline().purgeStartedAt().orElseThrow() + "#" + e.timeline().purgeAttempts();
    }
}
