package io.offboard.exporter.purge;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Progress held in this process, as JSON (so what is kept is exactly what a durable store would keep). */
public final class InMemoryPurgeCheckpoints implements PurgeCheckpoints {

    private final Map<String, String> stored = new ConcurrentHashMap<>();

    @Override
    public Optional<PurgeProgress> load(String purgeId) {
        return Optional.ofNullable(stored.get(purgeId)).map(PurgeProgress::fromJson);
    }

    @Override
    public void save(PurgeProgress progress) {
        stored.put(progress.purgeId(), progress.toJson());
    }

    /** How many purges are stored. */
    public int size() {
        return stored.size();
    }
}
