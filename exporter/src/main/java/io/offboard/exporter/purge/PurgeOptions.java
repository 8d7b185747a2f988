package io.offboard.exporter.purge;

import io.offboard.exporter.source.TableSource;
import java.util.Objects;

/**
 * @param itemsPerBatch    DynamoDB keys per BatchWriteItem, 1 to 25
 * @param versionsPerBatch S3 versions and delete markers per listing and DeleteObjects, 1 to 1,000
 * @param tableOptions     how tables are read (scan segments, page size)
 */
public record PurgeOptions(int itemsPerBatch, int versionsPerBatch, TableSource.Options tableOptions) {

    public PurgeOptions {
        if (itemsPerBatch < 1 || itemsPerBatch > TableDeleter.MAX_BATCH) {
            throw new IllegalArgumentException("itemsPerBatch must be 1.." + TableDeleter.MAX_BATCH + ": " + itemsPerBatch);
        }
        if (versionsPerBatch < 1 || versionsPerBatch > VersionDeleter.MAX_BATCH) {
            throw new IllegalArgumentException("versionsPerBatch must be 1.." + VersionDeleter.MAX_BATCH + ": "
                    + versionsPerBatch);
        }
        Objects.requireNonNull(tableOptions, "tableOptions");
    }

    /** The service limits: 25 items, 1,000 versions per request; the table reader's defaults. */
    public static PurgeOptions defaults() {
        return new PurgeOptions(TableDeleter.MAX_BATCH, VersionDeleter.MAX_BATCH, TableSource.Options.defaults());
    }

    public PurgeOptions withBatches(int itemsPerBatch, int versionsPerBatch) {
        return new PurgeOptions(itemsPerBatch, versionsPerBatch, tableOptions);
    }

    public PurgeOptions withTableOptions(TableSource.Options tableOptions) {
        return new PurgeOptions(itemsPerBatch, versionsPerBatch, tableOptions);
    }
}
