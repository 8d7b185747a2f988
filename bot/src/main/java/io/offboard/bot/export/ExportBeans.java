package io.offboard.bot.export;

import io.micronaut.context.annotation.Factory;
import io.offboard.bot.config.AwsSettings;
import io.offboard.bot.config.ExportBotSettings;
import io.offboard.exporter.aws.AwsClients;
import io.offboard.exporter.export.ExportEngine;
import io.offboard.exporter.export.ExportEstimator;
import io.offboard.exporter.export.ExportSettings;
import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.storage.ArchiveStorage;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.lifecycle.store.ExportStore;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The export engine and its storage as beans. */
@Factory
public class ExportBeans {

    @Singleton
    ExportStore exportStore(DynamoDbClient dynamo, BotTables tables) {
        return new ExportStore(dynamo, tables);
    }

    @Singleton
    ExportEngine exportEngine(Registry registry, DynamoDbClient dynamo, S3Client s3) {
        return new ExportEngine(registry, dynamo, s3, ExportSettings.defaults());
    }

    @Singleton
    ExportEstimator exportEstimator(Registry registry, DynamoDbClient dynamo, S3Client s3) {
        return new ExportEstimator(registry, dynamo, s3);
    }

    @Singleton
    ArchiveStorage archiveStorage(S3Client s3, AwsSettings aws, ExportBotSettings settings) {
        ArchiveStorage storage = new ArchiveStorage(s3, AwsClients.presigner(aws.awsRegion(), aws.s3Endpoint()),
                settings.exportsBucket());
        if (aws.createTables()) {
            storage.createIfMissing();
        }
        return storage;
    }
}
