package io.offboard.bot.journey;

import io.offboard.lifecycle.eviction.Eviction;
import java.io.IOException;

/**
 * Starts an export of the bot's own while an eviction's countdown is paused: a clean one ends the pause. The sweep
 * decides when (see {@code EvictionJourney.exportRetried}); the export side does it (an interface, so the journey
 * package does not depend on the export package, which depends on it).
 */
public interface ExportRetry {

    /** Starts the export; returns what came of it, for the audit log. */
    String start(Eviction eviction, String why) throws IOException;
}
