package io.offboard.exporter.purge;

import java.util.Objects;

/**
 * One object version or delete marker to delete.
 *
 * @param versionId the version ({@code "null"} for the one version of an object in an unversioned bucket)
 * @param size      bytes of the version, 0 for a delete marker
 */
public record VersionRef(String key, String versionId, boolean deleteMarker, long size) {

    /** How S3 names the version of an object written while versioning was off. */
    public static final String NULL_VERSION = "null";

    public VersionRef {
        Objects.requireNonNull(key, "key");
        versionId = versionId == null ? NULL_VERSION : versionId;
    }

    /** For a receipt: the key, and the version when there is one. */
    public String describe() {
        String what = deleteMarker ? "delete marker" : "version";
        return versionId.equals(NULL_VERSION) && !deleteMarker ? key : key + " (" + what + " " + versionId + ")";
    }
}
