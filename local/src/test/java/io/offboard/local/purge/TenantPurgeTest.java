package io.offboard.local.purge;

import static io.offboard.local.platform.DemoPlatform.ACME;
import static io.offboard.local.platform.DemoPlatform.ADMIN_CONFIG;
import static io.offboard.local.platform.DemoPlatform.BACKUP;
import static io.offboard.local.platform.DemoPlatform.DOC_BUCKET;
import static io.offboard.local.platform.DemoPlatform.GLOBEX;
import static io.offboard.local.platform.DemoPlatform.MCP_BUCKET;
import static io.offboard.local.platform.DemoPlatform.OPS_MAIN;
import static io.offboard.local.platform.DemoPlatform.ORD_ATTACHMENTS;
import static io.offboard.local.platform.DemoPlatform.ORD_ORDERS;
import static io.offboard.local.platform.DemoPlatform.PLATFORM_ACCESS;
import static io.offboard.local.platform.DemoPlatform.UAS_ORGS;
import static io.offboard.local.platform.DemoPlatform.USM_SESSIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.offboard.exporter.purge.InMemoryPurgeCheckpoints;
import io.offboard.exporter.purge.ProtectedResourceException;
import io.offboard.exporter.purge.PurgeCounts;
import io.offboard.exporter.purge.PurgePlan;
import io.offboard.exporter.purge.PurgeReport;
import io.offboard.exporter.purge.PurgeRequest;
import io.offboard.exporter.purge.TenantPurge;
import io.offboard.exporter.purge.Tier;
import io.offboard.exporter.registry.Registry;
import io.offboard.local.platform.DemoPlatform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.core.exception.SdkClientException;

/** {@link TenantPurge} on the embedded DynamoDB Local and S3 server holding the seeded demo platform. */
class TenantPurgeTest {

    private static final List<String> PROTECTED_TABLES = List.of(OPS_MAIN, ADMIN_CONFIG);
    private static final List<String> PROTECTED_BUCKETS = List.of(DOC_BUCKET, MCP_BUCKET);

