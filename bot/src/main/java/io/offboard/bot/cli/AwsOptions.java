package io.offboard.bot.cli;

import io.offboard.exporter.aws.AwsClients;
import io.offboard.lifecycle.store.BotTables;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Where the platform's stores are, for CLI commands that work without the app; defaults from OFFBOARD_*. */
public class AwsOptions {

    @CommandLine.Option(names = "--dynamodb-endpoint", defaultValue = "${env:OFFBOARD_DYNAMODB_ENDPOINT}",
            description = "DynamoDB endpoint (default: OFFBOARD_DYNAMODB_ENDPOINT, else AWS)")
    String dynamodbEndpoint;

    @CommandLine.Option(names = "--s3-endpoint", defaultValue = "${env:OFFBOARD_S3_ENDPOINT}",
            description = "S3 endpoint (default: OFFBOARD_S3_ENDPOINT, else AWS)")
    String s3Endpoint;

    @CommandLine.Option(names = "--region", defaultValue = "${env:OFFBOARD_AWS_REGION:-us-east-1}",
            description = "AWS region (default: OFFBOARD_AWS_REGION, else ${DEFAULT-VALUE})")
    String region;

    @CommandLine.Option(names = "--table-prefix", defaultValue = "${env:OFFBOARD_TABLE_PREFIX:-offboard_}",
            description = "prefix of offboard's own tables (default: ${DEFAULT-VALUE})")
    String tablePrefix;

    @CommandLine.Option(names = "--exports-bucket", defaultValue = "${env:OFFBOARD_EXPORTS_BUCKET:-offboard-exports}",
            description = "offboard's own bucket for export archives (default: ${DEFAULT-VALUE})")
    String exportsBucket;

    public DynamoDbClient dynamo() {
        return AwsClients.dynamo(region, dynamodbEndpoint);
    }

    public S3Client s3() {
        return AwsClients.s3(region, s3Endpoint);
    }

    public BotTables botTables() {
        return new BotTables(tablePrefix);
    }

    /** The same settings as application properties, for commands that start the app's context. */
    public java.util.Map<String, Object> properties() {
        java.util.Map<String, Object> properties = new java.util.HashMap<>();
        if (dynamodbEndpoint != null && !dynamodbEndpoint.isBlank()) {
            properties.put("offboard.dynamodb-endpoint", dynamodbEndpoint);
        }
        if (s3Endpoint != null && !s3Endpoint.isBlank()) {
            properties.put("offboard.s3-endpoint", s3Endpoint);
        }
        properties.put("offboard.aws-region", region);
        properties.put("offboard.table-prefix", tablePrefix);
        properties.put("offboard.exports-bucket", exportsBucket);
        return properties;
    }
}
