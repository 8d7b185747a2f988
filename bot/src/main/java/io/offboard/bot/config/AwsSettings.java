package io.offboard.bot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * @param awsRegion        region of the platform's DynamoDB and S3 (OFFBOARD_AWS_REGION)
 * @param dynamodbEndpoint OFFBOARD_DYNAMODB_ENDPOINT; empty means the region's AWS endpoint
 * @param s3Endpoint       OFFBOARD_S3_ENDPOINT; empty means the region's AWS endpoint
 * @param tablePrefix      prefix of the bot's own tables
 * @param createTables     create the bot's tables at start (embedded default and tests; production uses IaC)
 */
// prefix "offboard" so that OFFBOARD_DYNAMODB_ENDPOINT and OFFBOARD_S3_ENDPOINT bind as documented
@ConfigurationProperties("offboard")
public record AwsSettings(
        @Bindable(defaultValue = "us-east-1") String awsRegion,
        @Nullable String dynamodbEndpoint,
        @Nullable String s3Endpoint,
        @Bindable(defaultValue = "offboard_") String tablePrefix,
        @Bindable(defaultValue = "false") boolean createTables) {
}