    @Test
    void purgingAcmeDeletesItsDataInEveryTierAndLeavesEverythingElseAsItWas() {
        try (PurgeFixture fixture = PurgeFixture.start()) {
            DynamoDbClient dynamo = fixture.stack.dynamo();
            S3Client s3 = fixture.stack.s3();
            Map<String, List<String>> protectedBefore = protectedSnapshot(fixture);
            Map<String, PurgeFixture.Expected> expected = fixture.expected(ACME);
            // the versioned buckets really hold delete markers under acme's prefix, the thing most easily missed
            assertThat(PlatformReads.deleteMarkers(s3, ORD_ATTACHMENTS, "acme/")).isPositive();
            List<String> events = new ArrayList<>();
            TenantPurge purge = fixture.purge(new InMemoryPurgeCheckpoints())
                    .listener((source, counts, done) -> events.add(source + (done ? " done " : " ") + counts.entries()))
                    .build();
            PurgeRequest request = PurgeFixture.request("purge-acme", ACME);

            // dry run: the seeded figures, and nothing deleted
            PurgePlan plan = purge.plan(request);
            // registry order, the tenant directory last
            List<String> order = new ArrayList<>(expected.keySet());
            order.remove("dynamodb:" + UAS_ORGS);
            order.add("dynamodb:" + UAS_ORGS);
            assertThat(plan.sources()).extracting(PurgePlan.PlannedSource::source).containsExactlyElementsOf(order);
            Map<String, PurgeFixture.Expected> planned = new LinkedHashMap<>();
            plan.sources().forEach(s -> planned.put(s.source(), PurgeFixture.Expected.of(s.counts())));
            assertThat(planned).isEqualTo(expected);
            assertThat(plan.counts("s3:" + ORD_ATTACHMENTS + "/acme/").objects()).isPositive();
            assertTenantIntact(fixture, ACME);
            assertThat(events).anyMatch(e -> e.startsWith("dynamodb:evt_changelog done 40"));

            events.clear();
            PurgeReport report = purge.run(request);

            assertThat(report.passed()).as(report.toJson()).isTrue();
            assertThat(report.residuals()).isZero();
            assertThat(report.verifiedAt()).isEqualTo(PurgeFixture.CLOCK.instant());
            assertThat(report.registryVersion()).isEqualTo(PurgeFixture.REGISTRY.version());
            // what the run deleted is exactly what the dry run counted, source by source
            for (PurgePlan.PlannedSource source : plan.sources()) {
                assertThat(report.source(source.source()).deleted()).as(source.source()).isEqualTo(source.counts());
            }
            assertThat(report.deleted()).isEqualTo(plan.total());
            assertThat(report.byServiceAndTier()).extracting(s -> s.service() + "/" + s.tier().label())
                    .containsExactly("uas/tenant", "ord/tenant", "evt/tenant", "backups/backup",
                            "exports/export archives");
            assertThat(report.byServiceAndTier()).allSatisfy(s -> assertThat(s.deleted().entries()).isPositive());
            assertThat(PurgeReport.fromJson(report.toJson())).isEqualTo(report);
            // progress was shown batch by batch and every source finished
            assertThat(events).filteredOn(e -> e.contains(" done ")).hasSize(plan.sources().size());

            // independent raw reads: nothing of acme's in any tier ...
            for (Registry.Service service : PurgeFixture.REGISTRY.services()) {
                for (Registry.Table table : service.tables()) {
                    assertThat(PlatformReads.items(dynamo, table.name(), ACME)).as(table.name()).isZero();
                }
            }
            for (String bucket : PlatformReads.TENANT_PREFIX.keySet()) {
                String prefix = String.format(PlatformReads.TENANT_PREFIX.get(bucket), ACME);
                assertThat(PlatformReads.versions(s3, bucket, prefix)).as(bucket + " versions and markers").isZero();
            }
            assertThat(PlatformReads.versions(s3, PurgeFixture.EXPORTS_BUCKET, "exports/acme/")).isZero();
            // ... no unfinished multipart upload either (their parts are data no version listing shows) ...
            for (String bucket : List.of(ORD_ATTACHMENTS, BACKUP, PurgeFixture.EXPORTS_BUCKET)) {
                String prefix = bucket.equals(PurgeFixture.EXPORTS_BUCKET) ? "exports/acme/" : "acme/";
                assertThat(PlatformReads.uploads(s3, bucket, prefix)).as(bucket + " unfinished uploads").isZero();
            }
            assertThat(report.source("s3:" + ORD_ATTACHMENTS + "/acme/").deleted().uploads()).isEqualTo(4);
            assertThat(report.source("s3:" + BACKUP + "/acme/").deleted().uploads()).isEqualTo(1);
            assertThat(report.source("s3:" + PurgeFixture.EXPORTS_BUCKET + "/exports/acme/").deleted().uploads())
                    .isEqualTo(1);
            assertThat(PlatformReads.uploads(s3, ORD_ATTACHMENTS, PurgeFixture.UNRELATED_UPLOAD_KEY))
                    .as("an upload outside the tenant's prefix").isEqualTo(1);
            // ... except what the registry excludes on purpose (sessions expire; the access record stays)
            assertThat(PlatformReads.items(dynamo, USM_SESSIONS, ACME)).isEqualTo(fixture.seeded.items(ACME, USM_SESSIONS));
            assertThat(PlatformReads.items(dynamo, PLATFORM_ACCESS, ACME))
                    .isEqualTo(fixture.seeded.items(ACME, PLATFORM_ACCESS));
            // ... globex and the platform's own data untouched, protected resources byte for byte
            assertTenantIntact(fixture, GLOBEX);
            assertPlatformIntact(fixture);
            assertThat(protectedSnapshot(fixture)).isEqualTo(protectedBefore);

            // a second run of the same purge has nothing left to do and reports the same
            assertThat(purge.run(request)).isEqualTo(report);
            // a new dry run finds nothing
            assertThat(purge.plan(new PurgeRequest("any", ACME, request.extraLocations())).total())
                    .isEqualTo(PurgeCounts.ZERO);

            // residuals written back after the purge fail the verification and are named
            dynamo.putItem(b -> b.tableName(ORD_ORDERS).item(Map.of(
                    "orgcode", AttributeValue.fromS(ACME), "order_id", AttributeValue.fromS("ORD-09999"))));
            s3.putObject(b -> b.bucket(BACKUP).key("acme/late/restore.jsonl"), RequestBody.fromString("{}\n"));
            String lateUpload = PurgeFixture.startUpload(s3, PurgeFixture.EXPORTS_BUCKET, "exports/acme/exp-10/a.tar.gz");
            PurgeReport failed = purge.verify(request);
            assertThat(failed.passed()).isFalse();
            assertThat(failed.residuals()).isEqualTo(3);
            assertThat(failed.source("s3:" + PurgeFixture.EXPORTS_BUCKET + "/exports/acme/").residualSamples())
                    .containsExactly("exports/acme/exp-10/a.tar.gz (unfinished upload " + lateUpload + ")");
            assertThat(failed.source("dynamodb:" + ORD_ORDERS).residualSamples())
                    .containsExactly("{orgcode=acme, order_id=ORD-09999}");
            assertThat(failed.source("s3:" + BACKUP + "/acme/").residualSamples())
                    .singleElement().asString().startsWith("acme/late/restore.jsonl (version ");
            assertThat(failed.byServiceAndTier()).filteredOn(s -> s.tier() == Tier.BACKUP)
                    .singleElement().satisfies(s -> assertThat(s.residuals()).isEqualTo(1));
            // the deleted counts still come from the stored progress
            assertThat(failed.deleted()).isEqualTo(report.deleted());
        }
    }

