package io.offboard.local.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.offboard.exporter.copies.HeldCopy;
import io.offboard.exporter.copies.TableCopies;
import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.registry.RegistryCheck;
import io.offboard.local.demo.LocalBot;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import io.offboard.local.support.BackupsStandIn;
import io.offboard.local.support.CliRun;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryCheckTest {

    private static final Registry REGISTRY = Registry.bundled();
    private static final List<String> TABLES = REGISTRY.tables().stream().map(Registry.Table::name).toList();
    private static final String TABLE_LIST = String.join(", ", TABLES);

    private EmbeddedStack stack;

    @BeforeAll
    void start() {
        stack = EmbeddedStack.start(StackOptions.inMemory());
        DemoPlatform.seed(stack.dynamo(), stack.s3());
        LocalBot.useStackCredentials(stack);
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void theRegistryCoversTheDemoPlatformButItsCopiesCannotBeReadThereThenATableAddedWithoutItFails() {
        RegistryCheck.Report before = RegistryCheck.run(REGISTRY, stack.dynamo(), stack.s3(),
                name -> name.startsWith("offboard_"));
        assertThat(before.findings()).isEmpty();
        // DynamoDB Local answers DescribeContinuousBackups and ListBackups with UnknownOperationException, s3proxy
        // answers GetBucketReplication with 501: nothing is known of those tiers, which is not "none"
        CliRun covered = cli(stack.dynamoEndpoint());
        assertThat(covered.exit()).as(covered.out()).isEqualTo(3);
        assertThat(covered.out())
                .contains("unread:     point-in-time recovery of tables " + TABLE_LIST + ": the endpoint does not "
                        + "implement DescribeContinuousBackups (UnknownOperationException)")
                .contains("unread:     backups of tables " + TABLE_LIST + ": the endpoint does not implement "
                        + "ListBackups (UnknownOperationException)")
                .contains("unread:     replication of buckets g3n-ord-attachments, g3n-evt-usage, g3n-backup: the "
                        + "endpoint does not implement GetBucketReplication (NotImplemented)")
                .contains("0 uncovered").contains("NOT READ: point-in-time recovery of 4 of 4 tables, backups of 4 "
                        + "of 4 tables, replication of 3 of 3 buckets")
                .doesNotContain("outlives:").doesNotContain("everything could be read");

        stack.dynamo().createTable(b -> b.tableName("loyalty_points")
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("orgcode")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("orgcode").keyType(KeyType.HASH).build()));
        stack.s3().createBucket(b -> b.bucket("g3n-loyalty-exports"));
        try {
            RegistryCheck.Report after = RegistryCheck.run(REGISTRY, stack.dynamo(), stack.s3(),
                    name -> name.startsWith("offboard_"));
            assertThat(after.uncovered()).extracting(RegistryCheck.Finding::name)
                    .containsExactly("loyalty_points", "g3n-loyalty-exports");
            CliRun run = cli(stack.dynamoEndpoint());
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.out()).contains("uncovered:  table loyalty_points is not in registry.yml")
                    .contains("uncovered:  bucket g3n-loyalty-exports is not in registry.yml")
                    .contains("2 uncovered");
        } finally {
            stack.dynamo().deleteTable(b -> b.tableName("loyalty_points"));
            stack.s3().deleteBucket(b -> b.bucket("g3n-loyalty-exports"));
        }
    }

    @Test
    void onDynamoDbLocalTheCopiesOfEveryTableAreUnreadNeverNone() {
        RegistryCheck.CopiesReport copies = RegistryCheck.copies(REGISTRY, stack.dynamo(), Instant.now());
        assertThat(copies.tables()).extracting(TableCopies::table).containsExactlyElementsOf(TABLES);
        assertThat(copies.pitrUnread()).hasSize(TABLES.size());
        assertThat(copies.backupsUnread()).hasSize(TABLES.size());
        assertThat(copies.tables()).allSatisfy(t -> {
            assertThat(t.pitr()).isNull();
            assertThat(t.pitrUnreadable()).contains("UnknownOperationException");
        });
        assertThat(copies.held()).isEmpty();
    }

    @Test
    void copiesThatOutliveADeletionBeyondTheAllowanceFailTheCheckOneLineEach() {
        Instant now = Instant.now();
        Instant created = now.minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant systemExpiry = now.plus(Duration.ofDays(20)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try (BackupsStandIn dynamo = BackupsStandIn.start(stack.dynamoEndpoint())) {
            dynamo.none(TABLES)
                    .pitr("ord_orders", true, 35, now.minus(Duration.ofDays(35)))
                    .backups("ord_orders", List.of(
                            new TableCopies.Backup("nightly", arn("ord_orders", "nightly"), "USER", created, null),
                            new TableCopies.Backup("before-migration", arn("ord_orders", "before-migration"), "SYSTEM",
                                    created, systemExpiry)))
                    .pitr("uas_users", true, 7, now.minus(Duration.ofDays(7)))
                    .refuse("ListBackups", "evt_changelog", "AccessDeniedException",
                            "User: offboard is not authorized to perform: dynamodb:ListBackups");
            RegistryCheck.CopiesReport copies;
            try (DynamoDbClient client = dynamo.client()) {
                copies = RegistryCheck.copies(REGISTRY, client, now);
            }
            assertThat(copies.held()).extracting(HeldCopy::table, HeldCopy::name, HeldCopy::expires)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("uas_users", "point-in-time recovery",
                                    now.plus(Duration.ofDays(7))),
                            org.assertj.core.groups.Tuple.tuple("ord_orders", "point-in-time recovery",
                                    now.plus(Duration.ofDays(35))),
                            org.assertj.core.groups.Tuple.tuple("ord_orders", "nightly", null),
                            org.assertj.core.groups.Tuple.tuple("ord_orders", "before-migration", systemExpiry));
            assertThat(copies.beyondAllowance()).hasSize(4);
            assertThat(copies.backupsUnread()).singleElement().satisfies(t -> assertThat(t.backupsUnreadable())
                    .isEqualTo("ListBackups answered AccessDeniedException: User: offboard is not authorized to "
                            + "perform: dynamodb:ListBackups"));
            // the backups were read page by page: two backups, three ListBackups pages, for ord_orders
            assertThat(dynamo.calls("ListBackups")).isEqualTo(TABLES.size() + 2);

            // the CLI: every other call goes to DynamoDB Local through the stand-in
            CliRun run = cli(dynamo.endpoint());
            assertThat(run.exit()).as(run.out()).isEqualTo(1);
            List<String> outlives = run.out().lines().filter(l -> l.startsWith("outlives:")).toList();
            assertThat(outlives).hasSize(4);
            assertThat(outlives.get(1)).startsWith("outlives:   point-in-time recovery (35-day window) of table "
                    + "ord_orders can restore the deleted items until ").endsWith("beyond the registry's allowance of 0 days");
            assertThat(outlives.get(2)).isEqualTo("outlives:   on-demand backup nightly of table ord_orders (taken "
                    + created + ") has no expiry: delete it by hand, beyond the registry's allowance of 0 days");
            assertThat(outlives.get(3)).contains("system backup before-migration").contains("expires " + systemExpiry);
            assertThat(run.out()).contains("unread:     backups of table evt_changelog: ListBackups answered "
                    + "AccessDeniedException").contains("4 copies of its tables outlive a deletion beyond the allowance");

            // a 35-day allowance on the registry tolerates the windows, never a backup without expiry
            Registry lenient = new Registry(REGISTRY.version(), REGISTRY.tenantDirectory(), REGISTRY.accessTable(),
                    REGISTRY.services(), REGISTRY.backups(), REGISTRY.exclusions(), REGISTRY.protectedResources(),
                    Duration.ofDays(35));
            try (DynamoDbClient client = dynamo.client()) {
                assertThat(RegistryCheck.copies(lenient, client, now).beyondAllowance()).extracting(HeldCopy::name)
                        .containsExactly("nightly");
            }
        }
    }

    @Test
    void aRegisteredBucketReplicatedToABucketTheRegistryDoesNotPurgeFailsTheCheck() {
        WireMockServer s3 = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .notifier(new ConsoleNotifier(false)).jettyStopTimeout(0L));
        s3.start();
        try (S3Client client = s3Client(URI.create("http://127.0.0.1:" + s3.port()))) {
            s3.stubFor(get(urlEqualTo("/g3n-ord-attachments?replication")).willReturn(xml(200,
                    replication("arn:aws:s3:::g3n-ord-attachments-dr"))));
            s3.stubFor(get(urlEqualTo("/g3n-evt-usage?replication")).willReturn(xml(200,
                    replication("arn:aws:s3:::g3n-backup"))));
            s3.stubFor(get(urlEqualTo("/g3n-backup?replication")).willReturn(xml(404, "<Error>"
                    + "<Code>ReplicationConfigurationNotFoundError</Code><Message>The replication configuration was "
                    + "not found</Message><BucketName>g3n-backup</BucketName></Error>")));

            RegistryCheck.ReplicationReport report = RegistryCheck.replication(REGISTRY, client);
            assertThat(report.unread()).isEmpty();
            assertThat(report.findings()).extracting(RegistryCheck.ReplicaFinding::describe).containsExactly(
                    "bucket g3n-ord-attachments replicates to g3n-ord-attachments-dr, which registry.yml does not "
                            + "list: add it to backups with prefix \"{orgcode}/\" so the purge deletes the replicas",
                    "bucket g3n-evt-usage replicates to g3n-backup, which registry.yml lists with prefix "
                            + "\"{orgcode}/\", but the replicas keep their keys (prefix \"orgcode={orgcode}/\")");

            // registered as a backup with the source's prefix, the replica is purged like the rest: no finding
            List<Registry.Bucket> backups = new ArrayList<>(REGISTRY.backups());
            backups.add(new Registry.Bucket("g3n-ord-attachments-dr", "{orgcode}/"));
            Registry withReplica = new Registry(REGISTRY.version(), REGISTRY.tenantDirectory(), REGISTRY.accessTable(),
                    REGISTRY.services(), backups, REGISTRY.exclusions(), REGISTRY.protectedResources());
            s3.stubFor(get(urlEqualTo("/g3n-ord-attachments-dr?replication")).willReturn(xml(403,
                    "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>")));
            RegistryCheck.ReplicationReport registered = RegistryCheck.replication(withReplica, client);
            assertThat(registered.findings()).extracting(RegistryCheck.ReplicaFinding::bucket)
                    .containsExactly("g3n-evt-usage");
            assertThat(registered.unread()).containsOnlyKeys("g3n-ord-attachments-dr");
            assertThat(registered.unread().get("g3n-ord-attachments-dr")).startsWith("GetBucketReplication answered "
                    + "AccessDenied");
        } finally {
            s3.stop();
        }
    }

    private static String replication(String destinationArn) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Role>arn:aws:iam::123456789012:role/replication</Role>"
                + "<Rule><ID>dr</ID><Priority>1</Priority><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>"
                + "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>"
                + "<Destination><Bucket>" + destinationArn + "</Bucket></Destination></Rule>"
                + "<Rule><ID>off</ID><Priority>2</Priority><Filter><Prefix>tmp/</Prefix></Filter><Status>Disabled</Status>"
                + "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>"
                + "<Destination><Bucket>arn:aws:s3:::somewhere-else</Bucket></Destination></Rule>"
                + "</ReplicationConfiguration>";
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/xml").withBody(body);
    }

    private static S3Client s3Client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true)
                .region(Region.of(EmbeddedStack.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY, EmbeddedStack.SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    private static String arn(String table, String backup) {
        return "arn:aws:dynamodb:us-east-1:123456789012:table/" + table + "/backup/01700000000000-" + backup;
    }

    private CliRun cli(URI dynamoEndpoint) {
        return CliRun.of("registry", "check",
                "--dynamodb-endpoint", dynamoEndpoint.toString(),
                "--s3-endpoint", stack.s3Endpoint().toString());
    }
}
