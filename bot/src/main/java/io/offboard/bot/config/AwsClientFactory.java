package io.offboard.bot.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import io.offboard.exporter.registry.Registry;
import io.offboard.lifecycle.store.BotTables;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** AWS clients and the plain-Java pieces of lifecycle/exporter, wired once for the whole app. */
@Factory
public class AwsClientFactory {

    @Singleton
    DynamoDbClient dynamoDbClient(AwsSettings settings) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(settings.awsRegion()))
                .httpClientBuilder(ApacheHttpClient.builder());
        if (settings.dynamodbEndpoint() != null && !settings.dynamodbEndpoint().isBlank()) {
            builder.endpointOverride(URI.create(settings.dynamodbEndpoint()));
        }
        return builder.build();
    }

    @Singleton
    S3Client s3Client(AwsSettings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.awsRegion()))
                .httpClientBuilder(ApacheHttpClient.builder());
        if (settings.s3Endpoint() != null && !settings.s3Endpoint().isBlank()) {
            // S3-compatible servers answer on one host name: address buckets by path
            builder.endpointOverride(URI.create(settings.s3Endpoint())).forcePathStyle(true);
        }
        return builder.build();
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
