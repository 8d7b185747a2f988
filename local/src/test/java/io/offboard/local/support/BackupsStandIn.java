package io.offboard.local.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.offboard.exporter.copies.TableCopies;
import io.offboard.local.stack.EmbeddedStack;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB endpoint that answers {@code DescribeContinuousBackups} and {@code ListBackups} as DynamoDB does (its JSON
 * protocol: {@code X-Amz-Target: DynamoDB_20120810.<operation>}, {@code application/x-amz-json-1.0}, times as epoch
 * seconds), which DynamoDB Local cannot, and passes every other call on to the embedded DynamoDB Local: the real SDK
 * client of a whole purge, bot or CLI run talks to it as to one DynamoDB. A table not described here is answered as
 * DynamoDB Local answers it (an unknown operation).
 */
public final class BackupsStandIn implements AutoCloseable {

    private static final String TARGET = "X-Amz-Target";
    private static final String PREFIX = "DynamoDB_20120810.";
    private static final String JSON = "application/x-amz-json-1.0";

    private final WireMockServer server;

    private BackupsStandIn(URI dynamoLocal) {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .notifier(new ConsoleNotifier(false)).stubRequestLoggingDisabled(true).jettyStopTimeout(0L));
        server.start();
        // everything else is DynamoDB Local's to answer
        server.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().proxiedFrom(dynamoLocal.toString())));
    }

    public static BackupsStandIn start(URI dynamoLocal) {
        return new BackupsStandIn(dynamoLocal);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** A client of the real SDK on this endpoint, with the embedded stack's credentials; the caller closes it. */
    public DynamoDbClient client() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(EmbeddedStack.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY, EmbeddedStack.SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    /** Point-in-time recovery of {@code table}: off, or on with a window of {@code days} (null: DynamoDB's default). */
    public BackupsStandIn pitr(String table, boolean enabled, Integer days, Instant earliest) {
        ObjectNode pitr = JsonNodeFactory.instance.objectNode();
        pitr.put("PointInTimeRecoveryStatus", enabled ? "ENABLED" : "DISABLED");
        if (enabled) {
            if (days != null) {
                pitr.put("RecoveryPeriodInDays", days);
            }
            pitr.put("EarliestRestorableDateTime", earliest.getEpochSecond());
            pitr.put("LatestRestorableDateTime", earliest.getEpochSecond() + 86_400);
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("ContinuousBackupsDescription").put("ContinuousBackupsStatus", "ENABLED")
                .set("PointInTimeRecoveryDescription", pitr);
        server.stubFor(call("DescribeContinuousBackups", table).willReturn(ok(body)));
        return this;
    }

    /** The backups of {@code table}, one per page, so reading them all takes following LastEvaluatedBackupArn. */
    public BackupsStandIn backups(String table, List<TableCopies.Backup> backups) {
        for (int i = 0; i <= backups.size(); i++) {
            MappingBuilder request = call("ListBackups", table).withRequestBody(matchingJsonPath("$.BackupType",
                    equalTo("ALL")));
            request = i == 0 ? request.withRequestBody(notContaining("ExclusiveStartBackupArn"))
                    : request.withRequestBody(matchingJsonPath("$.ExclusiveStartBackupArn",
                    equalTo(backups.get(i - 1).arn())));
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ArrayNode summaries = body.putArray("BackupSummaries");
            if (i < backups.size()) {
                TableCopies.Backup b = backups.get(i);
                ObjectNode s = summaries.addObject();
                s.put("TableName", table);
                s.put("BackupName", b.name());
                s.put("BackupArn", b.arn());
                s.put("BackupCreationDateTime", b.created().getEpochSecond());
                if (b.expires() != null) {
                    s.put("BackupExpiryDateTime", b.expires().getEpochSecond());
                }
                s.put("BackupStatus", "AVAILABLE");
                s.put("BackupType", b.type());
                s.put("BackupSizeBytes", 2048);
                body.put("LastEvaluatedBackupArn", b.arn());
            }
            server.stubFor(request.willReturn(ok(body)));
        }
        return this;
    }

    /** Point-in-time recovery off and no backups, for each of {@code tables}. */
    public BackupsStandIn none(List<String> tables) {
        tables.forEach(t -> pitr(t, false, null, null).backups(t, List.of()));
        return this;
    }

    /** {@code operation} on {@code table} answers DynamoDB's error {@code code} (HTTP 400). */
    public BackupsStandIn refuse(String operation, String table, String code, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("__type", "com.amazonaws.dynamodb.v20120810#" + code);
        body.put("message", message);
        server.stubFor(call(operation, table).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", JSON).withBody(body.toString())));
        return this;
    }

    /** How many {@code operation} calls reached this endpoint. */
    public int calls(String operation) {
        return server.findAll(postRequestedFor(urlEqualTo("/")).withHeader(TARGET, equalTo(PREFIX + operation))).size();
    }

    private static MappingBuilder call(String operation, String table) {
        return post(urlEqualTo("/")).atPriority(1)
                .withHeader(TARGET, equalTo(PREFIX + operation))
                .withRequestBody(matchingJsonPath("$.TableName", equalTo(table)));
    }

    private static ResponseDefinitionBuilder ok(ObjectNode body) {
        return aResponse().withStatus(200).withHeader("Content-Type", JSON).withBody(body.toString());
    }

    @Override
    public void close() {
        server.stop();
    }
}
