package io.offboard.local.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.source.Checkpoint;
import io.offboard.exporter.source.ItemJson;
import io.offboard.exporter.source.TableSource;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.support.SeededPlatform;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** {@link TableSource} against DynamoDB Local holding the seeded demo platform. */
class TableSourceTest {

    private static final Registry REGISTRY = Registry.bundled();
    @RegisterExtension
    static final SeededPlatform PLATFORM = new SeededPlatform();

    static List<Registry.Table> tables() {
        return REGISTRY.services().stream().flatMap(s -> s.tables().stream()).toList();
    }

    static Stream<Arguments> tenantsAndTables() {
        return DemoPlatform.TENANTS.stream().flatMap(t -> tables().stream().map(table -> Arguments.of(t, table.name())));
    }

    private static Registry.Table table(String name) {
        return tables().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static String orgOf(Registry.Table table, Map<String, AttributeValue> item) {
        String attribute = table.findBy() == Registry.FindBy.SCAN ? table.attribute() : table.key();
        AttributeValue value = item.get(attribute);
        return value == null ? null : value.s();
    }

    /** Every item after {@code from}, through the concurrent cursor. */
    private static List<Map<String, AttributeValue>> readAll(TableSource source, Checkpoint from) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        try (TableSource.Cursor cursor = source.pages(from)) {
            cursor.forEachRemaining(page -> items.addAll(page.items()));
        }
        return items;
    }

    private static List<String> canonical(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> new String(ItemJson.bytes(i), StandardCharsets.UTF_8)).toList();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tenantsAndTables")
    void everyLookupModeReturnsExactlyTheSeededItems(String tenant, String tableName) {
        Registry.Table table = table(tableName);
        TableSource source = new TableSource(PLATFORM.stack().dynamo(), table, tenant);
        List<Map<String, AttributeValue>> items = readAll(source, Checkpoint.START);
        assertThat((long) items.size()).as(tenant + " " + tableName).isEqualTo(PLATFORM.seeded().items(tenant, tableName))
                .isPositive();
        assertThat(items).allSatisfy(item -> assertThat(orgOf(table, item)).isEqualTo(tenant));
        assertThat(new HashSet<>(canonical(items))).as("no duplicates").hasSize(items.size());
        // the same order on every run
        assertThat(canonical(readAll(source, Checkpoint.START))).isEqualTo(canonical(items));
    }

