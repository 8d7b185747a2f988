package io.offboard.exporter.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The exports bucket: archives are streamed in with S3 multipart upload (heap holds one part), downloaded
 * through short-lived presigned URLs that are handed out by the bot and never posted, and deleted when
 * they expire or a newer export replaces them.
 */
public final class ArchiveStorage {

    /** S3's minimum part size is 5 MiB; 8 MiB keeps the part count low for multi-GB archives. */
    static final int PART_BYTES = 8 * 1024 * 1024;
    static final int MIN_PART_BYTES = 5 * 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final int partBytes;

    public ArchiveStorage(S3Client s3, S3Presigner presigner, String bucket) {
        this(s3, presigner, bucket, PART_BYTES);
    }

    /** @param partBytes bytes per multipart part (every part but the last), at least S3's 5 MiB */
    public ArchiveStorage(S3Client s3, S3Presigner presigner, String bucket, int partBytes) {
        if (partBytes < MIN_PART_BYTES) {
            throw new IllegalArgumentException("parts must be at least 5 MiB (S3's minimum), not " + partBytes);
        }
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.partBytes = partBytes;
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
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    /**
     * A stream whose bytes become the object {@code key}: {@code close()} completes the upload, {@code abort()}
     * throws it away (call it instead when the writing failed, so no truncated archive is stored). Resumable: the
     * upload id and every part uploaded (number, ETag, size, SHA-256)
     * are kept in {@code checkpoint}, a file written atomically after each part. If the process dies, an upload of
     * the same key with the same checkpoint continues the same multipart upload: the caller writes the same bytes
     * again from the start (exports are deterministic), and each part S3 still lists (ListParts) whose size and
     * SHA-256 match the bytes written now is kept instead of being sent again; any other part is uploaded (and
     * replaces what S3 holds under its number). A failure leaves the upload and the checkpoint for that resume;
     * {@link Upload#abort()} removes both.
     */
    public Upload upload(String key, Path checkpoint) {
        return new Upload(key, Objects.requireNonNull(checkpoint, "checkpoint"));
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

    /** What a resumable upload keeps between runs: its multipart upload and the parts already uploaded. */
    static final class UploadCheckpoint {
        public String bucket;
        public String key;
        public String uploadId;
        public int partBytes;
        public List<UploadedPart> parts = new ArrayList<>();

        static UploadCheckpoint read(Path file) throws IOException {
            return JSON.readValue(file.toFile(), UploadCheckpoint.class);
        }

        void write(Path file) throws IOException {
            AtomicFiles.write(file, JSON.writeValueAsBytes(this));
        }
    }

    /** One part S3 holds: its number, ETag and size, and the SHA-256 of its bytes to recognise them again. */
    public record UploadedPart(int number, String etag, long bytes, String sha256) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * Multipart upload as an OutputStream. The SDK's transfer manager needs the async (CRT) client for
     * streams of unknown length; this keeps the sync client and one part of heap.
     */
    public final class Upload extends OutputStream {
        private final String key;
        private final Path checkpointFile;
        private final UploadCheckpoint checkpoint;
        /** Parts of an earlier run of this upload that S3 still holds, by number: kept when the bytes match. */
        private final Map<Integer, UploadedPart> earlier = new HashMap<>();
        private final List<CompletedPart> parts = new ArrayList<>();
        private byte[] buffer = new byte[partBytes];
        private int filled;
        private boolean closed;

        Upload(String key, Path checkpointFile) {
            this.key = key;
            this.checkpointFile = checkpointFile;
            UploadCheckpoint resumed = resume(key, checkpointFile);
            if (resumed != null) {
                this.checkpoint = resumed;
            } else {
                this.checkpoint = new UploadCheckpoint();
                checkpoint.bucket = bucket;
                checkpoint.key = key;
                checkpoint.partBytes = partBytes;
                checkpoint.uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
                        .contentType("application/octet-stream")).uploadId();
                save();
            }
        }

        /**
         * The earlier run's checkpoint if it is for this object and part size and its upload still exists with at
         * least one of the recorded parts; otherwise null (and the earlier upload, if any, is aborted).
         */
        private UploadCheckpoint resume(String key, Path file) {
            if (!Files.exists(file)) {
                return null;
            }
            UploadCheckpoint earlierRun;
            try {
                earlierRun = UploadCheckpoint.read(file);
            } catch (IOException unreadable) {
                return null; // a torn write cannot happen (atomic move); anything else: start over
            }
            if (!bucket.equals(earlierRun.bucket) || earlierRun.uploadId == null) {
                return null;
            }
            if (!key.equals(earlierRun.key) || earlierRun.partBytes != partBytes) {
                abortQuietly(earlierRun.key, earlierRun.uploadId);
                return null;
            }
            Map<Integer, software.amazon.awssdk.services.s3.model.Part> listed = new HashMap<>();
            try {
                s3.listPartsPaginator(b -> b.bucket(bucket).key(key).uploadId(earlierRun.uploadId))
                        .parts().forEach(p -> listed.put(p.partNumber(), p));
            } catch (NoSuchUploadException gone) {
                return null;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return null;
                }
                throw e;
            }
            for (UploadedPart part : earlierRun.parts) {
                software.amazon.awssdk.services.s3.model.Part held = listed.get(part.number());
                if (held != null && part.etag().equals(held.eTag()) && held.size() != null
                        && held.size() == part.bytes()) {
                    earlier.put(part.number(), part);
                }
            }
            if (earlier.isEmpty()) {
                // nothing to keep (or an upload id the server no longer knows but lists as empty): start afresh
                abortQuietly(key, earlierRun.uploadId);
                return null;
            }
            earlierRun.parts = new ArrayList<>(earlier.values());
            earlierRun.parts.sort(java.util.Comparator.comparingInt(UploadedPart::number));
            return earlierRun;
        }

        /** The multipart upload id (the same after a resume). */
        public String uploadId() {
            return checkpoint.uploadId;
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
            String sha256 = sha256(buffer, filled);
            UploadedPart kept = earlier.remove(number);
            if (kept != null && kept.bytes() == filled && kept.sha256().equals(sha256)) {
                parts.add(CompletedPart.builder().partNumber(number).eTag(kept.etag()).build());
                filled = 0;
                return;
            }
            String eTag;
            try {
                int length = filled;
                byte[] part = buffer;
                // streamed from the part buffer (the sync client is done with it when uploadPart returns): a copy
                // per part would double the heap an upload needs
                eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(checkpoint.uploadId).partNumber(number)
                        .contentLength((long) length), RequestBody.fromContentProvider(
                                () -> new ByteArrayInputStream(part, 0, length), length, "application/octet-stream"))
                        .eTag();
            } catch (RuntimeException e) {
                throw new IOException("uploading part " + number + " of " + key + " to " + bucket + " failed", e);
            }
            parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
            checkpoint.parts.removeIf(p -> p.number() == number);
            checkpoint.parts.add(new UploadedPart(number, eTag, filled, sha256));
            filled = 0;
            save();
        }

        private void save() {
            try {
                checkpoint.write(checkpointFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the upload checkpoint " + checkpointFile, e);
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
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(checkpoint.uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            } catch (RuntimeException e) {
                throw new IOException("completing the upload of " + key + " to " + bucket + " failed", e);
            }
            deleteCheckpoint();
        }

        /** Called when the export fails before close, so no half-written archive is left behind. */
        public void abort() {
            if (closed && buffer == null && !Files.exists(checkpointFile)) {
                return;
            }
            closed = true;
            buffer = null;
            abortQuietly(key, checkpoint.uploadId);
            deleteCheckpoint();
        }

        private void deleteCheckpoint() {
            try {
                Files.deleteIfExists(checkpointFile);
            } catch (IOException ignored) {
                // a stale checkpoint names an upload that no longer exists: the next run starts afresh
            }
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException ignored) {
            // best effort: an incomplete upload is also removed by the bucket's lifecycle rule
        }
    }

    private static String sha256(byte[] bytes, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes, 0, length);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