    @Test
    void anUnfinishedUploadWhoseKeyHoldsAControlCharacterIsAbortedAndVerifiedGone() {
        try (PurgeFixture fixture = PurgeFixture.start()) {
            S3Client s3 = fixture.stack.s3();
            // XML 1.0 cannot carry U+0007: only a URL-encoded listing can name this upload. The embedded server
            // echoes the key raw in its answer to the start, which the SDK cannot parse; the upload exists all the same
            try {
                s3.createMultipartUpload(b -> b.bucket(ORD_ATTACHMENTS).key("acme/odd/bell\u0007.bin"));
            } catch (SdkClientException unparsableAnswer) {
                // expected from this server
            }
            assertThat(s3.listMultipartUploadsPaginator(b -> b.bucket(ORD_ATTACHMENTS).prefix("acme/odd/")
                    .encodingType(EncodingType.URL)).uploads()).extracting(MultipartUpload::key)
                    .containsExactly("acme/odd/bell\u0007.bin");

            PurgeReport report = fixture.purge(new InMemoryPurgeCheckpoints()).build()
                    .run(PurgeFixture.request("purge-odd-upload", ACME));

            assertThat(report.passed()).isTrue();
            assertThat(report.source("s3:" + ORD_ATTACHMENTS + "/acme/").deleted().uploads())
                    .isEqualTo(PurgeFixture.uploads(ACME, ORD_ATTACHMENTS) + 1);
            assertThat(s3.listMultipartUploadsPaginator(b -> b.bucket(ORD_ATTACHMENTS).prefix("acme/")
                    .encodingType(EncodingType.URL)).uploads().stream().count()).isZero();
        }
    }

    @Test
    void anItemWrittenBackDuringThePurgeIsReportedAsAResidual() {
        try (PurgeFixture fixture = PurgeFixture.start()) {
            DynamoDbClient dynamo = fixture.stack.dynamo();
            // the tenant directory goes last; by then ord_orders is done, and a late writer puts an order back
            TenantPurge purge = fixture.purge(new InMemoryPurgeCheckpoints())
                    .listener((source, counts, done) -> {
                        if (source.equals("dynamodb:" + UAS_ORGS) && !done) {
                            dynamo.putItem(b -> b.tableName(ORD_ORDERS).item(Map.of(
                                    "orgcode", AttributeValue.fromS(ACME),
                                    "order_id", AttributeValue.fromS("ORD-00003"),
                                    "status", AttributeValue.fromS("placed"))));
                        }
                    })
                    .build();
            PurgeReport report = purge.run(PurgeFixture.request("purge-late", ACME));
            assertThat(report.passed()).isFalse();
            assertThat(report.residuals()).isEqualTo(1);
            PurgeReport.SourceResult orders = report.source("dynamodb:" + ORD_ORDERS);
            assertThat(orders.residuals()).isEqualTo(1);
            assertThat(orders.residualSamples()).containsExactly("{orgcode=acme, order_id=ORD-00003}");
            assertThat(orders.deleted().items()).isEqualTo(fixture.seeded.items(ACME, ORD_ORDERS));
            assertThat(report.sources()).filteredOn(s -> s != orders).allSatisfy(s -> assertThat(s.residuals()).isZero());
        }
    }

