package io.offboard.exporter.aws;

import java.net.URI;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The AWS clients offboard uses, built one way for the app and the CLI: credentials from the SDK's default
 * chain, an optional endpoint override (path-style for S3-compatible servers), and the Apache HTTP client
 * (UrlConnection sometimes sent a PutObject body twice to the S3-compatible server).
 */
public final class AwsClients {

    /**
     * Tries of one AWS call: throttling, server errors and timeouts are retried with the SDK's standard backoff
     * (exponential, jittered) before an export or a purge counts a source as failed on the platform's side.
     */
    public static final int ATTEMPTS = 6;

    private AwsClients() {
    }

    /** The retry behaviour of every client offboard builds (the SDK's standard strategy, {@link #ATTEMPTS} tries). */
    public static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(ATTEMPTS).build())
                .build();
    }

    public static DynamoDbClient dynamo(String region, String endpoint) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(region))
                .overrideConfiguration(overrides())
                .httpClientBuilder(ApacheHttpClient.builder());
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    public static S3Client s3(String region, String endpoint) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region))
                .overrideConfiguration(overrides())
                .httpClientBuilder(ApacheHttpClient.builder());
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return builder.build();
    }

    public static S3Presigner presigner(String region, String endpoint) {
        S3Presigner.Builder builder = S3Presigner.builder().region(Region.of(region));
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint))
                    .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                            .pathStyleAccessEnabled(true).build());
        }
        return builder.build();
    }
}
