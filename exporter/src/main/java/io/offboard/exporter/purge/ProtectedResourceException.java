package io.offboard.exporter.purge;

import java.util.List;

/** A purge source would resolve to a protected resource (seed 001): the purge is refused before anything is read. */
public class ProtectedResourceException extends IllegalStateException {
    private final List<String> resources;

    public ProtectedResourceException(List<String> resources, String message) {
        super(message);
        this.resources = List.copyOf(resources);
    }

    /** The protected tables and buckets that were named. */
    public List<String> resources() {
        return resources;
    }
}
