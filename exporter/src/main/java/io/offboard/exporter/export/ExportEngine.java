package io.offboard.exporter.export;

import io.offboard.exporter.registry.Registry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The one export engine: reads every source the registry lists for a tenant and writes the archive. No
 * per-tenant code path; the registry is the only description of the platform's data.
 *
 * <p>{@code workDir} holds the spool and its checkpoint: running again with the same request and work
 * directory after a crash resumes the reading where it stopped and produces the same archive.
 */
public final class ExportEngine {

    private final Spooler spooler;
    private final Packer packer;

    public ExportEngine(Registry registry, DynamoDbClient dynamo, S3Client s3, ExportSettings settings) {
        this.spooler = new Spooler(registry, dynamo, s3, settings);
        this.packer = new Packer(registry, s3, settings);
    }

    public ExportOutcome export(ExportRequest request, Path workDir, OutputStream sink, ExportProgress progress)
            throws IOException {
        SpoolState spool = spooler.spool(request, workDir, progress);
        return packer.pack(request, spool, workDir, sink, progress);
    }

    /** Removes a finished export's spool and checkpoint: nothing of the tenant's data stays on local disk. */
    public static void discardWorkDir(Path workDir) throws IOException {
        ExportWorkDirs.deleteTree(workDir);
    }
}
