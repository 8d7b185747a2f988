package io.offboard.bot.export;

import io.offboard.bot.config.ExportBotSettings;
import io.offboard.bot.config.GitHubSettings;
import io.offboard.bot.config.OffboardSettings;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.github.Reaction;
import io.offboard.bot.template.Templates;
import io.offboard.exporter.archive.Compression;
import io.offboard.exporter.export.ExportEngine;
import io.offboard.exporter.export.ExportWorkDirs;
import io.offboard.exporter.export.ExportFormat;
import io.offboard.exporter.export.ExportOutcome;
import io.offboard.exporter.export.ExportProgress;
import io.offboard.exporter.export.ExportRequest;
import io.offboard.exporter.export.SourceFailedException;
import io.offboard.exporter.manifest.ExportManifest;
import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.registry.RegistryCheck;
import io.offboard.lifecycle.store.BotTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import io.offboard.exporter.storage.ArchiveStorage;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.export.ExportStatus;
import io.offboard.lifecycle.export.FailureCause;
import io.offboard.lifecycle.text.UserText;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.ExportStore;
import io.offboard.lifecycle.store.ConcurrentChangeException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.offboard.bot.journey.ExportFence;
import io.offboard.bot.signin.DownloadPaths;
import io.offboard.bot.journey.JourneyChanges;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.store.EvictionStore;
import java.util.Optional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs exports in the background: the archive is streamed into the exports bucket, the export's comment is
 * edited with progress (rate-limited) and then with the result, the previous archive of the tenant is
 * deleted, and the command's comment gets its final reaction. A failure is recorded with its cause so a
 * platform-side one can pause the retention countdown.
 */
