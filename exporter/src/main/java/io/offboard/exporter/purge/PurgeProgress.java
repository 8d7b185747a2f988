package io.offboard.exporter.purge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a purge stands, saved through {@link PurgeCheckpoints} before and after every delete request.
 *
 * <p>A source that is not {@code done} is listed again from its start on resume: what was deleted is gone, so the
 * listing returns exactly what is left. {@code pending} is the batch being sent (saved before the request): a run
 * that died after sending it but before recording the result resends it on resume and counts it then, so every
 * entry is counted exactly once whichever step the run died at.
 *
 * @param sources source id ({@link PurgeSource#id()}) → progress; absent means not started
 * @param pending the batch whose result is not recorded yet, or {@code null}
 */
public record PurgeProgress(String purgeId, String tenant, Map<String, SourceProgress> sources, PendingBatch pending) {

    public PurgeProgress {
        Objects.requireNonNull(purgeId, "purgeId");
        Objects.requireNonNull(tenant, "tenant");
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources == null ? Map.of() : sources));
    }

    /**
     * @param deleted       what this purge deleted from the source so far
     * @param lastObjectKey the last S3 key counted in {@code deleted.objects} (a key's versions may span batches)
     */
    public record SourceProgress(boolean done, PurgeCounts deleted, String lastObjectKey) {
        public static final SourceProgress NOT_STARTED = new SourceProgress(false, PurgeCounts.ZERO, null);

        public SourceProgress {
            deleted = deleted == null ? PurgeCounts.ZERO : deleted;
        }
    }

    /**
     * A batch sent (or about to be) whose result is not recorded: DynamoDB keys ({@code itemKeys}, as
     * {@link io.offboard.exporter.source.Checkpoint#encodeKey} strings), S3 versions, or incomplete multipart uploads
     * to abort (one kind per batch).
     */
    public record PendingBatch(String source, List<String> itemKeys, List<VersionRef> versions,
                               List<UploadRef> uploads) {
        public PendingBatch {
            Objects.requireNonNull(source, "source");
            itemKeys = itemKeys == null ? List.of() : List.copyOf(itemKeys);
            versions = versions == null ? List.of() : List.copyOf(versions);
            uploads = uploads == null ? List.of() : List.copyOf(uploads);
        }

        /** A batch of items or versions. */
        public PendingBatch(String source, List<String> itemKeys, List<VersionRef> versions) {
            this(source, itemKeys, versions, null);
        }
    }

    public static PurgeProgress start(String purgeId, String tenant) {
        return new PurgeProgress(purgeId, tenant, Map.of(), null);
    }

    public SourceProgress source(String sourceId) {
        return sources.getOrDefault(sourceId, SourceProgress.NOT_STARTED);
    }

    public boolean done(String sourceId) {
        return source(sourceId).done();
    }

    /** Deleted so far from one source. */
    public PurgeCounts deleted(String sourceId) {
        return source(sourceId).deleted();
    }

    public PurgeProgress withPending(PendingBatch batch) {
        return new PurgeProgress(purgeId, tenant, sources, Objects.requireNonNull(batch, "batch"));
    }

    /** The pending batch's result recorded: its counts added, nothing pending. */
    public PurgeProgress afterBatch(String sourceId, PurgeCounts deleted, String lastObjectKey) {
        SourceProgress now = source(sourceId);
        Map<String, SourceProgress> next = new LinkedHashMap<>(sources);
        next.put(sourceId, new SourceProgress(false, now.deleted().plus(deleted),
                lastObjectKey == null ? now.lastObjectKey() : lastObjectKey));
        return new PurgeProgress(purgeId, tenant, next, null);
    }

    public PurgeProgress sourceDone(String sourceId) {
        SourceProgress now = source(sourceId);
        Map<String, SourceProgress> next = new LinkedHashMap<>(sources);
        next.put(sourceId, new SourceProgress(true, now.deleted(), now.lastObjectKey()));
        return new PurgeProgress(purgeId, tenant, next, pending);
    }

    public String toJson() {
        return PurgeJson.write(this);
    }

    public static PurgeProgress fromJson(String json) {
        return PurgeJson.read(json, PurgeProgress.class);
    }
}