    @Test
    void aRegistryNamingAProtectedResourceIsRefusedBeforeAnythingIsTouched() {
        try (PurgeFixture fixture = PurgeFixture.start()) {
            Registry bundled = PurgeFixture.REGISTRY;
            List<Registry.Service> services = new ArrayList<>(bundled.services());
            services.add(new Registry.Service("ops", "operations", List.of(
                    new Registry.Table(OPS_MAIN, Registry.FindBy.SCAN, null, null, "orgcode")),
                    List.of(new Registry.Bucket(DOC_BUCKET, "{orgcode}/"))));
            Registry unsafe = new Registry(bundled.version(), bundled.tenantDirectory(), bundled.accessTable(), services,
                    bundled.backups(), bundled.exclusions(), bundled.protectedResources());
            Map<String, List<String>> protectedBefore = protectedSnapshot(fixture);
            InMemoryPurgeCheckpoints checkpoints = new InMemoryPurgeCheckpoints();
            TenantPurge purge = fixture.purge(checkpoints).registry(unsafe).build();
            PurgeRequest request = PurgeFixture.request("purge-unsafe", ACME);

            assertThatThrownBy(() -> purge.run(request)).isInstanceOfSatisfying(ProtectedResourceException.class,
                    e -> assertThat(e.resources()).containsExactly(OPS_MAIN, DOC_BUCKET));
            assertThatThrownBy(() -> purge.plan(request)).isInstanceOf(ProtectedResourceException.class);
            assertThatThrownBy(() -> purge.verify(request)).isInstanceOf(ProtectedResourceException.class);

            assertThat(checkpoints.size()).as("no progress: nothing started").isZero();
            assertTenantIntact(fixture, ACME);
            assertTenantIntact(fixture, GLOBEX);
            assertThat(protectedSnapshot(fixture)).isEqualTo(protectedBefore);
        }
    }

    private static Map<String, List<String>> protectedSnapshot(PurgeFixture fixture) {
        Map<String, List<String>> snapshot = new LinkedHashMap<>();
        for (String table : PROTECTED_TABLES) {
            snapshot.put(table, PlatformReads.snapshot(fixture.stack.dynamo(), table));
        }
        for (String bucket : PROTECTED_BUCKETS) {
            snapshot.put(bucket, PlatformReads.snapshot(fixture.stack.s3(), bucket));
        }
        assertThat(snapshot.values()).allSatisfy(content -> assertThat(content).isNotEmpty());
        return snapshot;
    }

    /** Every item and version of the tenant is where the seed put it (raw reads). */
    static void assertTenantIntact(PurgeFixture fixture, String tenant) {
        for (String table : PlatformReads.TENANT_ATTRIBUTE.keySet()) {
            assertThat(PlatformReads.items(fixture.stack.dynamo(), table, tenant)).as(tenant + " " + table)
                    .isEqualTo(fixture.seeded.items(tenant, table)).isPositive();
        }
        for (String bucket : PlatformReads.TENANT_PREFIX.keySet()) {
            String prefix = String.format(PlatformReads.TENANT_PREFIX.get(bucket), tenant);
            assertThat(PlatformReads.versions(fixture.stack.s3(), bucket, prefix)).as(tenant + " " + bucket)
                    .isEqualTo(fixture.seeded.versions(tenant, bucket)).isPositive();
        }
        assertThat(PlatformReads.versions(fixture.stack.s3(), PurgeFixture.EXPORTS_BUCKET,
                PurgeFixture.exportsPrefix(tenant))).isEqualTo(PurgeFixture.archives(tenant));
        for (String bucket : List.of(DemoPlatform.ORD_ATTACHMENTS, BACKUP, PurgeFixture.EXPORTS_BUCKET)) {
            String prefix = bucket.equals(PurgeFixture.EXPORTS_BUCKET) ? PurgeFixture.exportsPrefix(tenant) : tenant + "/";
            assertThat(PlatformReads.uploads(fixture.stack.s3(), bucket, prefix)).as(tenant + " uploads in " + bucket)
                    .isEqualTo(PurgeFixture.uploads(tenant, bucket));
        }
    }

    /** Items and versions that belong to no tenant are all there. */
    static void assertPlatformIntact(PurgeFixture fixture) {
        fixture.seeded.platformItems().forEach((table, count) -> {
            long found = PlatformReads.TENANT_ATTRIBUTE.containsKey(table)
                    ? PlatformReads.items(fixture.stack.dynamo(), table, null)
                    : PlatformReads.scan(fixture.stack.dynamo(), table).size();
            assertThat(found).as("platform items of " + table).isEqualTo(count);
        });
        fixture.seeded.platformObjectVersions().forEach((bucket, count) -> assertThat(
                PlatformReads.platformVersions(fixture.stack.s3(), bucket, DemoPlatform.TENANTS))
                .as("platform versions of " + bucket).isEqualTo(count));
    }
}