@Singleton
public class ExportRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ExportRunner.class);
    /** How long the presigned URL a download redirects to stays valid: long enough to start, short enough not to share. */
    static final Duration DOWNLOAD_LINK_VALIDITY = Duration.ofMinutes(5);
    static final String UPLOAD_CHECKPOINT = "upload.json";

    private final ExportEngine engine;
    private final ExportStore store;
    private final ArchiveStorage storage;
    private final GitHubGateway github;
    private final Templates templates;
    private final AuditLog audit;
    private final ExportBotSettings settings;
    private final GitHubSettings gitHubSettings;
    private final OffboardSettings offboardSettings;
    private final Clock clock;
    private final Registry registry;
    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final BotTables tables;
    private final JourneyChanges changes;
    private final EvictionJourney journey;
    private final EvictionStore evictions;
    private final ExportFence fence;
    private final ExecutorService workers;
    /** This host's spool and checkpoints of exports (tenant data on local disk). */
    private final ExportWorkDirs workDirs;
    private final AtomicInteger running = new AtomicInteger();
    /** Exports this process is running: it never takes one of them over. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    /** Heartbeats of the running exports, on their own timer: a long object copy does not look like a dead worker. */
    private final ScheduledExecutorService heartbeats;
    /** Bytes per second of the last export: the next estimate's speed. */
    private final AtomicReference<Double> measuredThroughput;

    public ExportRunner(ExportEngine engine, ExportStore store, ArchiveStorage storage, GitHubGateway github,
                        Templates templates, AuditLog audit, ExportBotSettings settings, GitHubSettings gitHubSettings,
                        OffboardSettings offboardSettings, Clock clock, Registry registry, DynamoDbClient dynamo,
                        S3Client s3, BotTables tables, JourneyChanges changes, EvictionJourney journey,
                        EvictionStore evictions, ExportFence fence) {
        this.fence = fence;
        this.changes = changes;
        this.evictions = evictions;
        this.journey = journey;
        this.engine = engine;
        this.store = store;
        this.storage = storage;
        this.github = github;
        this.templates = templates;
        this.audit = audit;
        this.settings = settings;
        this.gitHubSettings = gitHubSettings;
        this.offboardSettings = offboardSettings;
        this.clock = clock;
        this.registry = registry;
        this.dynamo = dynamo;
        this.s3 = s3;
        this.tables = tables;
        this.measuredThroughput = new AtomicReference<>(settings.exportBytesPerSecond());
        this.workDirs = ExportWorkDirs.at(settings.exportWorkDir());
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "export-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "export-heartbeat");
            t.setDaemon(true);
            return t;
        });
        if (settings.exportHeartbeatInterval().compareTo(settings.exportStaleAfter()) >= 0) {
            LOG.warn("the export heartbeat interval ({}) is not below the time after which an export is taken over ({})",
                    settings.exportHeartbeatInterval(), settings.exportStaleAfter());
        }
    }

    public double throughput() {
        return measuredThroughput.get();
    }

    /** Starts {@code job} (stored, with its command and reply comments) in the background. */
    public void submit(ExportJob job) {
        EvictionId eviction = job.eviction().orElseThrow();
        // absent for the bot's own export (a retry while the countdown is paused): no command to react to
        Optional<Long> commandCommentId = job.commandCommentId();
        running.incrementAndGet();
        active.add(job.exportId());
        workers.execute(() -> {
            try {
                run(job, eviction, commandCommentId);
            } finally {
                active.remove(job.exportId());
                running.decrementAndGet();
            }
        });
    }

    /**
     * Takes over exports whose worker died (no heartbeat for {@code staleAfter}): a restart, or any replica,
     * resumes them. Taking one over is a conditional write, so only one replica does. The spool checkpoint
     * in the work directory lets the reading resume where it stopped, and the upload checkpoint beside it lets
     * the multipart upload keep the parts already uploaded; without them (another host) the export starts over
     * and, being deterministic, ends with the same archive. An export that is not resumed (its tenant is being
     * purged) is failed and its work directory here deleted; so is, at the end of each pass, every work directory on
     * this host of an export that no longer runs anywhere (a dead worker's spool whose export another host took
     * over and finished, or one that failed). Directories of exports this deployment does not know are left alone.
     * An export this process is running is never taken over, however old its heartbeat looks.
     */
    public int resumeAbandoned(Duration staleAfter) {
        int resumed = 0;
        for (ExportJob job : store.runningJobs()) {
            if (active.contains(job.exportId()) || job.status() == ExportStatus.CANCELING
                    || !job.abandoned(clock.instant(), staleAfter)
                    || job.eviction().isEmpty()) {
                continue;
            }
            if (job.replyCommentId().isEmpty()) {
                // its worker died before the export had its comments: nobody can be told; release the tenant
                failQuietly(job, "the export's worker stopped before it started");
                continue;
            }
            Optional<EvictionState> state = evictions.find(job.eviction().get()).map(Eviction::state);
            if (state.isPresent() && !state.get().exportable()) {
                // the tenant's data is being (or has been) deleted: finishing the archive would put some of it back
                failQuietly(job, "the eviction is " + state.get().name().toLowerCase() + "; the export was not resumed");
                continue;
            }
            try {
                ExportJob taken = store.update(job, job.heartbeat(clock.instant()));
                LOG.info("resuming export {} of {} (its worker stopped)", taken.exportId(), taken.tenant());
                submit(taken);
                resumed++;
            } catch (ConcurrentChangeException takenElsewhere) {
                // another replica took it over first
            }
        }
        try {
            workDirs.present().forEach(this::discardUnlessRunning);
        } catch (RuntimeException e) {
            LOG.warn("export work directories in {} not looked at: {}", workDirs.root(), e.toString());
        }
        return resumed;
    }

    private void failQuietly(ExportJob job, String reason) {
        try {
            store.update(job, job.failed(reason, FailureCause.REQUEST, clock.instant()));
        } catch (ConcurrentChangeException takenElsewhere) {
            // another replica dealt with it
        }
        discardUnlessRunning(job.exportId());
    }

    /**
     * Deletes this host's work directory of an export that no longer runs (done or failed): nobody will resume it,
     * and it holds the tenant's data. Kept while the export runs (here or on another replica sharing the directory)
     * and when the export is unknown to this deployment. A failure is logged; the next pass tries again.
     */
    private void discardUnlessRunning(String exportId) {
        try {
            boolean ended = store.find(exportId).map(j -> !j.status().running()).orElse(false);
            if (ended && workDirs.discard(exportId)) {
                LOG.info("deleted the work directory of export {} (spool and checkpoints)", exportId);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("work directory of export {} not deleted yet: {}", exportId, e.toString());
        }
    }

    /** Resumes exports whose worker has not been heard of for the configured time. */
    public int resumeAbandoned() {
        return resumeAbandoned(settings.exportStaleAfter());
    }

    /** Exports still running (demo and tests wait for none). */
    public int running() {
        return running.get();
    }

    public String downloadUrl(String exportId) {
        return settings.publicUrl().replaceAll("/+$", "") + DownloadPaths.download(exportId);
    }

    public String commentUrl(EvictionId eviction, long commentId) {
        return gitHubSettings.issueUrl(eviction) + "#issuecomment-" + commentId;
    }

    private void run(ExportJob start, EvictionId eviction, Optional<Long> commandCommentId) {
        ExportJob job = start;
        ExportRequest request = new ExportRequest(job.tenant(), ExportFormat.parse(job.format()),
                Compression.parse(job.compression()), job.asOf(), job.snapshot());
        String key = "exports/" + job.tenant() + "/" + job.exportId() + "/" + request.archiveName();
        Path work = workDirs.of(job.exportId());
        CommentProgress progress = new CommentProgress(job, eviction);
        long heartbeat = Math.max(1, settings.exportHeartbeatInterval().toMillis());
        ScheduledFuture<?> beating = heartbeats.scheduleWithFixedDelay(progress::heartbeat, heartbeat, heartbeat,
                TimeUnit.MILLISECONDS);
        long startedNanos = System.nanoTime();
        ArchiveStorage.Upload upload = null;
        try {
            refuseOnRegistryGap();
            // beside the spool checkpoint: a worker that takes this export over continues the same upload
            upload = storage.upload(key, work.resolve(UPLOAD_CHECKPOINT));
            OutputStream out = new BufferedOutputStream(upload, 1 << 20);
            ExportOutcome outcome = engine.export(request, work, out, progress);
            out.flush();
            // the last moment to stop: once the upload completes, the archive exists
            progress.stopIfCanceled();
            upload.close();
            job = progress.stop(beating);
            if (job.status() == ExportStatus.CANCELING) {
                storage.delete(key); // canceled between the last check and the upload's completion
                throw new ExportCanceledException();
            }
            replacePrevious(job);
            job = store.update(job, job.exported(request.archiveName(), key, outcome.archive().sha256(),
                    outcome.archive().bytes(), counts(outcome.manifest()), clock.instant(), settings.exportRetention()));
            // recorded before GitHub is told anything: a GitHub failure must not keep the countdown paused
            resumeCountdown(eviction, job.requestedAt());
            double seconds = Math.max(0.001, (System.nanoTime() - startedNanos) / 1e9);
            measuredThroughput.set(Math.max(1.0, outcome.manifest().totals().bytes() / seconds));
            github.editComment(eviction.repository(), eviction.issueNumber(), job.replyCommentId().orElseThrow(),
                    templates.render("export-done", doneScope(job, outcome)));
            react(eviction, commandCommentId, Reaction.DONE);
            audit.append(eviction, job.requestedBy(), "export.done",
                    job.exportId() + " " + request.archiveName() + " sha256 " + outcome.archive().sha256()
                            + " bytes " + outcome.archive().bytes());
            ExportEngine.discardWorkDir(work);
        } catch (Exception e) {
            ExportJob last = progress.stop(beating);
            if (upload != null) {
                upload.abort();
            }
            if (e instanceof ExportCanceledException || last.status() == ExportStatus.CANCELING) {
                // the deletion time came: stop writing, say so, never a failure (it pauses nothing)
                stopCanceled(last);
                discardUnlessRunning(start.exportId());
                return;
            }
            fail(last, eviction, commandCommentId, e);
            // a failed export is never resumed: its spool (the tenant's data) goes now
            discardUnlessRunning(start.exportId());
        }
    }

    /** The purge asked this export to stop (its record says {@code CANCELING}): the worker ends without writing more. */
    static final class ExportCanceledException extends RuntimeException {
        ExportCanceledException() {
            super("the deletion time came: the export was canceled", null, false, false);
        }
    }

    /** Records that this worker has stopped (the purge may then delete) and edits the export's comment. */
    private void stopCanceled(ExportJob job) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                ExportJob current = store.find(job.exportId()).orElse(job);
                if (current.status() != ExportStatus.CANCELING) {
                    return; // already recorded (the fence saw the worker gone) or ended otherwise
                }
                ExportJob stopped = store.update(current, current.canceled(clock.instant()));
                LOG.info("export {} of {} stopped: the deletion time came", job.exportId(), job.tenant());
                fence.tellCanceled(stopped);
                return;
            } catch (ConcurrentChangeException raced) {
                // look again
            }
        }
    }

    /**
     * Seed 003: data the export tooling does not cover is a platform bug. An export never claims to be
     * complete while the platform holds a table or bucket the registry does not account for.
     */
    private void refuseOnRegistryGap() throws RegistryGapException {
        List<RegistryCheck.Finding> gaps = RegistryCheck.run(registry, dynamo, s3,
                tables.ownResources(settings.exportsBucket())).uncovered();
        if (!gaps.isEmpty()) {
            throw new RegistryGapException(gaps.stream().map(g -> g.kind().name().toLowerCase() + " `" + g.name() + "`")
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
    }

    /**
     * Seed 003: a clean export ends a pause of the countdown caused by a platform-side failure. The export
     * itself has succeeded whatever happens here; if the record cannot be updated now, the pause stays until
     * the next clean export, which is logged for the operators.
     */
    private void resumeCountdown(EvictionId eviction, Instant requestedAt) {
        try {
            changes.decide(eviction, e -> journey.cleanExport(e, requestedAt));
        } catch (RuntimeException e) {
            LOG.error("export of {} was clean but the countdown could not be resumed: {}", eviction, e.toString(), e);
        }
    }

    private void pauseCountdown(EvictionId eviction, String reason) {
        try {
            changes.decide(eviction, record -> journey.exportFailed(record, reason, false));
        } catch (RuntimeException e) {
            LOG.error("export of {} failed on the platform's side but the countdown could not be paused: {}",
                    eviction, e.toString(), e);
        }
    }

    /** The platform holds data the registry does not describe: a platform-side failure. */
    static final class RegistryGapException extends IOException {
        RegistryGapException(String uncovered) {
            super("the export tooling does not cover " + uncovered
                    + " (a gap in the platform's data registry; the operators must add it)");
        }
    }

    private void react(EvictionId eviction, Optional<Long> commandCommentId, Reaction reaction) throws IOException {
        if (commandCommentId.isPresent()) {
            github.react(eviction.repository(), eviction.issueNumber(), commandCommentId.get(), reaction);
        }
    }

    /**
     * Whatever fails once the export runs (a source, the archive writer, the upload, the registry check) is on the
     * platform's side: nothing in the owner's request can be fixed to make it work. The comment names the service and
     * table or bucket, never an object key or exception text; those go to the log and the audit entry.
     */
    static String failureReason(Exception e) {
        if (e instanceof SourceFailedException source) {
            return "the " + source.source() + " could not be read";
        }
        if (e instanceof RegistryGapException) {
            return e.getMessage();
        }
        return "the archive could not be written";
    }

    private void fail(ExportJob job, EvictionId eviction, Optional<Long> commandCommentId, Exception e) {
        FailureCause cause = FailureCause.PLATFORM;
        String reason = failureReason(e);
        String detail = SourceFailedException.details(e);
        if (e instanceof RegistryGapException) {
            // named and explained in the failure comment: the trace adds nothing for the operator
            LOG.error("export {} of {} failed: {}", job.exportId(), job.tenant(), reason);
        } else {
            LOG.error("export {} of {} failed: {} ({})", job.exportId(), job.tenant(), reason, detail, e);
        }
        try {
            ExportJob failed = store.update(job, job.failed(reason, cause, clock.instant()));
            if (cause == FailureCause.PLATFORM) {
                // seed 003 edge cases: a platform-side failure (or a registry gap) pauses the countdown; recorded
                // before GitHub is told, so a GitHub failure cannot leave the countdown running
                pauseCountdown(eviction, reason);
            }
            Map<String, Object> scope = new HashMap<>();
            scope.put("mention", mention(failed));
            scope.put("tenant", failed.tenant());
            scope.put("reason", UserText.prose(reason));
            scope.put("platform", cause == FailureCause.PLATFORM);
            github.editComment(eviction.repository(), eviction.issueNumber(), failed.replyCommentId().orElseThrow(),
                    templates.render("export-failed", scope));
            react(eviction, commandCommentId, Reaction.REFUSED);
            audit.append(eviction, failed.requestedBy(), "export.failed", failed.exportId() + " " + cause + ": " + reason
                    + (e instanceof RegistryGapException ? "" : "; detail: " + detail));
        } catch (Exception reportFailure) {
            LOG.error("export {} failed and the failure could not be reported: {}", job.exportId(),
                    reportFailure.toString(), reportFailure);
        }
    }

    /**
     * Whom the result is for: the person who asked, or, for an export the bot ran itself to end a pause, the
     * eviction's owners (they are the ones who get their time back).
     */
    private String mention(ExportJob job) {
        if (!ExportStarter.BY_OFFBOARD.equals(job.requestedBy())) {
            return "@" + job.requestedBy();
        }
        return job.eviction().flatMap(evictions::find).map(e -> e.owners().stream().map(o -> "@" + o)
                .collect(java.util.stream.Collectors.joining(" "))).filter(s -> !s.isEmpty()).orElse("Owners");
    }

    /** Seed 003: exports are ephemeral; the tenant's previous archive goes when a new one is ready. */
    private void replacePrevious(ExportJob job) {
        store.latest(job.tenant()).filter(id -> !id.equals(job.exportId())).flatMap(store::find).ifPresent(previous -> {
            previous.archiveKey().ifPresent(storage::delete);
            store.update(previous, previous.replaced(clock.instant()));
        });
    }

    private Map<String, Object> doneScope(ExportJob job, ExportOutcome outcome) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("mention", mention(job));
        scope.put("tenant", job.tenant());
        scope.put("archiveName", job.archiveName().orElseThrow());
        scope.put("format", job.format());
        scope.put("compression", job.compression());
        scope.put("bytes", job.bytes().orElseThrow());
        scope.put("size", Sizes.bytes(job.bytes().orElseThrow()));
        scope.put("sha256", job.sha256().orElseThrow());
        scope.put("asOf", Templates.minute(job.asOf()));
        scope.put("snapshot", job.snapshot());
        scope.put("downloadUrl", downloadUrl(job.exportId()));
        scope.put("docsUrl", offboardSettings.docsUrl());
        scope.put("expiresAt", Templates.minute(job.expiresAt().orElseThrow()));
        List<Map<String, Object>> services = new ArrayList<>();
        for (ExportManifest.ServiceSummary service : outcome.manifest().services()) {
            services.add(Map.of(
                    "service", service.service(),
                    "items", service.tableItems(),
                    "objects", service.objectCount()));
        }
        scope.put("services", services);
        return scope;
    }

    private static List<String> counts(ExportManifest manifest) {
        return manifest.services().stream().map(s -> s.service() + ": "
                + s.tableItems() + " items, " + s.objectCount() + " objects").toList();
    }


    /**
     * Records progress and edits the export's comment, at most once per configured interval, and beats the export's
     * heartbeat on its own timer. Every write of the record goes through {@link #save}: one at a time, and a
     * concurrent change (another write of the record) is re-read and retried, never passed on to the export.
     */
    private final class CommentProgress implements ExportProgress {
        private final EvictionId eviction;
        private ExportJob job;
        private long lastEditNanos = System.nanoTime();
        private int lastPercent = -1;
        /** Guards the record (the engine's source threads hold this object's monitor while they report). */
        private final Object lock = new Object();
        private boolean stopped;

        CommentProgress(ExportJob job, EvictionId eviction) {
            this.job = job;
            this.eviction = eviction;
        }

        @Override
        public void pageSpooled(String source) {
            update(lastPercent < 0 ? 0 : lastPercent, source.substring(0, source.indexOf('/')));
            stopIfCanceled();
        }

        @Override
        public void update(int percent, String currentService) {
            long now = System.nanoTime();
            boolean due = now - lastEditNanos >= settings.exportProgressInterval().toNanos();
            if (!due) {
                return;
            }
            boolean changed = percent != lastPercent;
            lastPercent = percent;
            lastEditNanos = now;
            ExportJob saved = save(j -> j.progressed(percent, currentService).heartbeat(clock.instant()));
            stopIfCanceled(); // the export is being stopped: no more progress, its comment will say why
            if (saved == null || !changed) {
                return;
            }
            try {
                github.editComment(eviction.repository(), eviction.issueNumber(), saved.replyCommentId().orElseThrow(),
                        templates.render("export-progress", Map.of(
                                "tenant", saved.tenant(),
                                "percent", percent,
                                "service", currentService,
                                "format", saved.format(),
                                "compression", saved.compression())));
            } catch (IOException | RuntimeException e) {
                // progress is informative; the export goes on and the result edit will follow
                LOG.warn("progress of export {} not shown: {}", saved.exportId(), e.toString());
            }
        }

        /** Ends the export here if the purge has asked it to stop (checked on the worker's own thread). */
        void stopIfCanceled() {
            synchronized (lock) {
                if (job.status() == ExportStatus.CANCELING) {
                    throw new ExportCanceledException();
                }
            }
        }

        /** The timer's beat: tells other replicas this export still has a worker. */
        void heartbeat() {
            save(j -> j.heartbeat(clock.instant()));
        }

        /**
         * Writes {@code change} of the record. A concurrent change is re-read and the change applied again (a few
         * times); a record that is no longer running is left alone. Failures are logged, never thrown: progress
         * and heartbeat must not end the export. Returns the record written, or null.
         */
        ExportJob save(UnaryOperator<ExportJob> change) {
            synchronized (lock) {
                return saveLocked(change);
            }
        }

        private ExportJob saveLocked(UnaryOperator<ExportJob> change) {
            for (int attempt = 1; !stopped && attempt <= 3; attempt++) {
                try {
                    job = store.update(job, change.apply(job));
                    return job;
                } catch (ConcurrentChangeException e) {
                    try {
                        Optional<ExportJob> fresh = store.find(job.exportId());
                        if (fresh.isEmpty() || !fresh.get().status().running()) {
                            LOG.warn("export {} was ended elsewhere ({}); its progress is no longer recorded",
                                    job.exportId(), fresh.map(j -> j.status().name()).orElse("gone"));
                            return null;
                        }
                        job = fresh.get();
                    } catch (RuntimeException reread) {
                        LOG.warn("export {}: progress not recorded: {}", job.exportId(), reread.toString());
                        return null;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("export {}: progress not recorded: {}", job.exportId(), e.toString());
                    return null;
                }
            }
            return null;
        }

        /** Stops the heartbeat (waiting for a beat in progress) and returns the record as last written. */
        ExportJob stop(ScheduledFuture<?> beating) {
            beating.cancel(false);
            synchronized (lock) {
                stopped = true;
                return job;
            }
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(30, TimeUnit.SECONDS);
        heartbeats.shutdownNow();
    }
}