    @Test
    void theScanOnlyTableIsFoundWithAnySegmentCount() {
        Registry.Table changelog = table("evt_changelog");
        assertThat(changelog.findBy()).isEqualTo(Registry.FindBy.SCAN);
        for (String tenant : DemoPlatform.TENANTS) {
            Set<String> reference = null;
            for (int segments : new int[] {1, 2, 3, 7}) {
                TableSource source = new TableSource(PLATFORM.stack().dynamo(), changelog, tenant,
                        TableSource.Options.defaults().withTotalSegments(segments).withPageLimit(4));
                assertThat(source.segments()).isEqualTo(segments);
                List<String> items = canonical(readAll(source, Checkpoint.START));
                assertThat((long) items.size()).isEqualTo(PLATFORM.seeded().items(tenant, "evt_changelog"));
                if (reference == null) {
                    reference = new HashSet<>(items);
                } else {
                    assertThat(new HashSet<>(items)).isEqualTo(reference);
                }
            }
        }
        // platform events (no tenant_ref) belong to nobody
        assertThat(readAll(new TableSource(PLATFORM.stack().dynamo(), changelog, "initech"), Checkpoint.START)).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tenantsAndTables")
    void resumingFromEveryCheckpointYieldsExactlyTheRest(String tenant, String tableName) {
        TableSource source = new TableSource(PLATFORM.stack().dynamo(), table(tableName), tenant,
                TableSource.Options.defaults().withTotalSegments(3).withPageLimit(3).withPrefetchPages(2));

        // page by page on this thread, as a checkpointing worker does
        List<Checkpoint> checkpoints = new ArrayList<>();
        List<List<Map<String, AttributeValue>>> pages = new ArrayList<>();
        Checkpoint at = Checkpoint.START;
        while (!at.isDone()) {
            TableSource.Page page = source.readPage(at);
            pages.add(page.items());
            at = Checkpoint.parse(page.next().token()); // persisted and read back
            checkpoints.add(at);
        }
        List<Map<String, AttributeValue>> all = pages.stream().flatMap(List::stream).toList();
        assertThat((long) all.size()).isEqualTo(PLATFORM.seeded().items(tenant, tableName));
        // pages of 3: every few items a checkpoint (a query's last page may come back empty)
        assertThat(pages.size()).as("pages of 3").isGreaterThanOrEqualTo((all.size() + 2) / 3);

        // the concurrent cursor hands out the same pages with the same checkpoints
        List<Checkpoint> cursorCheckpoints = new ArrayList<>();
        List<Map<String, AttributeValue>> cursorItems = new ArrayList<>();
        try (TableSource.Cursor cursor = source.pages(Checkpoint.START)) {
            cursor.forEachRemaining(page -> {
                cursorCheckpoints.add(page.next());
                cursorItems.addAll(page.items());
            });
        }
        assertThat(cursorCheckpoints).isEqualTo(checkpoints);
        assertThat(canonical(cursorItems)).isEqualTo(canonical(all));

        // from every intermediate checkpoint, exactly the items after it
        int consumed = 0;
        for (int i = 0; i < checkpoints.size(); i++) {
            consumed += pages.get(i).size();
            List<Map<String, AttributeValue>> rest = readAll(source, checkpoints.get(i));
            assertThat(canonical(rest)).as("after page " + i + " (" + checkpoints.get(i) + ")")
                    .isEqualTo(canonical(all.subList(consumed, all.size())));
        }
        assertThat(checkpoints.get(checkpoints.size() - 1)).isEqualTo(Checkpoint.DONE);
        assertThat(readAll(source, Checkpoint.DONE)).isEmpty();
        assertThat(source.readPage(Checkpoint.DONE).next()).isEqualTo(Checkpoint.DONE);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tenantsAndTables")
    void aProjectionReadsOnlyTheNamedAttributesOfTheSameItems(String tenant, String tableName) {
        Registry.Table table = table(tableName);
        TableSource whole = new TableSource(PLATFORM.stack().dynamo(), table, tenant,
                TableSource.Options.defaults().withTotalSegments(3).withPageLimit(4));
        // the scan filter and the GSI key still work when the filtered attribute is not projected
        List<String> key = switch (tableName) {
            case "ord_orders" -> List.of("orgcode", "order_id");
            case "uas_users" -> List.of("user_guid");
            case "evt_changelog" -> List.of("event_id");
            default -> List.of("orgcode");
        };
        List<Map<String, AttributeValue>> projected = readAll(whole.withProjection(key), Checkpoint.START);
        List<Map<String, AttributeValue>> items = readAll(whole, Checkpoint.START);
        assertThat(projected).allSatisfy(item -> assertThat(item.keySet()).containsExactlyInAnyOrderElementsOf(key));
        assertThat(projected).isEqualTo(items.stream()
                .map(item -> item.entrySet().stream().filter(e -> key.contains(e.getKey()))
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                .toList());
        assertThatThrownBy(() -> whole.withProjection(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void consumedCapacityIsSummed() {
        for (Registry.Table table : tables()) {
            TableSource source = new TableSource(PLATFORM.stack().dynamo(), table, DemoPlatform.ACME,
                    TableSource.Options.defaults().withPageLimit(5));
            TableSource.Totals totals = TableSource.Totals.ZERO;
            try (TableSource.Cursor cursor = source.pages(Checkpoint.START)) {
                while (cursor.hasNext()) {
                    totals = totals.plus(cursor.next());
                }
            }
            assertThat(totals.items()).isEqualTo(PLATFORM.seeded().items(DemoPlatform.ACME, table.name()));
            assertThat(totals.itemBytes()).isPositive();
            assertThat(totals.readCapacityUnits()).as(table.name()).isPositive();
            // DynamoDB Local 2.6.1 does report it
            assertThat(totals.estimated()).as(table.name()).isFalse();
        }
    }

    @Test
    void unreportedCapacityIsEstimatedFromItemBytes() {
        ExecutionInterceptor dropCapacity = new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (context.response() instanceof QueryResponse q) {
                    return q.toBuilder().consumedCapacity((ConsumedCapacity) null).build();
                }
                if (context.response() instanceof ScanResponse s) {
                    return s.toBuilder().consumedCapacity((ConsumedCapacity) null).build();
                }
                return context.response();
            }
        };
        try (DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(PLATFORM.stack().dynamoEndpoint())
                .region(Region.of(EmbeddedStack.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY, EmbeddedStack.SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(dropCapacity))
                .build()) {
            // one page of 25 orders (5,555 bytes): 2 units of 4 KB, strongly consistent
            TableSource.Page orders = new TableSource(client, table("ord_orders"), DemoPlatform.ACME).readPage(Checkpoint.START);
            assertThat(orders.capacityReported()).isFalse();
            assertThat(orders.items()).hasSize(25);
            assertThat(orders.readCapacityUnits()).isEqualTo(Math.ceil(orders.itemBytes() / 4096.0));
            // a GSI read is eventually consistent: half
            TableSource.Page users = new TableSource(client, table("uas_users"), DemoPlatform.ACME).readPage(Checkpoint.START);
            assertThat(users.capacityReported()).isFalse();
            assertThat(users.readCapacityUnits()).isEqualTo(0.5);
            TableSource.Totals totals = TableSource.Totals.ZERO.plus(orders).plus(users);
            assertThat(totals.estimated()).isTrue();
            assertThat(totals.readCapacityUnits()).isEqualTo(orders.readCapacityUnits() + 0.5);
        }
    }

    @Test
    void aCursorClosedEarlyStopsItsReaders() {
        TableSource source = new TableSource(PLATFORM.stack().dynamo(), table("evt_changelog"), DemoPlatform.ACME,
                TableSource.Options.defaults().withTotalSegments(4).withPageLimit(2).withPrefetchPages(1));
        TableSource.Cursor cursor = source.pages(Checkpoint.START);
        assertThat(cursor.hasNext()).isTrue();
        Checkpoint after = cursor.next().next();
        cursor.close();
        assertThatThrownBy(cursor::hasNext).isInstanceOf(IllegalStateException.class);
        // resuming from what was handed out still gives the rest
        List<Map<String, AttributeValue>> rest = readAll(source, after);
        assertThat(rest.size()).isLessThanOrEqualTo((int) PLATFORM.seeded().items(DemoPlatform.ACME, "evt_changelog"));
    }

    @Test
    void aCursorReadsAtMostItsPrefetchPagesPerSegmentAheadOfTheCaller() throws Exception {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                requests.incrementAndGet();
            }
        };
        try (DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(PLATFORM.stack().dynamoEndpoint())
                .region(Region.of(EmbeddedStack.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY, EmbeddedStack.SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build()) {
            // 25 orders in pages of 2: far more pages than may be read ahead
            TableSource query = new TableSource(client, table("ord_orders"), DemoPlatform.ACME,
                    TableSource.Options.defaults().withPageLimit(2).withPrefetchPages(2));
            try (TableSource.Cursor cursor = query.pages(Checkpoint.START)) {
                assertThat(settledCount(requests, 2)).as("nothing taken yet").isEqualTo(2);
                cursor.next();
                assertThat(settledCount(requests, 3)).as("one page taken").isEqualTo(3);
            }
            requests.set(0);
            TableSource scan = new TableSource(client, table("evt_changelog"), DemoPlatform.ACME,
                    TableSource.Options.defaults().withTotalSegments(4).withPageLimit(1).withPrefetchPages(2));
            try (TableSource.Cursor cursor = scan.pages(Checkpoint.START)) {
                assertThat(settledCount(requests, 8)).as("4 segments, nothing taken").isEqualTo(8);
            }
        }
    }

    /** The counter once it reached {@code expected} and then stayed put for a moment (or after 10 s). */
    private static int settledCount(java.util.concurrent.atomic.AtomicInteger counter, int expected)
            throws InterruptedException {
        for (int i = 0; i < 200 && counter.get() < expected; i++) {
            Thread.sleep(50);
        }
        Thread.sleep(300);
        return counter.get();
    }

    @Test
    void aCheckpointForMoreSegmentsIsRefused() {
        TableSource source = new TableSource(PLATFORM.stack().dynamo(), table("ord_orders"), DemoPlatform.ACME);
        assertThatThrownBy(() -> source.pages(new Checkpoint(2, null))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingReadEndsTheIterationWithItsCause() {
        Registry.Table missing = new Registry.Table("no_such_table", Registry.FindBy.SCAN, null, null, "tenant_ref");
        TableSource source = new TableSource(PLATFORM.stack().dynamo(), missing, DemoPlatform.ACME);
        try (TableSource.Cursor cursor = source.pages(Checkpoint.START)) {
            assertThatThrownBy(cursor::hasNext).isInstanceOf(
                    software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class);
        }
    }
}
