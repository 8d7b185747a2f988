package io.offboard.exporter.purge;

import java.time.Instant;
import java.util.Objects;

/**
 * One incomplete multipart upload to abort: S3 keeps its parts (tenant data) until it is completed or aborted.
 *
 * @param initiated when the upload was started, if S3 said so
 */
public record UploadRef(String key, String uploadId, Instant initiated) {

    public UploadRef {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(uploadId, "uploadId");
    }

    /** For a report: the key and the upload id. */
    public String describe() {
        return key + " (unfinished upload " + uploadId + ")";
    }
}
