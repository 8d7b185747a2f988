package io.offboard.exporter.purge;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Incomplete multipart uploads under a prefix: listed with the {@code ListMultipartUploads} paginator and aborted one
 * by one ({@code AbortMultipartUpload}; S3 has no batch form). An upload S3 no longer knows ({@code NoSuchUpload}) was
 * aborted or completed by someone else meanwhile; a completed one is an object version, which the purge deletes next.
 */
final class MultipartUploads {

    private final S3Client s3;

    MultipartUploads(S3Client s3) {
        this.s3 = s3;
    }

    /** Every incomplete upload whose key starts with {@code prefix}, in S3's order (key, then upload). */
    Stream<UploadRef> list(String bucket, String prefix) {
        // URL-encoded keys (the SDK decodes them), as BucketSource lists versions: XML 1.0 cannot carry every
        // character a key may hold, and a listing naming such a key would not parse
        return s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix).encodingType(EncodingType.URL))
                .uploads().stream()
                .map(u -> new UploadRef(u.key(), u.uploadId(), u.initiated()));
    }

    /**
     * Aborts {@code uploads} and returns those this call removed, in the order given; when {@code replay}, also those
     * S3 no longer knows (a replayed batch's earlier request may have aborted them without its result being recorded).
     *
     * @throws PurgeFailedException when S3 refuses an abort (access denied, ...); the uploads before it are aborted
     */
    List<UploadRef> abort(String bucket, List<UploadRef> uploads, boolean replay) {
        List<UploadRef> aborted = new ArrayList<>();
        for (UploadRef upload : uploads) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                aborted.add(upload);
            } catch (NoSuchUploadException gone) {
                if (replay) {
                    aborted.add(upload);
                }
            } catch (S3Exception e) {
                throw new PurgeFailedException("aborting " + upload.describe() + " in bucket " + bucket + " failed: "
                        + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode() + " "
                        + e.awsErrorDetails().errorMessage()), e);
            }
        }
        return aborted;
    }
}
