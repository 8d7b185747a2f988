package io.offboard.bot.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import io.offboard.exporter.aws.AwsClients;
import io.offboard.exporter.registry.Registry;
import io.offboard.lifecycle.store.BotTables;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** AWS clients and the plain-Java pieces of lifecycle/exporter, wired once for the whole app. */
@Factory
public class AwsClientFactory {

    @Singleton
    DynamoDbClient dynamoDbClient(AwsSettings settings) {
        return AwsClients.dynamo(settings.awsRegion(), settings.dynamodbEndpoint());
    }

    @Singleton
    S3Client s3Client(AwsSettings settings) {
        return AwsClients.s3(settings.awsRegion(), settings.s3Endpoint());
    }

    @Singleton
    BotTables botTables(AwsSettings settings, DynamoDbClient dynamo) {
        BotTables tables = new BotTables(settings.tablePrefix());
        if (settings.createTables()) {
            tables.createMissing(dynamo);
        }
        return tables;
    }

    @Singleton
    Registry registry() {
        return Registry.bundled();
    }

    /** Wall-clock UTC; the demo and tests register a simulated clock that takes precedence. */
    @Singleton
    @Secondary
    Clock clock() {
        return Clock.systemUTC();
    }
}
