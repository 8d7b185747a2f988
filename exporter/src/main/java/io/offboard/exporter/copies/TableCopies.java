package io.offboard.exporter.copies;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BackupStatus;
import software.amazon.awssdk.services.dynamodb.model.BackupSummary;
import software.amazon.awssdk.services.dynamodb.model.BackupTypeFilter;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ListBackupsResponse;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryDescription;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;

/**
 * What DynamoDB keeps of a table besides its items, as read now: point-in-time recovery
 * ({@code DescribeContinuousBackups}) and the table's backups ({@code ListBackups}, every type). Neither can be
 * deleted item by item: a tenant's items deleted from the table stay restorable from them. Each part is either read,
 * or says why it could not be ({@code pitrUnreadable}, {@code backupsUnreadable}); an endpoint that cannot answer
 * (DynamoDB Local answers both calls with {@code UnknownOperationException}) is never taken to mean "none".
 *
 * @param pitr              when read: on or off, and how far back it restores
 * @param pitrUnreadable    why point-in-time recovery could not be read, or {@code null}
 * @param backups           when read: the table's backups still held (not those already deleted)
 * @param backupsUnreadable why the backups could not be read, or {@code null}
 */
public record TableCopies(String table, Pitr pitr, String pitrUnreadable, List<Backup> backups,
                          String backupsUnreadable) {

    /** What point-in-time recovery keeps by default: the last 35 days. */
    public static final Duration DEFAULT_PITR_WINDOW = Duration.ofDays(35);

    public TableCopies {
        Objects.requireNonNull(table, "table");
        backups = backups == null ? List.of() : List.copyOf(backups);
    }

    /**
     * @param window             how far back it restores: {@code RecoveryPeriodInDays}, or 35 days when not given
     * @param earliestRestorable the earliest time it can restore to, when on
     */
    public record Pitr(boolean enabled, Duration window, Instant earliestRestorable) {
        public static final Pitr OFF = new Pitr(false, Duration.ZERO, null);
    }

    /**
     * @param type    {@code USER} (on-demand: kept until someone deletes it), {@code SYSTEM} (made by DynamoDB when a
     *                table is deleted, expires by itself) or {@code AWS_BACKUP} (kept as the AWS Backup plan says)
     * @param expires when DynamoDB will delete it by itself ({@code BackupExpiryDateTime}), {@code null} when it
     *                does not say (on-demand backups never expire by themselves; AWS Backup's lifecycle is not
     *                visible here)
     */
    public record Backup(String name, String arn, String type, Instant created, Instant expires) {
    }

    public boolean pitrReadable() {
        return pitrUnreadable == null;
    }

    public boolean backupsReadable() {
        return backupsUnreadable == null;
    }

    /** Reads both; a call that fails is recorded as unreadable with the reason, never as empty. */
    public static TableCopies read(DynamoDbClient dynamo, String table) {
        Pitr pitr = null;
        String pitrUnreadable = null;
        try {
            PointInTimeRecoveryDescription described = dynamo.describeContinuousBackups(b -> b.tableName(table))
                    .continuousBackupsDescription().pointInTimeRecoveryDescription();
            if (described == null || described.pointInTimeRecoveryStatus() == null) {
                pitrUnreadable = "DescribeContinuousBackups gave no point-in-time recovery status";
            } else if (described.pointInTimeRecoveryStatus() == PointInTimeRecoveryStatus.ENABLED) {
                Duration window = described.recoveryPeriodInDays() == null ? DEFAULT_PITR_WINDOW
                        : Duration.ofDays(described.recoveryPeriodInDays());
                pitr = new Pitr(true, window, described.earliestRestorableDateTime());
            } else if (described.pointInTimeRecoveryStatus() == PointInTimeRecoveryStatus.DISABLED) {
                pitr = Pitr.OFF;
            } else {
                pitrUnreadable = "unknown point-in-time recovery status " + described.pointInTimeRecoveryStatusAsString();
            }
        } catch (SdkException e) {
            pitrUnreadable = why(e, "DescribeContinuousBackups");
        }
        List<Backup> backups = new ArrayList<>();
        String backupsUnreadable = null;
        try {
            // ListBackups has no SDK paginator: it pages by LastEvaluatedBackupArn; every type, not only USER
            String start = null;
            do {
                String from = start;
                ListBackupsResponse page = dynamo.listBackups(b -> b.tableName(table).backupType(BackupTypeFilter.ALL)
                        .exclusiveStartBackupArn(from));
                for (BackupSummary s : page.backupSummaries()) {
                    if (s.backupStatus() != BackupStatus.DELETED) {
                        backups.add(new Backup(s.backupName(), s.backupArn(), s.backupTypeAsString(),
                                s.backupCreationDateTime(), s.backupExpiryDateTime()));
                    }
                }
                start = page.lastEvaluatedBackupArn();
            } while (start != null);
        } catch (SdkException e) {
            backups = List.of();
            backupsUnreadable = why(e, "ListBackups");
        }
        return new TableCopies(table, pitr, pitrUnreadable, backups, backupsUnreadable);
    }

    /** Why a call failed, for a report: an endpoint without the operation is named as such. */
    static String why(SdkException e, String operation) {
        if (e instanceof DynamoDbException dynamo && dynamo.awsErrorDetails() != null) {
            String code = dynamo.awsErrorDetails().errorCode();
            if ("UnknownOperationException".equals(code)) {
                return "the endpoint does not implement " + operation + " (UnknownOperationException)";
            }
            return operation + " answered " + code + ": " + dynamo.awsErrorDetails().errorMessage();
        }
        return operation + " failed: " + e.getMessage();
    }
}
