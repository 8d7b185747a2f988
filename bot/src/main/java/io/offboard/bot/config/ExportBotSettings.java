package io.offboard.bot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * @param publicUrl              where people reach the bot (download links point here); OFFBOARD_PUBLIC_URL
 * @param exportsBucket          the bot's own bucket for archives; OFFBOARD_EXPORTS_BUCKET
 * @param exportRetention        how long an archive stays downloadable; OFFBOARD_EXPORT_RETENTION
 * @param exportWorkDir          spool and checkpoints of running exports; OFFBOARD_EXPORT_WORK_DIR
 * @param exportProgressInterval at most one progress edit of the export comment per interval
 * @param exportBytesPerSecond   throughput assumed for the first estimate, until one export was measured
 * @param exportStaleAfter       a running export whose worker was not heard of for this long is taken over
 * @param exportHeartbeatInterval how often a running export's worker says it is alive, on its own timer (also while
 *                               one long object is copied); well below {@code exportStaleAfter}
 */
// prefix "offboard" so that the documented OFFBOARD_* names bind
@ConfigurationProperties("offboard")
public record ExportBotSettings(
        @Bindable(defaultValue = "http://localhost:8080") String publicUrl,
        @Bindable(defaultValue = "offboard-exports") String exportsBucket,
        @Bindable(defaultValue = "24h") Duration exportRetention,
        @Bindable(defaultValue = "") String exportWorkDir,
        @Bindable(defaultValue = "10s") Duration exportProgressInterval,
        @Bindable(defaultValue = "20000000") double exportBytesPerSecond,
        @Bindable(defaultValue = "10m") Duration exportStaleAfter,
        @Bindable(defaultValue = "1m") Duration exportHeartbeatInterval) {
}
