package io.offboard.bot.export;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.offboard.exporter.storage.ArchiveStorage;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.store.ExportStore;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /exports/{id}/download}: the link posted in the export comment. Redirects to a presigned URL
 * valid for 15 minutes, minted per request, so no bearer link to tenant data is ever written in a comment.
 * (Checking the caller's GitHub identity comes with the identity work; until then anyone with the link can
 * start the download while the archive lives.)
 */
@Controller("/exports")
public class DownloadController {

    private final ExportStore exports;
    private final ArchiveStorage storage;
    private final Clock clock;

    public DownloadController(ExportStore exports, ArchiveStorage storage, Clock clock) {
        this.exports = exports;
        this.storage = storage;
        this.clock = clock;
    }

    @Get("/{id}/download")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> download(@PathVariable String id) {
        Optional<ExportJob> job = exports.find(id);
        if (job.isEmpty()) {
            return HttpResponse.notFound(Map.of("error", "no export " + id));
        }
        if (!job.get().downloadable(clock.instant())) {
            return HttpResponse.status(HttpStatus.GONE).body(Map.of("error",
                    "export " + id + " is no longer available (exports are kept "
                            + "until a newer one replaces them or they expire); run /export again on the issue"));
        }
        String url = storage.presignedDownload(job.get().archiveKey().orElseThrow(), job.get().archiveName().orElseThrow(),
                ExportRunner.DOWNLOAD_LINK_VALIDITY);
        return HttpResponse.status(HttpStatus.FOUND).headers(h -> h.location(URI.create(url)));
    }
}
