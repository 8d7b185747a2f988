package io.offboard.bot.export;

import io.offboard.exporter.storage.ArchiveStorage;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.store.ConcurrentChangeException;
import io.offboard.lifecycle.store.ExportStore;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes archives past their expiry (seed 003: exports are ephemeral; the platform keeps no history).
 * Runs on a timer inside {@code serve} and in every sweep; several replicas may run it at once: the record update is conditional, so an
 * archive is deleted and recorded once.
 */
@Singleton
public class ExpiredArchiveCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiredArchiveCleaner.class);

    private final ExportStore exports;
    private final ArchiveStorage storage;
    private final Clock clock;

    public ExpiredArchiveCleaner(ExportStore exports, ArchiveStorage storage, Clock clock) {
        this.exports = exports;
        this.storage = storage;
        this.clock = clock;
    }

    public int deleteExpired() {
        int deleted = 0;
        for (ExportJob job : exports.expired(clock.instant())) {
            try {
                job.archiveKey().ifPresent(storage::delete);
                exports.update(job, job.replaced(job.expiresAt().orElse(clock.instant())));
                deleted++;
            } catch (ConcurrentChangeException alreadyHandled) {
                // another replica got there first
            } catch (RuntimeException e) {
                LOG.warn("expired archive of export {} not deleted yet: {}", job.exportId(), e.toString());
            }
        }
        return deleted;
    }
}
