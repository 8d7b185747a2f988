package io.offboard.lifecycle.export;

import io.offboard.lifecycle.eviction.EvictionId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One export of a tenant, as stored: who asked, for what, how far it got, and what it produced. Ephemeral
 * by design (seed 003): the archive expires, and a newer export of the tenant replaces it.
 *
 * @param asOf        the data's as-of time: the request time while live, the snapshot time after cutover
 * @param counts      per service, "items/objects" as shown to the owner, e.g. {@code ord: 25 items, 5 objects}
 * @param failure     what went wrong, in words an owner can act on
 * @param heartbeatAt when the worker last showed it is alive; a running export without a recent
 *                    heartbeat lost its worker and is resumed by another
 */
public record ExportJob(
        String exportId,
        String tenant,
        Optional<EvictionId> eviction,
        ExportStatus status,
        String format,
        String compression,
        String requestedBy,
        Instant requestedAt,
        Instant asOf,
        boolean snapshot,
        Optional<Long> replyCommentId,
        Optional<Long> commandCommentId,
        Optional<Instant> heartbeatAt,
        int percent,
        String currentService,
        Optional<String> archiveName,
        Optional<String> archiveKey,
        Optional<String> sha256,
        Optional<Long> bytes,
        List<String> counts,
        Optional<Instant> completedAt,
        Optional<Instant> expiresAt,
        Optional<String> failure,
        Optional<FailureCause> failureCause,
        long revision) {

    /** Seed 003: the owner downloads an export when it is produced; the platform keeps it this long, no more. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

    public ExportJob {
        counts = List.copyOf(counts);
    }

    public static ExportJob requested(String exportId, String tenant, Optional<EvictionId> eviction, String format,
                                      String compression, String requestedBy, Instant now, Instant asOf,
                                      boolean snapshot) {
        return new ExportJob(exportId, tenant, eviction, ExportStatus.REQUESTED, format, compression, requestedBy, now,
                asOf, snapshot, Optional.empty(), Optional.empty(), Optional.of(now), 0, "", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    /** The reply of an export nobody commented for (the bot's own, to end a pause): no reaction to set at the end. */
    public ExportJob withReply(long reply) {
        return new ExportJob(exportId, tenant, eviction, status, format, compression, requestedBy, requestedAt, asOf,
                snapshot, Optional.of(reply), Optional.empty(), heartbeatAt, percent, currentService,
                archiveName, archiveKey, sha256, bytes, counts, completedAt, expiresAt, failure, failureCause, revision);
    }

    /** The comment that asked for the export (its reaction is set when the export ends) and the reply. */
    public ExportJob withComments(long commandComment, long reply) {
        return new ExportJob(exportId, tenant, eviction, status, format, compression, requestedBy, requestedAt, asOf,
                snapshot, Optional.of(reply), Optional.of(commandComment), heartbeatAt, percent, currentService,
                archiveName, archiveKey, sha256, bytes, counts, completedAt, expiresAt, failure, failureCause, revision);
    }

    /** The same job as stored at {@code newRevision} (the store's bookkeeping). */
    public ExportJob atRevision(long newRevision) {
        return new ExportJob(exportId, tenant, eviction, status, format, compression, requestedBy, requestedAt, asOf,
                snapshot, replyCommentId, commandCommentId, heartbeatAt, percent, currentService, archiveName,
                archiveKey, sha256, bytes, counts, completedAt, expiresAt, failure, failureCause, newRevision);
    }

    /** A worker is (still, or now) on this export. */
    public ExportJob heartbeat(Instant now) {
        return new ExportJob(exportId, tenant, eviction, status, format, compression, requestedBy, requestedAt, asOf,
                snapshot, replyCommentId, commandCommentId, Optional.of(now), percent, currentService, archiveName,
                archiveKey, sha256, bytes, counts, completedAt, expiresAt, failure, failureCause, revision);
    }

    /** Running, but its worker has not been heard of since {@code staleAfter} before {@code now}. */
    public boolean abandoned(Instant now, java.time.Duration staleAfter) {
        return status.running() && heartbeatAt.orElse(requestedAt).plus(staleAfter).isBefore(now);
    }

    public ExportJob progressed(int newPercent, String service) {
        // a cancellation asked for stays asked for whatever progress the worker reports meanwhile
        ExportStatus next = status == ExportStatus.CANCELING ? ExportStatus.CANCELING : ExportStatus.EXPORTING;
        return new ExportJob(exportId, tenant, eviction, next, format, compression, requestedBy,
                requestedAt, asOf, snapshot, replyCommentId, commandCommentId, heartbeatAt, newPercent, service, archiveName, archiveKey, sha256,
                bytes, counts, completedAt, expiresAt, failure, failureCause, revision);
    }

    public ExportJob exported(String name, String key, String archiveSha256, long archiveBytes, List<String> perService,
                              Instant now, Duration retention) {
        return new ExportJob(exportId, tenant, eviction, ExportStatus.EXPORTED, format, compression, requestedBy,
                requestedAt, asOf, snapshot, replyCommentId, commandCommentId, heartbeatAt, 100, "", Optional.of(name), Optional.of(key),
                Optional.of(archiveSha256), Optional.of(archiveBytes), perService, Optional.of(now),
                Optional.of(now.plus(retention)), Optional.empty(), Optional.empty(), revision);
    }

    public ExportJob failed(String reason, FailureCause cause, Instant now) {
        return new ExportJob(exportId, tenant, eviction, ExportStatus.FAILED, format, compression, requestedBy,
                requestedAt, asOf, snapshot, replyCommentId, commandCommentId, heartbeatAt, percent, currentService, archiveName,
                archiveKey, sha256, bytes, counts, Optional.of(now), Optional.empty(), Optional.of(reason), Optional.of(cause), revision);
    }

    /**
     * Asked to stop from outside (the deletion time came): a cancellation, never a failure of anyone's making, and it
     * pauses nothing. The export keeps its claim until its worker has stopped ({@link #canceled}).
     */
    public ExportJob cancelRequested(String why) {
        return new ExportJob(exportId, tenant, eviction, ExportStatus.CANCELING, format, compression, requestedBy,
                requestedAt, asOf, snapshot, replyCommentId, commandCommentId, heartbeatAt, percent, currentService,
                archiveName, archiveKey, sha256, bytes, counts, completedAt, expiresAt, Optional.of(why),
                Optional.empty(), revision);
    }

    /** Its worker stopped (or is known dead): nothing of it can still write; the claim goes. */
    public ExportJob canceled(Instant now) {
        return new ExportJob(exportId, tenant, eviction, ExportStatus.CANCELED, format, compression, requestedBy,
                requestedAt, asOf, snapshot, replyCommentId, commandCommentId, heartbeatAt, percent, currentService,
                archiveName, archiveKey, sha256, bytes, counts, Optional.of(now), Optional.empty(), failure,
                Optional.empty(), revision);
    }

    /** A newer export of the tenant is ready: this archive is deleted and no longer downloadable. */
    public ExportJob replaced(Instant now) {
        return new ExportJob(exportId, tenant, eviction, status, format, compression, requestedBy, requestedAt, asOf,
                snapshot, replyCommentId, commandCommentId, heartbeatAt, percent, currentService, archiveName, Optional.empty(),
                sha256, bytes,
                counts, completedAt, Optional.of(now), failure, failureCause, revision);
    }

    /** Whether the archive can still be downloaded at {@code now}. */
    public boolean downloadable(Instant now) {
        return status == ExportStatus.EXPORTED && archiveKey.isPresent()
                && expiresAt.map(now::isBefore).orElse(false);
    }
}
