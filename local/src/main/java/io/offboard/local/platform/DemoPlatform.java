package io.offboard.local.platform;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The demo platform: every table and bucket named by {@code exporter/src/main/resources/registry.yml}, filled
 * with two tenants ({@value #ACME}, {@value #GLOBEX}) plus platform-level data that belongs to no tenant, and the
 * protected resources of seed 001. The content is a pure function of this class (fixed timestamps in November
 * 2026, no randomness, no clock), so exports of it are reproducible.
 *
 * <p>Shapes (the registry's three ways of finding a tenant's items are all present):
 * <ul>
 *   <li>{@code uas_orgs}: hash key {@code orgcode}; the tenant directory.</li>
 *   <li>{@code uas_users}: hash key {@code user_guid}, attribute {@code orgcode}, GSI {@code by_orgcode}
 *       (hash {@code orgcode}, projection ALL); one operator user has no orgcode (not in the sparse index).</li>
 *   <li>{@code ord_orders}: hash {@code orgcode}, range {@code order_id} (both tenants have {@code ORD-00001}...),
 *       typed attributes: N amount and revision, S currency and created_at, L of M lines, BOOL, SS, NULL, B.</li>
 *   <li>{@code evt_changelog}: hash {@code event_id}; {@code tenant_ref} is a plain attribute, absent on platform
 *       events, so only a filtered scan finds a tenant's items.</li>
 *   <li>{@code usm_sessions} (excluded), {@code platform_access} (excluded; {@code mode = live}).</li>
 *   <li>Protected: {@code ops_main} (hash {@code pk}, range {@code sk}; {@code ACTIVE_MAINTENANCE} and
 *       {@code OPS_CONFIG} singletons), {@code g3nmhsadmin_config}, buckets {@code doc.g3nretailstack.com} and
 *       {@code mcp.g3nretailstack.com}.</li>
 *   <li>{@code g3n-ord-attachments} and {@code g3n-backup}: versioning enabled, keys under {@code <orgcode>/},
 *       several keys with 2-3 versions, keys whose latest version is a delete marker.
 *       {@code g3n-evt-usage}: unversioned, keys under {@code orgcode=<orgcode>/}.</li>
 * </ul>
 */
public final class DemoPlatform {

    public static final String ACME = "acme";
    public static final String GLOBEX = "globex";
    public static final List<String> TENANTS = List.of(ACME, GLOBEX);

    public static final String UAS_ORGS = "uas_orgs";
    public static final String UAS_USERS = "uas_users";
    public static final String UAS_USERS_BY_ORGCODE = "by_orgcode";
    public static final String ORD_ORDERS = "ord_orders";
    public static final String EVT_CHANGELOG = "evt_changelog";
    public static final String USM_SESSIONS = "usm_sessions";
    public static final String PLATFORM_ACCESS = "platform_access";
    public static final String OPS_MAIN = "ops_main";
    public static final String ADMIN_CONFIG = "g3nmhsadmin_config";

    public static final String ORD_ATTACHMENTS = "g3n-ord-attachments";
    public static final String EVT_USAGE = "g3n-evt-usage";
    public static final String BACKUP = "g3n-backup";
    public static final String DOC_BUCKET = "doc.g3nretailstack.com";
    public static final String MCP_BUCKET = "mcp.g3nretailstack.com";

    /** Key attributes of {@code ops_main}: {@code pk = ACTIVE_MAINTENANCE, sk = SINGLETON}. */
    public static final String OPS_MAIN_PK = "pk";
    public static final String OPS_MAIN_SK = "sk";
    public static final String SINGLETON = "SINGLETON";

    private static final Instant BASE = Instant.parse("2026-11-01T08:00:00Z");
    private static final int BATCH = 25;
    private static final int BATCH_ATTEMPTS = 8;
    /** Written last by {@link #seedBuckets}: its presence means the S3 part is complete. */
    private static final String BUCKETS_DONE_BUCKET = BACKUP;
    private static final String BUCKETS_DONE_KEY = "_platform/backup-catalog.json";

    private DemoPlatform() {
    }

    /** Built on first use, after every constant the plan reads has been initialised. */
    private static final class Holder {
        static final Plan PLAN = buildPlan();
    }

    // ---- public API ---------------------------------------------------------------------------------------

    /**
     * Creates and fills every table and bucket of the demo platform and returns what was written.
     *
     * @throws IllegalStateException if the platform is already seeded ({@link #isSeeded})
     */
    public static SeedSummary seed(DynamoDbClient dynamo, S3Client s3) {
        if (isSeeded(dynamo)) {
            throw new IllegalStateException("the demo platform is already seeded (" + UAS_ORGS + " has its tenants)");
        }
        seedTables(dynamo);
        seedBuckets(s3);
        return expected();
    }

    /**
     * Seeds whichever half is missing: the tables when {@link #isSeeded} is false, the buckets when they are not
     * complete. For a persistent {@code serve}: DynamoDB Local keeps its tables across restarts but the S3 store
     * is in memory, so after a restart only the buckets are seeded again. The summary describes the seeded content,
     * not whatever a previous run may have changed since.
     */
    public static SeedSummary seedMissing(DynamoDbClient dynamo, S3Client s3) {
        if (!isSeeded(dynamo)) {
            seedTables(dynamo);
        }
        if (!bucketsSeeded(s3)) {
            seedBuckets(s3);
        }
        return expected();
    }

    /** True when the tenant directory exists and lists the demo tenants (it is filled last). */
    public static boolean isSeeded(DynamoDbClient dynamo) {
        try {
            return !dynamo.getItem(b -> b.tableName(UAS_ORGS).consistentRead(true)
                    .key(Map.of("orgcode", AttributeValue.fromS(TENANTS.get(TENANTS.size() - 1))))).item().isEmpty();
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /** What {@link #seed} writes, without touching any store. */
    public static SeedSummary expected() {
        return Holder.PLAN.summary();
    }

    /** Every table the demo platform has, in creation order. */
    public static List<String> tables() {
        return Holder.PLAN.tables().stream().map(TableSpec::name).toList();
    }

    /** Every bucket the demo platform has, in creation order. */
    public static List<String> buckets() {
        return Holder.PLAN.buckets().stream().map(BucketSpec::name).toList();
    }

    // ---- seeding ------------------------------------------------------------------------------------------

    private static void seedTables(DynamoDbClient dynamo) {
        for (TableSpec table : Holder.PLAN.tables()) {
            createTable(dynamo, table);
        }
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(dynamo)
                .overrideConfiguration(o -> o.maxAttempts(600)
                        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(100))))
                .build()) {
            for (TableSpec table : Holder.PLAN.tables()) {
                waiter.waitUntilTableExists(b -> b.tableName(table.name()));
                if (table.gsiName() != null) {
                    awaitIndexActive(dynamo, table.name(), table.gsiName());
                }
            }
        }
        // the directory last: isSeeded() looks at it, so a seeding that died halfway is redone
        Map<String, List<Map<String, AttributeValue>>> byTable = new LinkedHashMap<>();
        for (SeedItem item : Holder.PLAN.items()) {
            byTable.computeIfAbsent(item.table(), t -> new ArrayList<>()).add(item.item());
        }
        List<Map<String, AttributeValue>> directory = byTable.remove(UAS_ORGS);
        byTable.forEach((table, items) -> batchPut(dynamo, table, items));
        batchPut(dynamo, UAS_ORGS, directory);
    }

    private static void createTable(DynamoDbClient dynamo, TableSpec spec) {
        Map<String, ScalarAttributeType> attributes = new LinkedHashMap<>();
        attributes.put(spec.hashKey(), ScalarAttributeType.S);
        List<KeySchemaElement> keys = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(spec.hashKey()).keyType(KeyType.HASH).build());
        if (spec.rangeKey() != null) {
            attributes.put(spec.rangeKey(), ScalarAttributeType.S);
            keys.add(KeySchemaElement.builder().attributeName(spec.rangeKey()).keyType(KeyType.RANGE).build());
        }
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(spec.name())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(keys);
        if (spec.gsiName() != null) {
            attributes.put(spec.gsiHashKey(), ScalarAttributeType.S);
            request.globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                    .indexName(spec.gsiName())
                    .keySchema(KeySchemaElement.builder().attributeName(spec.gsiHashKey()).keyType(KeyType.HASH).build())
                    .projection(p -> p.projectionType(ProjectionType.ALL))
                    .build());
        }
        request.attributeDefinitions(attributes.entrySet().stream()
                .map(e -> AttributeDefinition.builder().attributeName(e.getKey()).attributeType(e.getValue()).build())
                .toList());
        try {
            dynamo.createTable(request.build());
        } catch (ResourceInUseException e) {
            // left by an earlier, interrupted seeding: the shape is ours, keep it
        }
    }

    private static void awaitIndexActive(DynamoDbClient dynamo, String table, String index) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            TableDescription description = dynamo.describeTable(b -> b.tableName(table)).table();
            boolean active = description.globalSecondaryIndexes().stream()
                    .anyMatch(g -> g.indexName().equals(index) && g.indexStatus() == IndexStatus.ACTIVE);
            if (active) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("index " + table + "/" + index + " did not become active");
            }
            sleep(100);
        }
    }

    /** BatchWriteItem in batches of 25, retrying UnprocessedItems with a growing pause (also bulk loads for benches). */
    public static void batchPut(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items) {
        for (int from = 0; from < items.size(); from += BATCH) {
            List<WriteRequest> pending = items.subList(from, Math.min(items.size(), from + BATCH)).stream()
                    .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                    .toList();
            long pause = 50;
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                if (attempt > BATCH_ATTEMPTS) {
                    throw new IllegalStateException(pending.size() + " items of " + table + " stayed unprocessed");
                }
                List<WriteRequest> batch = pending;
                BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
                pending = response.hasUnprocessedItems()
                        ? response.unprocessedItems().getOrDefault(table, List.of())
                        : List.of();
                if (!pending.isEmpty()) {
                    sleep(pause);
                    pause = Math.min(2_000, pause * 2);
                }
            }
        }
    }

    private static boolean bucketsSeeded(S3Client s3) {
        try {
            s3.headObject(b -> b.bucket(BUCKETS_DONE_BUCKET).key(BUCKETS_DONE_KEY));
            return true;
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static void seedBuckets(S3Client s3) {
        for (BucketSpec bucket : Holder.PLAN.buckets()) {
            if (bucketExists(s3, bucket.name())) {
                // an earlier seeding stopped halfway: start the bucket over so version counts stay exact
                emptyBucket(s3, bucket.name());
            } else {
                s3.createBucket(b -> b.bucket(bucket.name()));
            }
            if (bucket.versioned()) {
                s3.putBucketVersioning(b -> b.bucket(bucket.name())
                        .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
            }
        }
        for (ObjectOp op : Holder.PLAN.objects()) {
            if (op.isDeleteMarker()) {
                s3.deleteObject(b -> b.bucket(op.bucket()).key(op.key()));
            } else {
                s3.putObject(b -> b.bucket(op.bucket()).key(op.key()).contentType(op.contentType())
                                .metadata(Map.of("seeded-at", op.createdAt())),
                        RequestBody.fromBytes(op.content()));
            }
        }
    }

    private static boolean bucketExists(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static void emptyBucket(S3Client s3, String bucket) {
        ListObjectVersionsResponse page;
        String keyMarker = null;
        String versionMarker = null;
        do {
            String km = keyMarker;
            String vm = versionMarker;
            page = s3.listObjectVersions(b -> b.bucket(bucket).keyMarker(km).versionIdMarker(vm));
            page.versions().forEach(v -> s3.deleteObject(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId())));
            page.deleteMarkers().forEach(m -> s3.deleteObject(b -> b.bucket(bucket).key(m.key()).versionId(m.versionId())));
            keyMarker = page.nextKeyMarker();
            versionMarker = page.nextVersionIdMarker();
        } while (Boolean.TRUE.equals(page.isTruncated()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding", e);
        }
    }

    // ---- the plan: what the platform holds ------------------------------------------------------------------

    record TableSpec(String name, String hashKey, String rangeKey, String gsiName, String gsiHashKey) {
    }

    record BucketSpec(String name, boolean versioned) {
    }

    /** @param tenant the owning orgcode, {@code null} for platform-level data */
    record SeedItem(String table, String tenant, Map<String, AttributeValue> item) {
    }

    /** A put, or a delete marker when {@code content} is null; {@code tenant} null for platform-level keys. */
    record ObjectOp(String bucket, String tenant, String key, byte[] content, String contentType, String createdAt) {
        boolean isDeleteMarker() {
            return content == null;
        }
    }

    record Plan(List<TableSpec> tables, List<SeedItem> items, List<BucketSpec> buckets, List<ObjectOp> objects,
                SeedSummary summary) {
    }

    /** Package-private for tests: the content is a pure function, two plans are equal item by item. */
    static Plan plan() {
        return buildPlan();
    }

    private static Plan buildPlan() {
        List<TableSpec> tables = List.of(
                new TableSpec(UAS_ORGS, "orgcode", null, null, null),
                new TableSpec(UAS_USERS, "user_guid", null, UAS_USERS_BY_ORGCODE, "orgcode"),
                new TableSpec(ORD_ORDERS, "orgcode", "order_id", null, null),
                new TableSpec(EVT_CHANGELOG, "event_id", null, null, null),
                new TableSpec(USM_SESSIONS, "session_guid", null, null, null),
                new TableSpec(PLATFORM_ACCESS, "orgcode", null, null, null),
                new TableSpec(OPS_MAIN, OPS_MAIN_PK, OPS_MAIN_SK, null, null),
                new TableSpec(ADMIN_CONFIG, "config_key", null, null, null));
        List<BucketSpec> buckets = List.of(
                new BucketSpec(ORD_ATTACHMENTS, true),
                new BucketSpec(EVT_USAGE, false),
                new BucketSpec(BACKUP, true),
                new BucketSpec(DOC_BUCKET, false),
                new BucketSpec(MCP_BUCKET, false));

        List<SeedItem> items = new ArrayList<>();
        orgs(items);
        users(items);
        orders(items);
        events(items);
        sessions(items);
        access(items);
        protectedItems(items);

        List<ObjectOp> objects = new ArrayList<>();
        attachments(objects);
        usage(objects, items);
        protectedObjects(objects);
        backups(objects, items); // last: its final key marks the S3 half complete

        return new Plan(tables, List.copyOf(items), buckets, List.copyOf(objects), summarize(tables, buckets, items, objects));
    }

    private record Org(String orgcode, String caption, String legalName, String country, String currency) {
    }

    private static final List<Org> ORGS = List.of(
            new Org(ACME, "Acme Retail", "Acme Retail Holdings Ltd.", "GB", "USD"),
            new Org(GLOBEX, "Globex Stores", "Globex Corporation plc", "IE", "EUR"));

    private static final String[][] USERS = {
            // orgcode, handle, display name, role
            {ACME, "ada", "Ada Lindqvist", "owner"},
            {ACME, "bram", "Bram Okafor", "admin"},
            {ACME, "chen", "Chen Wei", "member"},
            {ACME, "dara", "Dara Quinn", "member"},
            {GLOBEX, "elif", "Elif Sahin", "owner"},
            {GLOBEX, "femi", "Femi Adeyemi", "admin"},
            {GLOBEX, "gus", "Gus Moreau", "member"},
    };

    private static final int ACME_ORDERS = 25;
    private static final int GLOBEX_ORDERS = 15;
    private static final int ACME_EVENTS = 40;
    private static final int GLOBEX_EVENTS = 30;
    private static final int PLATFORM_EVENTS = 5;

    private static final String[][] CATALOG = {
            {"SKU-TEA-001", "4.50"}, {"SKU-MUG-002", "12.00"}, {"SKU-BAG-003", "29.95"},
            {"SKU-PEN-004", "1.25"}, {"SKU-LAMP-005", "49.00"}};
    private static final String[] ORDER_STATUS = {"placed", "paid", "shipped", "delivered", "refunded"};

    private static void orgs(List<SeedItem> items) {
        for (int t = 0; t < ORGS.size(); t++) {
            Org org = ORGS.get(t);
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put("orgcode", s(org.orgcode()));
            item.put("caption", s(org.caption()));
            item.put("legal_name", s(org.legalName()));
            item.put("country", s(org.country()));
            item.put("default_currency", s(org.currency()));
            item.put("plan", s(t == 0 ? "business" : "starter"));
            item.put("status", s("active"));
            item.put("created_at", s(at(Duration.ofDays(-400L + 30L * t))));
            item.put("revision", n(3 + t));
            items.add(new SeedItem(UAS_ORGS, org.orgcode(), item));
        }
    }

    static String userGuid(String orgcode, String handle) {
        return uuid("uas_users/" + orgcode + "/" + handle);
    }

    private static void users(List<SeedItem> items) {
        for (int i = 0; i < USERS.length; i++) {
            String[] u = USERS[i];
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put("user_guid", s(userGuid(u[0], u[1])));
            item.put("orgcode", s(u[0]));
            item.put("email", s(u[1] + "@" + u[0] + ".example"));
            item.put("display_name", s(u[2]));
            item.put("role", s(u[3]));
            item.put("created_at", s(at(Duration.ofDays(-300L + 11L * i))));
            item.put("revision", n(1 + i % 2));
            items.add(new SeedItem(UAS_USERS, u[0], item));
        }
        // an operator account: no orgcode, so not in the sparse by_orgcode index and nobody's tenant data
        Map<String, AttributeValue> operator = new LinkedHashMap<>();
        operator.put("user_guid", s(uuid("uas_users/platform/ops")));
        operator.put("email", s("ops@g3nretailstack.com"));
        operator.put("display_name", s("Platform Operations"));
        operator.put("role", s("operator"));
        operator.put("created_at", s(at(Duration.ofDays(-500))));
        operator.put("revision", n(1));
        items.add(new SeedItem(UAS_USERS, null, operator));
    }

    private static void orders(List<SeedItem> items) {
        for (int t = 0; t < ORGS.size(); t++) {
            Org org = ORGS.get(t);
            int count = t == 0 ? ACME_ORDERS : GLOBEX_ORDERS;
            for (int i = 1; i <= count; i++) {
                String orderId = orderId(i);
                List<AttributeValue> lines = new ArrayList<>();
                BigDecimal amount = BigDecimal.ZERO.setScale(2);
                int lineCount = 1 + i % 3;
                for (int j = 0; j < lineCount; j++) {
                    String[] sku = CATALOG[(i + j + t) % CATALOG.length];
                    int qty = 1 + (i + 2 * j) % 4;
                    BigDecimal price = new BigDecimal(sku[1]);
                    amount = amount.add(price.multiply(BigDecimal.valueOf(qty)));
                    Map<String, AttributeValue> line = new LinkedHashMap<>();
                    line.put("sku", s(sku[0]));
                    line.put("qty", n(qty));
                    line.put("unit_price", decimal(price));
                    lines.add(AttributeValue.fromM(line));
                }
                String status = ORDER_STATUS[i % ORDER_STATUS.length];
                Map<String, AttributeValue> item = new LinkedHashMap<>();
                item.put("orgcode", s(org.orgcode()));
                item.put("order_id", s(orderId));
                item.put("revision", n(1 + i % 3));
                item.put("amount", decimal(amount));
                item.put("currency", s(org.currency()));
                item.put("created_at", s(at(Duration.ofHours(7L * (i - 1) + 3L * t))));
                item.put("status", s(status));
                item.put("paid", AttributeValue.fromBool(!status.equals("placed")));
                item.put("customer_ref", s(String.format("CUST-%03d", (i * 37 + t * 11) % 100)));
                item.put("lines", AttributeValue.fromL(lines));
                if (i % 5 == 0) {
                    item.put("tags", AttributeValue.fromSs(List.of("gift", "priority")));
                }
                if (i % 7 == 0) {
                    item.put("coupon", AttributeValue.fromNul(true));
                }
                if (i % 6 == 0) {
                    item.put("receipt_digest", AttributeValue.fromB(SdkBytes.fromByteArray(
                            sha256(org.orgcode() + "/" + orderId))));
                }
                items.add(new SeedItem(ORD_ORDERS, org.orgcode(), item));
            }
        }
    }

    static String orderId(int i) {
        return String.format("ORD-%05d", i);
    }

    private static void events(List<SeedItem> items) {
        record Event(String tenant, int n, Instant at) {
        }
        List<Event> events = new ArrayList<>();
        for (int i = 1; i <= ACME_EVENTS; i++) {
            events.add(new Event(ACME, i, BASE.plus(Duration.ofMinutes(53L * i))));
        }
        for (int i = 1; i <= GLOBEX_EVENTS; i++) {
            events.add(new Event(GLOBEX, i, BASE.plus(Duration.ofMinutes(71L * i + 5))));
        }
        for (int i = 1; i <= PLATFORM_EVENTS; i++) {
            events.add(new Event(null, i, BASE.plus(Duration.ofMinutes(600L * i + 2))));
        }
        events.sort(Comparator.comparing(Event::at).thenComparing(e -> Objects.toString(e.tenant(), "")));
        String[] tenantTypes = {"order.created", "order.updated", "user.login", "user.invited", "settings.changed"};
        String[] platformTypes = {"platform.deploy", "platform.maintenance"};
        int seq = 0;
        for (Event e : events) {
            seq++;
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put("event_id", s(String.format("evt-%06d", seq)));
            item.put("sequence", n(seq));
            item.put("occurred_at", s(e.at().toString()));
            if (e.tenant() == null) {
                item.put("event_type", s(platformTypes[e.n() % platformTypes.length]));
                item.put("payload", AttributeValue.fromM(Map.of(
                        "component", s("g3n-platform"),
                        "release", s("2026.11." + e.n()))));
            } else {
                String type = tenantTypes[e.n() % tenantTypes.length];
                String[] user = usersOf(e.tenant()).get(e.n() % usersOf(e.tenant()).size());
                item.put("tenant_ref", s(e.tenant()));
                item.put("event_type", s(type));
                item.put("actor", s(userGuid(user[0], user[1])));
                int orders = e.tenant().equals(ACME) ? ACME_ORDERS : GLOBEX_ORDERS;
                item.put("payload", AttributeValue.fromM(Map.of(
                        "entity", s(type.startsWith("order") ? "order" : type.startsWith("user") ? "user" : "settings"),
                        "entity_id", s(type.startsWith("order") ? orderId(1 + e.n() % orders) : userGuid(user[0], user[1])))));
            }
            items.add(new SeedItem(EVT_CHANGELOG, e.tenant(), item));
        }
    }

    private static List<String[]> usersOf(String orgcode) {
        List<String[]> users = new ArrayList<>();
        for (String[] u : USERS) {
            if (u[0].equals(orgcode)) {
                users.add(u);
            }
        }
        return users;
    }

    private static void sessions(List<SeedItem> items) {
        int k = 0;
        for (Org org : ORGS) {
            List<String[]> users = usersOf(org.orgcode());
            int count = org.orgcode().equals(ACME) ? 3 : 2;
            for (int i = 0; i < count; i++) {
                String[] user = users.get(i % users.size());
                Instant created = BASE.plus(Duration.ofDays(20)).plus(Duration.ofHours(5L * k++));
                Map<String, AttributeValue> item = new LinkedHashMap<>();
                item.put("session_guid", s(uuid("usm_sessions/" + org.orgcode() + "/" + i)));
                item.put("orgcode", s(org.orgcode()));
                item.put("user_guid", s(userGuid(user[0], user[1])));
                item.put("created_at", s(created.toString()));
                item.put("expires_at", n(created.plus(Duration.ofHours(12)).getEpochSecond()));
                items.add(new SeedItem(USM_SESSIONS, org.orgcode(), item));
            }
        }
    }

    private static void access(List<SeedItem> items) {
        for (Org org : ORGS) {
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put("orgcode", s(org.orgcode()));
            item.put("mode", s("live"));
            item.put("updated_at", s(at(Duration.ofDays(-30))));
            items.add(new SeedItem(PLATFORM_ACCESS, org.orgcode(), item));
        }
    }

    private static void protectedItems(List<SeedItem> items) {
        Map<String, AttributeValue> maintenance = new LinkedHashMap<>();
        maintenance.put(OPS_MAIN_PK, s("ACTIVE_MAINTENANCE"));
        maintenance.put(OPS_MAIN_SK, s(SINGLETON));
        maintenance.put("active", AttributeValue.fromBool(false));
        maintenance.put("updated_at", s(at(Duration.ofDays(-2))));
        items.add(new SeedItem(OPS_MAIN, null, maintenance));
        Map<String, AttributeValue> config = new LinkedHashMap<>();
        config.put(OPS_MAIN_PK, s("OPS_CONFIG"));
        config.put(OPS_MAIN_SK, s(SINGLETON));
        config.put("maintenance_cache_seconds", n(20));
        config.put("vacuum_pending_seconds", n(300));
        config.put("updated_at", s(at(Duration.ofDays(-60))));
        items.add(new SeedItem(OPS_MAIN, null, config));

        items.add(new SeedItem(ADMIN_CONFIG, null, Map.of(
                "config_key", s("feature_flags"),
                "value", AttributeValue.fromM(Map.of("offboarding", AttributeValue.fromBool(true))))));
        items.add(new SeedItem(ADMIN_CONFIG, null, Map.of(
                "config_key", s("admin_contacts"),
                "value", AttributeValue.fromL(List.of(s("ops@g3nretailstack.com"))))));
    }

    // ---- objects --------------------------------------------------------------------------------------------

    private static void attachments(List<ObjectOp> ops) {
        // acme: 7 keys, 11 versions, 2 delete markers (one over 2 versions, one over 1) -> 5 live objects
        putVersions(ops, ORD_ATTACHMENTS, ACME, "acme/orders/ORD-00001/invoice.pdf", 1, false);
        putVersions(ops, ORD_ATTACHMENTS, ACME, "acme/orders/ORD-00002/invoice.pdf", 2, false);
        putVersions(ops, ORD_ATTACHMENTS, ACME, "acme/orders/ORD-00003/packing-slip.txt", 3, false);
        putVersions(ops, ORD_ATTACHMENTS, ACME, "acme/orders/ORD-00004/photo.jpg", 1, false);
        putVersions(ops, ORD_ATTACHMENTS, ACME, "acme/orders/ORD-00005/invoice.pdf", 2, true);
        putVersions(ops, ORD_ATTACHMENTS, ACME, "acme/orders/ORD-00006/notes.txt", 1, true);
        putVersions(ops, ORD_ATTACHMENTS, ACME, "acme/contracts/master-agreement.txt", 1, false);
        // globex: 4 keys, 7 versions, 1 delete marker -> 3 live objects
        putVersions(ops, ORD_ATTACHMENTS, GLOBEX, "globex/orders/ORD-00001/invoice.pdf", 2, false);
        putVersions(ops, ORD_ATTACHMENTS, GLOBEX, "globex/orders/ORD-00002/invoice.pdf", 1, false);
        putVersions(ops, ORD_ATTACHMENTS, GLOBEX, "globex/orders/ORD-00003/label.txt", 3, false);
        putVersions(ops, ORD_ATTACHMENTS, GLOBEX, "globex/orders/ORD-00004/invoice.pdf", 1, true);
        // platform-level, outside every tenant prefix
        putVersions(ops, ORD_ATTACHMENTS, null, "_platform/retention-policy.json", 1, false);
    }

    private static void usage(List<ObjectOp> ops, List<SeedItem> items) {
        String[][] keys = {
                {ACME, "2026/10", "usage-001"}, {ACME, "2026/11", "usage-001"},
                {ACME, "2026/11", "usage-002"}, {ACME, "2026/11", "usage-003"},
                {GLOBEX, "2026/11", "usage-001"}, {GLOBEX, "2026/11", "usage-002"}};
        for (int i = 0; i < keys.length; i++) {
            String[] k = keys[i];
            String json = "{\"orgcode\":\"" + k[0] + "\",\"period\":\"" + k[1].replace('/', '-')
                    + "\",\"part\":\"" + k[2] + "\",\"api_calls\":" + (1000 + 137 * i)
                    + ",\"storage_bytes\":" + (5_000_000L + 750_000L * i) + ",\"orders\":"
                    + items.stream().filter(it -> it.table().equals(ORD_ORDERS) && k[0].equals(it.tenant())).count()
                    + "}\n";
            ops.add(new ObjectOp(EVT_USAGE, k[0], "orgcode=" + k[0] + "/" + k[1] + "/" + k[2] + ".json",
                    bytes(json), "application/json", at(Duration.ofDays(i))));
        }
        ops.add(new ObjectOp(EVT_USAGE, null, "platform/2026/11/rollup.json",
                bytes("{\"period\":\"2026-11\",\"tenants\":2}\n"), "application/json", at(Duration.ofDays(24))));
    }

    private static void protectedObjects(List<ObjectOp> ops) {
        ops.add(new ObjectOp(DOC_BUCKET, null, "index.html",
                bytes("<!doctype html><title>g3n retail stack docs</title>\n"), "text/html", at(Duration.ofDays(-90))));
        ops.add(new ObjectOp(DOC_BUCKET, null, "guides/offboarding.html",
                bytes("<!doctype html><title>Offboarding</title><p>How tenants leave.</p>\n"), "text/html",
                at(Duration.ofDays(-45))));
        ops.add(new ObjectOp(MCP_BUCKET, null, "manifest.json",
                bytes("{\"name\":\"g3n-mcp\",\"version\":\"1.4.0\"}\n"), "application/json", at(Duration.ofDays(-20))));
        ops.add(new ObjectOp(MCP_BUCKET, null, "tools/list.json",
                bytes("{\"tools\":[\"orders.search\",\"users.lookup\"]}\n"), "application/json", at(Duration.ofDays(-20))));
    }

    private static void backups(List<ObjectOp> ops, List<SeedItem> items) {
        // acme: 4 keys, 5 versions (the 2026-11-25 orders dump was re-run); globex: 2 keys, 2 versions
        ops.add(backup(ACME, "acme/dynamodb/ord_orders/2026-11-24.jsonl", dump(items, ORD_ORDERS, ACME, 20), 23));
        ops.add(backup(ACME, "acme/dynamodb/ord_orders/2026-11-25.jsonl", dump(items, ORD_ORDERS, ACME, 22), 24));
        ops.add(backup(ACME, "acme/dynamodb/ord_orders/2026-11-25.jsonl", dump(items, ORD_ORDERS, ACME, ACME_ORDERS), 24));
        ops.add(backup(ACME, "acme/dynamodb/uas_users/2026-11-25.jsonl", dump(items, UAS_USERS, ACME, 100), 24));
        ops.add(backup(ACME, "acme/dynamodb/evt_changelog/2026-11-25.jsonl", dump(items, EVT_CHANGELOG, ACME, 100), 24));
        ops.add(backup(GLOBEX, "globex/dynamodb/ord_orders/2026-11-25.jsonl", dump(items, ORD_ORDERS, GLOBEX, 100), 24));
        ops.add(backup(GLOBEX, "globex/dynamodb/uas_users/2026-11-25.jsonl", dump(items, UAS_USERS, GLOBEX, 100), 24));
        ops.add(new ObjectOp(BACKUP, null, BUCKETS_DONE_KEY,
                bytes("{\"tenants\":[\"acme\",\"globex\"],\"last_run\":\"2026-11-25\"}\n"), "application/json",
                at(Duration.ofDays(24))));
    }

    private static ObjectOp backup(String tenant, String key, String content, int day) {
        return new ObjectOp(BACKUP, tenant, key, bytes(content), "application/x-ndjson", at(Duration.ofDays(day)));
    }

    /** A tiny deterministic JSON-lines rendering of the first {@code limit} items of a tenant in a table. */
    private static String dump(List<SeedItem> items, String table, String tenant, int limit) {
        return items.stream()
                .filter(it -> it.table().equals(table) && tenant.equals(it.tenant()))
                .limit(limit)
                .map(it -> it.item().entrySet().stream()
                        .filter(e -> e.getValue().s() != null || e.getValue().n() != null)
                        .map(e -> "\"" + e.getKey() + "\":" + (e.getValue().s() != null
                                ? "\"" + e.getValue().s().replace("\"", "\\\"") + "\""
                                : e.getValue().n()))
                        .collect(Collectors.joining(",", "{", "}")))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static void putVersions(List<ObjectOp> ops, String bucket, String tenant, String key, int versions,
                                    boolean deletedLast) {
        for (int v = 1; v <= versions; v++) {
            ops.add(new ObjectOp(bucket, tenant, key, attachmentContent(key, v), contentType(key),
                    at(Duration.ofDays(ops.size() % 20).plusHours(v))));
        }
        if (deletedLast) {
            ops.add(new ObjectOp(bucket, tenant, key, null, null, at(Duration.ofDays(21))));
        }
    }

    private static byte[] attachmentContent(String key, int version) {
        if (key.endsWith(".jpg")) {
            byte[] data = new byte[20_000 + 1_000 * version];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) ((i * 31 + key.length() * 7 + version) & 0xff);
            }
            data[0] = (byte) 0xFF;
            data[1] = (byte) 0xD8;
            data[2] = (byte) 0xFF;
            return data;
        }
        StringBuilder text = new StringBuilder();
        if (key.endsWith(".pdf")) {
            text.append("%PDF-1.4\n");
        }
        text.append("% ").append(key).append(" version ").append(version).append('\n');
        for (int line = 0; line < 5 + 7 * version + key.length() % 5; line++) {
            text.append("line ").append(line).append(" of ").append(key).append('\n');
        }
        return bytes(text.toString());
    }

    private static String contentType(String key) {
        if (key.endsWith(".pdf")) {
            return "application/pdf";
        }
        if (key.endsWith(".jpg")) {
            return "image/jpeg";
        }
        if (key.endsWith(".json")) {
            return "application/json";
        }
        return "text/plain";
    }

    // ---- summary --------------------------------------------------------------------------------------------

    private static SeedSummary summarize(List<TableSpec> tables, List<BucketSpec> buckets, List<SeedItem> items,
                                         List<ObjectOp> objects) {
        Map<String, Map<String, Long>> itemCounts = tenantMap();
        Map<String, Long> platformItems = new LinkedHashMap<>();
        for (TableSpec table : tables) {
            for (SeedItem item : items) {
                if (!item.table().equals(table.name())) {
                    continue;
                }
                if (item.tenant() == null) {
                    platformItems.merge(table.name(), 1L, Long::sum);
                } else {
                    itemCounts.get(item.tenant()).merge(table.name(), 1L, Long::sum);
                }
            }
        }
        Map<String, Map<String, Long>> live = tenantMap();
        Map<String, Map<String, Long>> versions = tenantMap();
        Map<String, Map<String, Long>> liveBytes = tenantMap();
        Map<String, Map<String, Long>> versionBytes = tenantMap();
        Map<String, Long> platformVersions = new LinkedHashMap<>();
        for (BucketSpec bucket : buckets) {
            // key -> history of that key, in write order
            Map<String, List<ObjectOp>> history = new LinkedHashMap<>();
            for (ObjectOp op : objects) {
                if (op.bucket().equals(bucket.name())) {
                    history.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
                }
            }
            for (List<ObjectOp> ops : history.values()) {
                ObjectOp latest = ops.get(ops.size() - 1);
                // unversioned: a put replaces the object, a delete removes it (no marker)
                List<ObjectOp> stored = bucket.versioned() ? ops
                        : latest.isDeleteMarker() ? List.of() : List.of(latest);
                String tenant = latest.tenant();
                if (tenant == null) {
                    if (!stored.isEmpty()) {
                        platformVersions.merge(bucket.name(), (long) stored.size(), Long::sum);
                    }
                    continue;
                }
                versions.get(tenant).merge(bucket.name(), (long) stored.size(), Long::sum);
                versionBytes.get(tenant).merge(bucket.name(),
                        stored.stream().filter(o -> !o.isDeleteMarker()).mapToLong(o -> o.content().length).sum(),
                        Long::sum);
                live.get(tenant).merge(bucket.name(), latest.isDeleteMarker() ? 0L : 1L, Long::sum);
                liveBytes.get(tenant).merge(bucket.name(), latest.isDeleteMarker() ? 0L : latest.content().length,
                        Long::sum);
            }
        }
        return new SeedSummary(itemCounts, live, versions, liveBytes, versionBytes, platformItems, platformVersions);
    }

    private static Map<String, Map<String, Long>> tenantMap() {
        Map<String, Map<String, Long>> map = new LinkedHashMap<>();
        TENANTS.forEach(t -> map.put(t, new LinkedHashMap<>()));
        return map;
    }

    // ---- small helpers ----------------------------------------------------------------------------------------

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** DynamoDB normalises numbers (36.00 is stored and read back as 36): write them in that form already. */
    private static AttributeValue decimal(BigDecimal value) {
        return AttributeValue.fromN(value.stripTrailingZeros().toPlainString());
    }

    private static String at(Duration sinceBase) {
        return BASE.plus(sinceBase).toString();
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(bytes("offboard-demo/" + name)).toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes(text));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
