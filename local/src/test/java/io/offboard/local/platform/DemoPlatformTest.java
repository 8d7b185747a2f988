package io.offboard.local.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.offboard.exporter.platform.TenantDirectory;
import io.offboard.exporter.registry.Registry;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

class DemoPlatformTest {

    private static EmbeddedStack stack;
    private static SeedSummary summary;
    private static final Registry REGISTRY = Registry.bundled();

    @BeforeAll
    static void seed() {
        stack = EmbeddedStack.start(StackOptions.inMemory());
        assertThat(DemoPlatform.isSeeded(stack.dynamo())).isFalse();
        summary = DemoPlatform.seed(stack.dynamo(), stack.s3());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void summaryHasTheAgreedCounts() {
        assertThat(summary.tenants()).containsExactly("acme", "globex");
        assertThat(summary).isEqualTo(DemoPlatform.expected());
        assertThat(summary.items()).isEqualTo(Map.of(
                "acme", Map.of("uas_orgs", 1L, "uas_users", 4L, "ord_orders", 25L, "evt_changelog", 40L,
                        "usm_sessions", 3L, "platform_access", 1L),
                "globex", Map.of("uas_orgs", 1L, "uas_users", 3L, "ord_orders", 15L, "evt_changelog", 30L,
                        "usm_sessions", 2L, "platform_access", 1L)));
        assertThat(summary.objects()).isEqualTo(Map.of(
                "acme", Map.of("g3n-ord-attachments", 5L, "g3n-evt-usage", 4L, "g3n-backup", 4L),
                "globex", Map.of("g3n-ord-attachments", 3L, "g3n-evt-usage", 2L, "g3n-backup", 2L)));
        assertThat(summary.versions()).isEqualTo(Map.of(
                "acme", Map.of("g3n-ord-attachments", 13L, "g3n-evt-usage", 4L, "g3n-backup", 5L),
                "globex", Map.of("g3n-ord-attachments", 8L, "g3n-evt-usage", 2L, "g3n-backup", 2L)));
        assertThat(summary.platformItems()).containsEntry("evt_changelog", 5L).containsEntry("uas_users", 1L)
                .containsEntry("ops_main", 2L).containsEntry("g3nmhsadmin_config", 2L);
        assertThat(summary.platformObjectVersions()).containsEntry("g3n-ord-attachments", 1L)
                .containsEntry("g3n-evt-usage", 1L).containsEntry("g3n-backup", 1L)
                .containsEntry("doc.g3nretailstack.com", 2L).containsEntry("mcp.g3nretailstack.com", 2L);
    }

    @Test
    void everyResourceTheRegistryNamesExists() {
        Set<String> tables = new HashSet<>(listTables(stack.dynamo()));
        Set<String> buckets = new HashSet<>(stack.s3().listBuckets().buckets().stream().map(b -> b.name()).toList());

        List<String> expectedTables = new ArrayList<>();
        expectedTables.add(REGISTRY.tenantDirectory().table());
        expectedTables.add(REGISTRY.accessTable().table());
        REGISTRY.services().forEach(s -> s.tables().forEach(t -> expectedTables.add(t.name())));
        REGISTRY.exclusions().stream().filter(e -> e.table() != null).forEach(e -> expectedTables.add(e.table()));
        expectedTables.addAll(REGISTRY.protectedResources().tables());
        assertThat(tables).containsAll(expectedTables);
        assertThat(tables).anyMatch(t -> REGISTRY.protectedResources().namePrefixes().stream().anyMatch(t::startsWith));

        List<String> expectedBuckets = new ArrayList<>();
        REGISTRY.services().forEach(s -> s.buckets().forEach(b -> expectedBuckets.add(b.name())));
        REGISTRY.backups().forEach(b -> expectedBuckets.add(b.name()));
        expectedBuckets.addAll(REGISTRY.protectedResources().buckets());
        assertThat(buckets).containsAll(expectedBuckets);

        // and nothing the registry does not know about (registry check would flag it)
        assertThat(tables).allMatch(t -> expectedTables.contains(t) || REGISTRY.protectedResources().covers(t));
        assertThat(buckets).allMatch(expectedBuckets::contains);
    }

    @Test
    void tableShapesMatchTheRegistry() {
        DynamoDbClient dynamo = stack.dynamo();
        for (Registry.Service service : REGISTRY.services()) {
            for (Registry.Table table : service.tables()) {
                TableDescription d = dynamo.describeTable(b -> b.tableName(table.name())).table();
                switch (table.findBy()) {
                    case PARTITION_KEY -> assertThat(hashKey(d)).as(table.name()).isEqualTo(table.key());
                    case GSI -> {
                        GlobalSecondaryIndexDescription gsi = d.globalSecondaryIndexes().stream()
                                .filter(g -> g.indexName().equals(table.index())).findFirst().orElseThrow();
                        assertThat(gsi.keySchema()).singleElement()
                                .satisfies(k -> assertThat(k.attributeName()).isEqualTo(table.key()));
                        assertThat(gsi.projection().projectionType()).isEqualTo(ProjectionType.ALL);
                    }
                    case SCAN -> {
                        assertThat(d.keySchema()).noneMatch(k -> k.attributeName().equals(table.attribute()));
                        assertThat(d.globalSecondaryIndexes()).isEmpty();
                    }
                }
            }
        }
        assertThat(hashKey(dynamo.describeTable(b -> b.tableName("uas_orgs")).table())).isEqualTo("orgcode");
        assertThat(dynamo.describeTable(b -> b.tableName("uas_orgs")).table().keySchema()).hasSize(1);
    }

    @Test
    void countsFoundIndependentlyMatchTheSummaryForEveryTenant() {
        DynamoDbClient dynamo = stack.dynamo();
        for (String tenant : summary.tenants()) {
            for (Registry.Service service : REGISTRY.services()) {
                for (Registry.Table table : service.tables()) {
                    long found = switch (table.findBy()) {
                        case PARTITION_KEY -> query(dynamo, table.name(), null, table.key(), tenant);
                        case GSI -> query(dynamo, table.name(), table.index(), table.key(), tenant);
                        case SCAN -> scan(dynamo, table.name(), table.attribute(), tenant);
                    };
                    assertThat(found).as(tenant + " " + table.name()).isEqualTo(summary.items(tenant, table.name()))
                            .isPositive();
                }
            }
            // excluded tables hold tenant data too (not exported, still counted)
            assertThat(scan(dynamo, "usm_sessions", "orgcode", tenant)).isEqualTo(summary.items(tenant, "usm_sessions"));
            assertThat(query(dynamo, "platform_access", null, "orgcode", tenant))
                    .isEqualTo(summary.items(tenant, "platform_access"));

            List<Registry.Bucket> buckets = new ArrayList<>();
            REGISTRY.services().forEach(s -> buckets.addAll(s.buckets()));
            buckets.addAll(REGISTRY.backups());
            for (Registry.Bucket bucket : buckets) {
                Versions v = versions(stack.s3(), bucket.name(), bucket.prefixFor(tenant));
                assertThat(v.versions().size() + v.deleteMarkers().size()).as(tenant + " " + bucket.name() + " versions")
                        .isEqualTo((int) summary.versions(tenant, bucket.name()));
                long live = v.versions().stream().filter(ObjectVersion::isLatest).count();
                assertThat(live).as(tenant + " " + bucket.name() + " live").isEqualTo(summary.objects(tenant, bucket.name()));
                long plainListing = stack.s3().listObjectsV2Paginator(b -> b.bucket(bucket.name())
                        .prefix(bucket.prefixFor(tenant))).contents().stream().count();
                assertThat(plainListing).isEqualTo(summary.objects(tenant, bucket.name()));
                long liveBytes = v.versions().stream().filter(ObjectVersion::isLatest).mapToLong(ObjectVersion::size).sum();
                assertThat(liveBytes).isEqualTo(summary.objectBytes(tenant, bucket.name()));
                long allBytes = v.versions().stream().mapToLong(ObjectVersion::size).sum();
                assertThat(allBytes).isEqualTo(summary.versionBytes(tenant, bucket.name()));
            }
        }
    }

    @Test
    void versionedBucketsHoldHistoryAndDeleteMarkers() {
        S3Client s3 = stack.s3();
        assertThat(s3.getBucketVersioning(b -> b.bucket("g3n-ord-attachments")).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        assertThat(s3.getBucketVersioning(b -> b.bucket("g3n-backup")).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        assertThat(s3.getBucketVersioning(b -> b.bucket("g3n-evt-usage")).status()).isNotEqualTo(BucketVersioningStatus.ENABLED);

        Versions acme = versions(s3, "g3n-ord-attachments", "acme/");
        assertThat(acme.deleteMarkers()).extracting(DeleteMarkerEntry::key)
                .containsExactlyInAnyOrder("acme/orders/ORD-00005/invoice.pdf", "acme/orders/ORD-00006/notes.txt");
        assertThat(acme.deleteMarkers()).allMatch(DeleteMarkerEntry::isLatest);
        assertThat(acme.versions().stream().filter(v -> v.key().equals("acme/orders/ORD-00003/packing-slip.txt"))).hasSize(3);
        Versions globex = versions(s3, "g3n-ord-attachments", "globex/");
        assertThat(globex.deleteMarkers()).extracting(DeleteMarkerEntry::key)
                .containsExactly("globex/orders/ORD-00004/invoice.pdf");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("g3n-evt-usage").key("orgcode=acme/2026/11/usage-001.json"))
                .asUtf8String()).startsWith("{\"orgcode\":\"acme\"");
        assertThat(versions(s3, "g3n-backup", "acme/dynamodb/ord_orders/").versions()).hasSize(3);
    }

    @Test
    void platformLevelDataBelongsToNoTenant() {
        DynamoDbClient dynamo = stack.dynamo();
        long untagged = dynamo.scanPaginator(ScanRequest.builder().tableName("evt_changelog")
                .filterExpression("attribute_not_exists(tenant_ref)").build()).items().stream().count();
        assertThat(untagged).isEqualTo(summary.platformItems().get("evt_changelog"));
        long total = dynamo.scanPaginator(ScanRequest.builder().tableName("evt_changelog").build()).items().stream().count();
        assertThat(total).isEqualTo(summary.items("acme", "evt_changelog") + summary.items("globex", "evt_changelog") + untagged);
        assertThat(stack.s3().listObjectsV2(b -> b.bucket("g3n-ord-attachments").prefix("_platform/")).contents()).hasSize(1);
    }

    @Test
    void tenantsAreLiveAndKnownToTheDirectory() {
        DynamoDbClient dynamo = stack.dynamo();
        TenantDirectory directory = new TenantDirectory(dynamo, REGISTRY);
        for (String tenant : summary.tenants()) {
            assertThat(directory.exists(tenant)).isTrue();
            Map<String, AttributeValue> org = dynamo.getItem(b -> b.tableName("uas_orgs")
                    .key(Map.of("orgcode", AttributeValue.fromS(tenant)))).item();
            assertThat(org.get("caption").s()).isNotBlank();
            assertThat(org.get("legal_name").s()).isNotBlank();
            Map<String, AttributeValue> access = dynamo.getItem(b -> b.tableName(REGISTRY.accessTable().table())
                    .key(Map.of(REGISTRY.accessTable().key(), AttributeValue.fromS(tenant)))).item();
            assertThat(access.get("mode").s()).isEqualTo("live");
        }
        assertThat(directory.exists("initech")).isFalse();
    }

    @Test
    void ordersAreTyped() {
        Map<String, AttributeValue> order = stack.dynamo().getItem(b -> b.tableName("ord_orders").key(Map.of(
                "orgcode", AttributeValue.fromS("acme"), "order_id", AttributeValue.fromS("ORD-00006")))).item();
        assertThat(new java.math.BigDecimal(order.get("amount").n())).isPositive();
        assertThat(order.get("revision").n()).isNotBlank();
        assertThat(order.get("currency").s()).isEqualTo("USD");
        assertThat(order.get("created_at").s()).startsWith("2026-11-");
        assertThat(order.get("lines").l()).isNotEmpty().allMatch(l -> l.m().containsKey("sku") && l.m().get("qty").n() != null);
        assertThat(order.get("receipt_digest").b().asByteArray()).hasSize(32);
        assertThat(order.get("paid").bool()).isNotNull();
    }

    @Test
    void protectedResourcesExist() {
        DynamoDbClient dynamo = stack.dynamo();
        Map<String, AttributeValue> maintenance = dynamo.getItem(b -> b.tableName("ops_main").key(Map.of(
                DemoPlatform.OPS_MAIN_PK, AttributeValue.fromS("ACTIVE_MAINTENANCE"),
                DemoPlatform.OPS_MAIN_SK, AttributeValue.fromS(DemoPlatform.SINGLETON)))).item();
        assertThat(maintenance).containsEntry("active", AttributeValue.fromBool(false));
        assertThat(dynamo.scan(b -> b.tableName("g3nmhsadmin_config")).count()).isEqualTo(2);
        assertThat(stack.s3().listObjectsV2(b -> b.bucket("doc.g3nretailstack.com")).contents()).hasSize(2);
        assertThat(stack.s3().listObjectsV2(b -> b.bucket("mcp.g3nretailstack.com")).contents()).hasSize(2);
        REGISTRY.protectedResources().tables().forEach(t -> assertThat(REGISTRY.protectedResources().covers(t)).isTrue());
    }

    @Test
    void seedingIsGuardedAndResumable() {
        assertThat(DemoPlatform.isSeeded(stack.dynamo())).isTrue();
        assertThatThrownBy(() -> DemoPlatform.seed(stack.dynamo(), stack.s3())).isInstanceOf(IllegalStateException.class);
        long before = versions(stack.s3(), "g3n-ord-attachments", "").versions().size();
        assertThat(DemoPlatform.seedMissing(stack.dynamo(), stack.s3())).isEqualTo(summary);
        assertThat(versions(stack.s3(), "g3n-ord-attachments", "").versions()).hasSize((int) before);

        // an S3 half that stopped before its last key is redone from empty buckets, not stacked on top
        Versions marker = versions(stack.s3(), "g3n-backup", "_platform/");
        marker.versions().forEach(v -> stack.s3().deleteObject(b -> b.bucket("g3n-backup").key(v.key()).versionId(v.versionId())));
        stack.s3().putObject(b -> b.bucket("g3n-ord-attachments").key("acme/stray.txt"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("left over"));
        assertThat(DemoPlatform.seedMissing(stack.dynamo(), stack.s3())).isEqualTo(summary);
        for (String tenant : summary.tenants()) {
            for (String bucket : List.of("g3n-ord-attachments", "g3n-evt-usage", "g3n-backup")) {
                String prefix = bucket.equals("g3n-evt-usage") ? "orgcode=" + tenant + "/" : tenant + "/";
                Versions v = versions(stack.s3(), bucket, prefix);
                assertThat((long) v.versions().size() + v.deleteMarkers().size()).as(tenant + " " + bucket)
                        .isEqualTo(summary.versions(tenant, bucket));
            }
        }
    }

    @Test
    void contentIsAPureFunction() {
        DemoPlatform.Plan a = DemoPlatform.plan();
        DemoPlatform.Plan b = DemoPlatform.plan();
        assertThat(a.items()).isEqualTo(b.items());
        assertThat(a.objects()).hasSameSizeAs(b.objects());
        for (int i = 0; i < a.objects().size(); i++) {
            assertThat(a.objects().get(i).key()).isEqualTo(b.objects().get(i).key());
            assertThat(a.objects().get(i).content()).isEqualTo(b.objects().get(i).content());
        }
        assertThat(a.summary()).isEqualTo(b.summary());
    }

    @Test
    void storeHoldsExactlyWhatThePlanSays() {
        DemoPlatform.Plan plan = DemoPlatform.plan();
        for (String table : DemoPlatform.tables()) {
            Set<Map<String, AttributeValue>> stored = new HashSet<>();
            stack.dynamo().scanPaginator(b -> b.tableName(table)).items().forEach(i -> stored.add(canonical(i)));
            Set<Map<String, AttributeValue>> planned = new HashSet<>();
            plan.items().stream().filter(i -> i.table().equals(table)).forEach(i -> planned.add(canonical(i.item())));
            assertThat(stored).as(table).isEqualTo(planned);
        }
    }

    private static Map<String, AttributeValue> canonical(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> out = new java.util.TreeMap<>();
        item.forEach((k, v) -> out.put(k, canonical(v)));
        return out;
    }

    private static AttributeValue canonical(AttributeValue v) {
        if (v.hasSs()) {
            return AttributeValue.fromSs(v.ss().stream().sorted().toList());
        }
        if (v.hasM()) {
            return AttributeValue.fromM(canonical(v.m()));
        }
        if (v.hasL()) {
            return AttributeValue.fromL(v.l().stream().map(DemoPlatformTest::canonical).toList());
        }
        return v;
    }

    // ---- independent readers -------------------------------------------------------------------------------

    private static List<String> listTables(DynamoDbClient dynamo) {
        return dynamo.listTablesPaginator(b -> { }).tableNames().stream().toList();
    }

    private static String hashKey(TableDescription d) {
        return d.keySchema().stream().filter(k -> k.keyType() == KeyType.HASH).findFirst().orElseThrow().attributeName();
    }

    private static long query(DynamoDbClient dynamo, String table, String index, String key, String tenant) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(table)
                .keyConditionExpression("#k = :v")
                .expressionAttributeNames(Map.of("#k", key))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(tenant)))
                .limit(7); // small pages: exercise pagination
        if (index != null) {
            q.indexName(index);
        }
        return dynamo.queryPaginator(q.build()).items().stream().count();
    }

    private static long scan(DynamoDbClient dynamo, String table, String attribute, String tenant) {
        return dynamo.scanPaginator(ScanRequest.builder().tableName(table)
                .filterExpression("#a = :v")
                .expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(tenant)))
                .limit(10).build()).items().stream().count();
    }

    private record Versions(List<ObjectVersion> versions, List<DeleteMarkerEntry> deleteMarkers) {
    }

    private static Versions versions(S3Client s3, String bucket, String prefix) {
        List<ObjectVersion> versions = new ArrayList<>();
        List<DeleteMarkerEntry> markers = new ArrayList<>();
        s3.listObjectVersionsPaginator(b -> b.bucket(bucket).prefix(prefix).maxKeys(4)).forEach(page -> {
            versions.addAll(page.versions());
            markers.addAll(page.deleteMarkers());
        });
        return new Versions(versions, markers);
    }
}
