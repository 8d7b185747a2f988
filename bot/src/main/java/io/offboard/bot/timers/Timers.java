package io.offboard.bot.timers;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.util.StringUtils;
import io.micronaut.scheduling.annotation.Scheduled;
import io.offboard.bot.export.ExpiredArchiveCleaner;
import io.offboard.bot.export.ExportRunner;
import io.offboard.bot.intake.IntakeCatchUp;
import io.offboard.bot.journey.Sweeper;
import io.offboard.bot.webhook.DeliveryDispatcher;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers of {@code serve}: the sweep, taking up stored webhook deliveries nobody handled, taking over
 * exports whose worker died, and deleting expired archives. Off for one-shot commands ({@code offboard sweep}) and for the simulated clock of {@code demo},
 * which run the same work explicitly ({@code offboard.timers.enabled=false}).
 */
@Singleton
@Requires(property = "offboard.timers.enabled", notEquals = StringUtils.FALSE)
public class Timers {

    private static final Logger LOG = LoggerFactory.getLogger(Timers.class);

    private final Sweeper sweeper;
    private final ExportRunner exports;
    private final ExpiredArchiveCleaner archives;
    private final DeliveryDispatcher deliveries;
    private final IntakeCatchUp catchUp;

    public Timers(Sweeper sweeper, ExportRunner exports, ExpiredArchiveCleaner archives,
                  DeliveryDispatcher deliveries, IntakeCatchUp catchUp) {
        this.catchUp = catchUp;
        this.sweeper = sweeper;
        this.exports = exports;
        this.archives = archives;
        this.deliveries = deliveries;
    }

    /** Deliveries stored by a process that died before handling them, and retries whose time has come. */
    @Scheduled(fixedDelay = "${offboard.delivery-recovery-interval:15s}", initialDelay = "1s")
    void recoverDeliveries() {
        int started = deliveries.recover();
        if (started > 0) {
            LOG.info("took up {} stored webhook deliveries", started);
        }
    }

    @Scheduled(fixedDelay = "${offboard.sweep-interval:5m}", initialDelay = "${offboard.sweep-initial-delay:30s}")
    void sweep() {
        Sweeper.SweepReport report = sweeper.sweep();
        if (report.due() > 0) {
            LOG.info("sweep: {}", report);
        }
        try {
            IntakeCatchUp.Report caughtUp = catchUp.run();
            if (!caughtUp.takenIn().isEmpty() || !caughtUp.ignored().isEmpty()) {
                LOG.info("catch-up: {}", caughtUp);
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("catch-up of eviction issues GitHub never told us of failed; the next sweep tries again: {}",
                    e.toString());
        }
    }

    @Scheduled(fixedDelay = "${offboard.export-resume-interval:1m}", initialDelay = "5s")
    void resumeAbandonedExports() {
        exports.resumeAbandoned();
    }

    @Scheduled(fixedDelay = "${offboard.export-cleanup-interval:10m}", initialDelay = "1m")
    void deleteExpiredArchives() {
        archives.deleteExpired();
    }
}
