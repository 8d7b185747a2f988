package io.offboard.exporter.purge;

import java.util.Objects;

/**
 * A place outside the registry that holds the tenant's data and goes with it, e.g. its export archives
 * ({@code exports/<orgcode>/} in the exports bucket): every object version and delete marker under {@code prefix}.
 * The prefix must name the tenant as a whole path segment and end with {@code /} (checked at plan time), so it
 * can never select another tenant's keys.
 */
public record ExtraLocation(String bucket, String prefix) {
    public ExtraLocation {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        if (bucket.isBlank() || prefix.isBlank()) {
            throw new IllegalArgumentException("an extra location needs a bucket and a prefix: " + bucket + "/" + prefix);
        }
    }
}
