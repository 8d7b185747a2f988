package io.offboard.exporter.purge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Deletes object versions and delete markers by version id with {@code DeleteObjects} (so nothing is left behind,
 * not even a new delete marker), checking the per-key {@code errors} of every response. Keys S3 refused are retried
 * by the policy; a key that is already gone ({@code NoSuchVersion}, {@code NoSuchKey}) is not retried.
 */
final class VersionDeleter {

    /** DeleteObjects takes at most 1,000 keys. */
    static final int MAX_BATCH = 1000;

    private static final Set<String> GONE = Set.of("NoSuchVersion", "NoSuchKey");

    private final S3Client s3;
    private final RetryPolicy retry;

    VersionDeleter(S3Client s3, RetryPolicy retry) {
        this.s3 = s3;
        this.retry = retry;
    }

    /**
     * Deletes {@code versions} (at most {@value #MAX_BATCH}) from {@code bucket} and returns those this call
     * removed, in the order given: the ones in the responses' {@code deleted} lists, plus, when {@code replay},
     * the ones S3 reports as already gone (a replay resends a batch whose earlier request may have deleted them
     * without its result being recorded).
     *
     * @throws PurgeFailedException if S3 still refuses some after every attempt
     */
    List<VersionRef> delete(String bucket, List<VersionRef> versions, boolean replay) {
        if (versions.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " keys per DeleteObjects: " + versions.size());
        }
        Map<String, VersionRef> byId = new HashMap<>();
        for (VersionRef v : versions) {
            byId.put(id(v.key(), v.versionId()), v);
        }
        Set<String> removed = new HashSet<>();
        List<String> lastErrors = new ArrayList<>();
        try {
            retry.run("deleting from bucket " + bucket, versions, batch -> {
                List<ObjectIdentifier> ids = batch.stream()
                        .map(v -> ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build())
                        .toList();
                // quiet(false): the response lists every deleted key, which is what the purge counts
                DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket)
                        .delete(d -> d.objects(ids).quiet(false)));
                Set<String> answered = new HashSet<>();
                for (DeletedObject deleted : response.deleted()) {
                    String id = id(deleted.key(), deleted.versionId());
                    removed.add(id);
                    answered.add(id);
                }
                List<VersionRef> failed = new ArrayList<>();
                lastErrors.clear();
                for (S3Error error : response.errors()) {
                    String id = id(error.key(), error.versionId());
                    VersionRef ref = byId.get(id);
                    if (ref == null) {
                        throw new PurgeFailedException("S3 reported an error for a key that was not asked for: "
                                + error.key() + " " + error.versionId() + " " + error.code());
                    }
                    answered.add(id);
                    if (GONE.contains(error.code())) {
                        if (replay) {
                            removed.add(id);
                        }
                    } else {
                        failed.add(ref);
                        lastErrors.add(ref.describe() + ": " + error.code() + " " + error.message());
                    }
                }
                // a key the response says nothing about was not deleted: ask again rather than assume
                for (VersionRef v : batch) {
                    if (!answered.contains(id(v.key(), v.versionId()))) {
                        failed.add(v);
                    }
                }
                return failed;
            });
        } catch (PurgeFailedException e) {
            if (lastErrors.isEmpty()) {
                throw e;
            }
            throw new PurgeFailedException(e.getMessage() + "; S3 said: "
                    + String.join("; ", lastErrors.subList(0, Math.min(5, lastErrors.size()))), e);
        }
        return versions.stream().filter(v -> removed.contains(id(v.key(), v.versionId()))).toList();
    }

    private static String id(String key, String versionId) {
        return key + "\u0000" + (versionId == null ? VersionRef.NULL_VERSION : versionId);
    }
}
