package io.offboard.bot.webhook;

import io.offboard.bot.config.ExportBotSettings;
import io.offboard.lifecycle.store.DeliveryStore;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Keeps delivery bodies too large for a DynamoDB item (even compressed) in the bot's own bucket. */
@Singleton
public class BucketOverflow implements DeliveryStore.Overflow {

    private final S3Client s3;
    private final String bucket;

    public BucketOverflow(S3Client s3, ExportBotSettings settings) {
        this.s3 = s3;
        this.bucket = settings.exportsBucket();
    }

    @Override
    public void put(String key, byte[] body) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
    }

    @Override
    public byte[] get(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }
}
