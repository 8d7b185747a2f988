package io.offboard.exporter.purge;

/**
 * What a source holds or what was deleted from it. DynamoDB sources count {@code items}; S3 sources count
 * {@code objects} (distinct keys), {@code versions} (object versions, one per object in an unversioned bucket),
 * {@code deleteMarkers} and {@code bytes} (of the versions; markers have none). Item bytes are not counted: the
 * purge reads keys only.
 */
public record PurgeCounts(long items, long objects, long versions, long deleteMarkers, long bytes) {

    public static final PurgeCounts ZERO = new PurgeCounts(0, 0, 0, 0, 0);

    public PurgeCounts {
        if (items < 0 || objects < 0 || versions < 0 || deleteMarkers < 0 || bytes < 0) {
            throw new IllegalArgumentException("negative count");
        }
    }

    public static PurgeCounts ofItems(long items) {
        return new PurgeCounts(items, 0, 0, 0, 0);
    }

    public PurgeCounts plus(PurgeCounts other) {
        return new PurgeCounts(items + other.items, objects + other.objects, versions + other.versions,
                deleteMarkers + other.deleteMarkers, bytes + other.bytes);
    }

    /** Items, versions and delete markers: the things a delete request removes one by one. */
    public long entries() {
        return items + versions + deleteMarkers;
    }
}
