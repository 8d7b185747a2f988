package io.offboard.exporter.purge;

import io.offboard.exporter.copies.HeldCopy;
import io.offboard.exporter.copies.TableCopies;
import io.offboard.exporter.registry.Registry;
import java.time.Instant;
import io.offboard.exporter.source.BucketSource;
import io.offboard.exporter.source.Checkpoint;
import io.offboard.exporter.source.TableSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The purge of one tenant: deletes its data from every source the registry lists, in every tier (service tables
 * and buckets, backups) and from the extra locations the caller names (its export archives), then re-reads every
 * source and reports what is left. Protected resources (seed 001) are refused before anything is read.
 *
 * <ul>
 *   <li><b>Tables</b>: the tenant's items are found as the registry says (partition-key Query, GSI Query, or a
 *       filtered parallel Scan, through {@link TableSource}) reading key attributes only, and deleted with
 *       {@code BatchWriteItem}, {@code UnprocessedItems} retried by the {@link RetryPolicy}.</li>
 *   <li><b>Buckets</b>: first every incomplete multipart upload under the tenant's prefix is aborted (its parts are
 *       tenant data that no object listing shows; aborting first also means an upload completed meanwhile is an
 *       object version the next step deletes), then every object version and delete marker under the prefix is
 *       deleted by version id with {@code DeleteObjects} (per-key errors checked); versioned and unversioned buckets
 *       alike. Each round lists the prefix from its start again: what was deleted is gone, and continuing a listing
 *       from a marker whose version was just deleted is not something every S3 implementation handles (s3proxy
 *       ends it).</li>
 *   <li><b>Progress</b> is saved through {@link PurgeCheckpoints} before every delete request (the batch about
 *       to go) and after it (its result), so {@link #run} with the same purge id resumes wherever a run stopped,
 *       and every deleted entry is counted once: counts are what the service says it deleted (for DynamoDB what
 *       was sent minus what came back unprocessed; for S3 the response's {@code deleted} list).</li>
 *   <li><b>Verification</b> ({@link #verify}, also the end of {@link #run}) re-reads every source with
 *       consistent reads (a GSI table by a consistent scan of the table itself) and lists every S3 version, delete
 *       marker and incomplete upload under every prefix: {@link PurgeReport#passed()} only when nothing is left.
 *       It also reads what DynamoDB keeps of each purged table besides its items, which no purge can delete item
 *       by item: point-in-time recovery ({@code DescribeContinuousBackups}) and backups ({@code ListBackups}); the
 *       report names each copy that still holds the deleted items and until when, against the registry's
 *       {@code backup_allowance}, and says which could not be read (never that there are none).</li>
 *   <li><b>Dry run</b>: {@link #plan} counts what {@link #run} would delete, per source, without deleting.</li>
 * </ul>
 *
 * <p>One purge id must be run by one worker at a time (the caller's lease); different tenants may run at once.
 * Not included: CloudWatch log groups (the registry lists none for tenants). The excluded tables
 * ({@code exclusions} in the registry) are left alone by design. A GSI answers eventually consistently: on AWS, a
 * run resumed within moments of the last one could list an item the last one deleted, send its delete again and
 * count it twice; sweeps resume minutes apart, and the verification does not depend on the GSI.
 */
public final class TenantPurge {

    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final Registry registry;
    private final PurgeCheckpoints checkpoints;
    private final PurgeListener listener;
    private final PurgeOptions options;
    private final Clock clock;
    private final TableDeleter tableDeleter;
    private final VersionDeleter versionDeleter;
    private final MultipartUploads uploads;
    private final SourceInventory inventory;

    private TenantPurge(Builder b) {
        this.dynamo = b.dynamo;
        this.s3 = b.s3;
        this.registry = b.registry;
        this.checkpoints = b.checkpoints;
        this.listener = b.listener;
        this.options = b.options;
        this.clock = b.clock;
        this.tableDeleter = new TableDeleter(dynamo, b.retry);
        this.versionDeleter = new VersionDeleter(s3, b.retry);
        this.uploads = new MultipartUploads(s3);
        this.inventory = new SourceInventory(dynamo, s3, options.tableOptions());
    }

    /**
     * @param checkpoints where progress is kept; required, because a purge that cannot resume could not be
     *                    counted exactly after a crash
     */
    public static Builder builder(DynamoDbClient dynamo, S3Client s3, PurgeCheckpoints checkpoints) {
        return new Builder(dynamo, s3, checkpoints);
    }

    /**
     * The sources a purge of this request covers, in purge order.
     *
     * @throws ProtectedResourceException if any would touch a protected resource
     * @throws IllegalArgumentException   for a malformed orgcode, or a prefix that could select another tenant
     */
    public List<PurgeSource> sources(PurgeRequest request) {
        return PurgePlanner.sources(registry, request.tenant(), request.extraLocations());
    }

    /** Dry run: what {@link #run} would delete now, per source. Deletes and saves nothing. */
    public PurgePlan plan(PurgeRequest request) {
        List<PurgePlan.PlannedSource> planned = new ArrayList<>();
        for (PurgeSource source : sources(request)) {
            SourceInventory.Found found = inventory.find(source, request.tenant(), false, 0,
                    counts -> listener.progress(source.id(), counts, false));
            listener.progress(source.id(), found.counts(), true);
            planned.add(new PurgePlan.PlannedSource(source.id(), source.service(), source.tier(), source.kind(),
                    source.resource(), source.prefix(), found.counts()));
        }
        return new PurgePlan(request.tenant(), registry.version(), planned);
    }

    /**
     * Deletes the tenant's data from every source not yet done (resuming the stored progress of
     * {@code request.purgeId()}, if any), then verifies. The report names every residual; a run whose report does not
     * pass has still deleted everything it could find.
     *
     * @throws ProtectedResourceException before anything is deleted, if a source is protected
     * @throws PurgeFailedException       when a delete cannot be completed; the progress saved so far resumes
     */
    public PurgeReport run(PurgeRequest request) {
        List<PurgeSource> sources = sources(request);
        PurgeProgress stored = checkpoints.load(request.purgeId())
                .orElseGet(() -> PurgeProgress.start(request.purgeId(), request.tenant()));
        if (!stored.tenant().equals(request.tenant())) {
            throw new IllegalStateException("purge " + request.purgeId() + " is of tenant " + stored.tenant()
                    + ", not " + request.tenant());
        }
        Run run = new Run(request.tenant(), stored);
        Map<String, PurgeSource> byId = new LinkedHashMap<>();
        sources.forEach(s -> byId.put(s.id(), s));
        if (stored.pending() != null) {
            PurgeSource source = byId.get(stored.pending().source());
            if (source == null) {
                throw new IllegalStateException("purge " + request.purgeId() + " has an unrecorded batch for "
                        + stored.pending().source() + ", which is no longer a source of this purge");
            }
            run.replay(source, stored.pending());
        }
        for (PurgeSource source : sources) {
            if (!run.progress.done(source.id())) {
                if (source instanceof PurgeSource.TableItems items) {
                    run.purgeTable(items);
                } else {
                    run.purgeBucket((PurgeSource.BucketPrefix) source);
                }
                run.sourceDone(source);
            }
        }
        return verify(request, run.progress);
    }

    /**
     * Re-reads every source consistently and reports what is left, with what the stored progress of
     * {@code request.purgeId()} says was deleted (zero if there is none). Deletes nothing.
     */
    public PurgeReport verify(PurgeRequest request) {
        PurgeProgress progress = checkpoints.load(request.purgeId())
                .orElseGet(() -> PurgeProgress.start(request.purgeId(), request.tenant()));
        return verify(request, progress);
    }

    private PurgeReport verify(PurgeRequest request, PurgeProgress progress) {
        List<PurgeReport.SourceResult> results = new ArrayList<>();
        List<TableCopies> tableCopies = new ArrayList<>();
        List<HeldCopy> held = new ArrayList<>();
        for (PurgeSource source : sources(request)) {
            SourceInventory.Found left = inventory.find(source, request.tenant(), true, PurgeReport.MAX_SAMPLES,
                    counts -> { });
            results.add(new PurgeReport.SourceResult(source.id(), source.service(), source.tier(), source.kind(),
                    source.resource(), source.prefix(), progress.deleted(source.id()), left.counts().entries(),
                    left.samples()));
        }
        Instant verifiedAt = clock.instant();
        for (PurgeSource source : sources(request)) {
            if (source instanceof PurgeSource.TableItems items) {
                TableCopies copies = TableCopies.read(dynamo, items.table().name());
                tableCopies.add(copies);
                // the items were deleted by now: what a copy holds of them is restorable until it expires
                held.addAll(HeldCopy.outliving(copies, verifiedAt, registry.backupAllowance(items.table())));
            }
        }
        return PurgeReport.of(request.purgeId(), request.tenant(), registry.version(), verifiedAt, results,
                tableCopies, held);
    }

    /** One run of one purge: the progress as it moves, saved around every request. */
    private final class Run {
        private final String tenant;
        private PurgeProgress progress;

        Run(String tenant, PurgeProgress progress) {
            this.tenant = tenant;
            this.progress = progress;
        }

        void replay(PurgeSource source, PurgeProgress.PendingBatch pending) {
            if (source instanceof PurgeSource.TableItems items) {
                deleteItems(items, pending.itemKeys().stream().map(Checkpoint::decodeKey).toList());
            } else if (!pending.uploads().isEmpty()) {
                abortUploads((PurgeSource.BucketPrefix) source, pending.uploads(), true);
            } else {
                deleteVersions((PurgeSource.BucketPrefix) source, pending.versions(), true);
            }
        }

        void purgeTable(PurgeSource.TableItems source) {
            List<String> keyAttributes = TableDeleter.keyAttributes(dynamo, source.table().name());
            TableSource finder = inventory.finder(source.table(), tenant, keyAttributes);
            List<Map<String, AttributeValue>> batch = new ArrayList<>(options.itemsPerBatch());
            // deleting what a page returned does not disturb the pages after it: they continue from a key, not
            // from the item
            try (TableSource.Cursor pages = finder.pages(Checkpoint.START)) {
                while (pages.hasNext()) {
                    for (Map<String, AttributeValue> key : pages.next().items()) {
                        batch.add(key);
                        if (batch.size() == options.itemsPerBatch()) {
                            deleteItems(source, batch);
                            batch = new ArrayList<>(options.itemsPerBatch());
                        }
                    }
                }
            }
            if (!batch.isEmpty()) {
                deleteItems(source, batch);
            }
        }

        void purgeBucket(PurgeSource.BucketPrefix source) {
            abortAllUploads(source);
            deleteAllVersions(source);
        }

        private void abortAllUploads(PurgeSource.BucketPrefix source) {
            Set<UploadRef> previous = Set.of();
            while (true) {
                List<UploadRef> batch = uploads.list(source.bucket(), source.prefix())
                        .limit(options.versionsPerBatch()).toList();
                if (batch.isEmpty()) {
                    return;
                }
                // aborted (or gone) and listed again: stop instead of looping
                List<UploadRef> again = batch.stream().filter(previous::contains).toList();
                if (!again.isEmpty()) {
                    throw new PurgeFailedException("bucket " + source.bucket() + " still lists "
                            + again.get(0).describe() + " after it was aborted");
                }
                abortUploads(source, batch, false);
                previous = new HashSet<>(batch);
            }
        }

        private void deleteAllVersions(PurgeSource.BucketPrefix source) {
            BucketSource bucket = new BucketSource(s3, source.bucket(), source.prefix());
            Set<VersionRef> previous = Set.of();
            while (true) {
                List<VersionRef> batch;
                try (Stream<BucketSource.VersionEntry> entries = bucket.listAllVersions()) {
                    batch = entries.limit(options.versionsPerBatch())
                            .map(v -> new VersionRef(v.key(), v.versionId(), v.deleteMarker(), v.size()))
                            .toList();
                }
                if (batch.isEmpty()) {
                    return;
                }
                // S3 said these were deleted and lists them again: stop instead of looping
                List<VersionRef> again = batch.stream().filter(previous::contains).toList();
                if (!again.isEmpty()) {
                    throw new PurgeFailedException("bucket " + source.bucket() + " still lists "
                            + again.get(0).describe() + " after S3 reported it deleted");
                }
                previous = new HashSet<>(deleteVersions(source, batch, false));
            }
        }

        private void deleteItems(PurgeSource.TableItems source, List<Map<String, AttributeValue>> keys) {
            save(progress.withPending(new PurgeProgress.PendingBatch(source.id(),
                    keys.stream().map(Checkpoint::encodeKey).toList(), null)));
            long deleted = tableDeleter.delete(source.table().name(), keys);
            save(progress.afterBatch(source.id(), PurgeCounts.ofItems(deleted), null));
            listener.progress(source.id(), progress.deleted(source.id()), false);
        }

        private List<VersionRef> deleteVersions(PurgeSource.BucketPrefix source, List<VersionRef> versions,
                                                boolean replay) {
            save(progress.withPending(new PurgeProgress.PendingBatch(source.id(), null, versions)));
            List<VersionRef> removed = versionDeleter.delete(source.bucket(), versions, replay);
            SourceInventory.Tally tally = new SourceInventory.Tally(progress.source(source.id()).lastObjectKey());
            removed.forEach(tally::add);
            save(progress.afterBatch(source.id(), tally.counts(), tally.lastKey()));
            listener.progress(source.id(), progress.deleted(source.id()), false);
            return removed;
        }

        private void abortUploads(PurgeSource.BucketPrefix source, List<UploadRef> batch, boolean replay) {
            save(progress.withPending(new PurgeProgress.PendingBatch(source.id(), null, null, batch)));
            List<UploadRef> aborted = uploads.abort(source.bucket(), batch, replay);
            save(progress.afterBatch(source.id(), PurgeCounts.ofUploads(aborted.size()), null));
            listener.progress(source.id(), progress.deleted(source.id()), false);
        }

        void sourceDone(PurgeSource source) {
            save(progress.sourceDone(source.id()));
            listener.progress(source.id(), progress.deleted(source.id()), true);
        }

        private void save(PurgeProgress next) {
            checkpoints.save(next);
            progress = next;
        }
    }

    public static final class Builder {
        private final DynamoDbClient dynamo;
        private final S3Client s3;
        private final PurgeCheckpoints checkpoints;
        private Registry registry;
        private PurgeListener listener = PurgeListener.NONE;
        private RetryPolicy retry = RetryPolicy.standard();
        private PurgeOptions options = PurgeOptions.defaults();
        private Clock clock = Clock.systemUTC();

        private Builder(DynamoDbClient dynamo, S3Client s3, PurgeCheckpoints checkpoints) {
            this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
            this.s3 = Objects.requireNonNull(s3, "s3");
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        }

        /** The registry to purge by; the bundled one by default. */
        public Builder registry(Registry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public Builder listener(PurgeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder retryPolicy(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        public Builder options(PurgeOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Stamps {@link PurgeReport#verifiedAt()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public TenantPurge build() {
            if (registry == null) {
                registry = Registry.bundled();
            }
            return new TenantPurge(this);
        }
    }
}
