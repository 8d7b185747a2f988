package io.offboard.exporter.purge;

import java.util.Optional;

/**
 * Where a purge keeps its {@link PurgeProgress}, keyed by purge id: the app stores it in DynamoDB, tests and the CLI
 * in memory or a file. {@link PurgeProgress#toJson()} is the stored form. A save must be durable when it returns:
 * the purge sends a delete request only after the save before it succeeded.
 */
public interface PurgeCheckpoints {

    Optional<PurgeProgress> load(String purgeId);

    void save(PurgeProgress progress);
}
