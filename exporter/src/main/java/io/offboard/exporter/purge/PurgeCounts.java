package io.offboard.exporter.purge;

/**
 * What a source holds or what was deleted from it. DynamoDB sources count {@code items}; S3 sources count
 * {@code objects} (distinct keys), {@code versions} (object versions, one per object in an unversioned bucket),
 * {@code deleteMarkers}, {@code bytes} (of the versions; markers have none) and {@code uploads} (incomplete multipart
 * uploads: parts S3 keeps, and bills, until the upload is completed or aborted; they are not objects and no listing
 * of objects or versions shows them). Item bytes are not counted: the purge reads keys only; nor are the bytes of an
 * upload's parts.
 */
public record PurgeCounts(long items, long objects, long versions, long deleteMarkers, long bytes, long uploads) {

    public static final PurgeCounts ZERO = new PurgeCounts(0, 0, 0, 0, 0, 0);

    public PurgeCounts {
        if (items < 0 || objects < 0 || versions < 0 || deleteMarkers < 0 || bytes < 0 || uploads < 0) {
            throw new IllegalArgumentException("negative count");
        }
    }

    /** Counts without incomplete multipart uploads. */
    public PurgeCounts(long items, long objects, long versions, long deleteMarkers, long bytes) {
        this(items, objects, versions, deleteMarkers, bytes, 0);
    }

    public static PurgeCounts ofItems(long items) {
        return new PurgeCounts(items, 0, 0, 0, 0, 0);
    }

    public static PurgeCounts ofUploads(long uploads) {
        return new PurgeCounts(0, 0, 0, 0, 0, uploads);
    }

    public PurgeCounts plus(PurgeCounts other) {
        return new PurgeCounts(items + other.items, objects + other.objects, versions + other.versions,
                deleteMarkers + other.deleteMarkers, bytes + other.bytes, uploads + other.uploads);
    }

    /** Items, versions, delete markers and incomplete uploads: the things the purge removes one by one. */
    public long entries() {
        return items + versions + deleteMarkers + uploads;
    }
}
