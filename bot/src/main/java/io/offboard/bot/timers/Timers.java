package io.offboard.bot.timers;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.util.StringUtils;
import io.micronaut.scheduling.annotation.Scheduled;
import io.offboard.bot.export.ExpiredArchiveCleaner;
import io.offboard.bot.export.ExportRunner;
import io.offboard.bot.intake.IntakeCatchUp;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.journey.Sweeper;
import io.offboard.bot.webhook.DeliveryDispatcher;
import io.offboard.bot.webhook.Redelivery;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers of {@code serve}: the sweep, taking up stored webhook deliveries nobody handled, asking GitHub to
 * redeliver those that never arrived (App auth), taking over exports whose worker died, and deleting expired
 * archives. Off for one-shot commands ({@code offboard sweep}) and for the simulated clock of {@code demo}, which run
 * the same work explicitly ({@code offboard.timers.enabled=false}).
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
    private final Redelivery redelivery;

    public Timers(Sweeper sweeper, ExportRunner exports, ExpiredArchiveCleaner archives,
                  DeliveryDispatcher deliveries, IntakeCatchUp catchUp, Redelivery redelivery) {
        this.catchUp = catchUp;
        this.sweeper = sweeper;
        this.exports = exports;
        this.archives = archives;
        this.deliveries = deliveries;
        this.redelivery = redelivery;
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

    /**
     * With App auth: asks GitHub to redeliver the deliveries of the last three days that never reached the bot. A
     * failure is logged; the next run asks again.
     */
    @Scheduled(fixedDelay = "${offboard.redeliver-interval:15m}", initialDelay = "${offboard.redeliver-initial-delay:2m}")
    void redeliverFailedDeliveries() {
        if (!redelivery.available()) {
            return;
        }
        try {
            Redelivery.Report report = redelivery.run(Redelivery.RETENTION, Redelivery.DEFAULT_MAX);
            if (!report.asked().isEmpty() || !report.ok()) {
                LOG.info("redeliver: {}", report.summary());
            }
        } catch (java.io.IOException e) {
            LOG.warn("redeliver: GitHub's webhook deliveries could not be read (trying again later): {}",
                    GitHubGateway.describe(e));
        } catch (RuntimeException e) {
            LOG.warn("redeliver: failed (trying again later)", e);
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
