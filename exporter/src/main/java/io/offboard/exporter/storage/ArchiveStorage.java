package io.offboard.exporter.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The exports bucket: archives are streamed in with S3 multipart upload (heap holds one part), downloaded
 * through short-lived presigned URLs that are handed out by the bot and never posted, and deleted when
 * they expire or a newer export replaces them.
 */
public final class ArchiveStorage {

    /** S3's minimum part size is 5 MiB; 8 MiB keeps the part count low for multi-GB archives. */
    static final int PART_BYTES = 8 * 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public ArchiveStorage(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket if it is missing (embedded default and tests; production buckets come from IaC). */
    public void createIfMissing() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException missing) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    /**
     * A stream whose bytes become the object {@code key}: {@code close()} completes the upload, {@code abort()}
     * throws it away (call it instead when the writing failed, so no truncated archive is stored).
     */
    public Upload upload(String key) {
        return new Upload(key);
    }

    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    public String presignedDownload(String key, String fileName, Duration validFor) {
        return presigner.presignGetObject(b -> b.signatureDuration(validFor)
                .getObjectRequest(g -> g.bucket(bucket).key(key)
                        .responseContentDisposition("attachment; filename=\"" + fileName + "\"")))
                .url().toString();
    }

    /**
     * Multipart upload as an OutputStream. The SDK's transfer manager needs the async (CRT) client for
     * streams of unknown length; this keeps the sync client and one part of heap.
     */
    public final class Upload extends OutputStream {
        private final String key;
        private final String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();
        private byte[] buffer = new byte[PART_BYTES];
        private int filled;
        private boolean closed;

        Upload(String key) {
            this.key = key;
            this.uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
                    .contentType("application/octet-stream")).uploadId();
        }

        @Override
        public void write(int b) throws IOException {
            if (filled == buffer.length) {
                flushPart();
            }
            buffer[filled++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == buffer.length) {
                    flushPart();
                }
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void flushPart() throws IOException {
            int number = parts.size() + 1;
            try {
                String eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) filled), RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, filled)))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
                filled = 0;
            } catch (RuntimeException e) {
                abort();
                throw new IOException("uploading part " + number + " of " + key + " to " + bucket + " failed", e);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (filled > 0 || parts.isEmpty()) {
                flushPart();
            }
            buffer = null;
            try {
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            } catch (RuntimeException e) {
                abort();
                throw new IOException("completing the upload of " + key + " to " + bucket + " failed", e);
            }
        }

        /** Called when the export fails before close, so no half-written archive is left behind. */
        public void abort() {
            if (closed && buffer == null) {
                return;
            }
            closed = true;
            buffer = null;
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException ignored) {
                // best effort: an incomplete upload is also removed by the bucket's lifecycle rule
            }
        }
    }
}
