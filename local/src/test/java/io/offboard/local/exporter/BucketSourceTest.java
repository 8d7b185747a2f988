package io.offboard.local.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.source.BucketSource;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.support.SeededPlatform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link BucketSource} against the S3 server holding the seeded demo platform (versioned and unversioned). */
class BucketSourceTest {

    private static final Registry REGISTRY = Registry.bundled();
    @RegisterExtension
    static final SeededPlatform PLATFORM = new SeededPlatform();

    /** Every registry bucket, backups included. */
    static List<Registry.Bucket> buckets() {
        List<Registry.Bucket> buckets = new ArrayList<>();
        REGISTRY.services().forEach(s -> buckets.addAll(s.buckets()));
        buckets.addAll(REGISTRY.backups());
        return buckets;
    }

    static Stream<Arguments> tenantsAndBuckets() {
        return DemoPlatform.TENANTS.stream().flatMap(t -> buckets().stream().map(b -> Arguments.of(t, b.name())));
    }

    private static Registry.Bucket bucket(String name) {
        return buckets().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tenantsAndBuckets")
    void latestLiveVersionsOnlyInKeyOrder(String tenant, String bucketName) throws Exception {
        BucketSource source = new BucketSource(PLATFORM.stack().s3(), bucket(bucketName), tenant);
        List<BucketSource.ObjectEntry> latest;
        try (Stream<BucketSource.ObjectEntry> stream = source.listLatest()) {
            latest = stream.toList();
        }
        assertThat((long) latest.size()).isEqualTo(PLATFORM.seeded().objects(tenant, bucketName)).isPositive();
        assertThat(latest.stream().mapToLong(BucketSource.ObjectEntry::size).sum())
                .isEqualTo(PLATFORM.seeded().objectBytes(tenant, bucketName));
        List<String> keys = latest.stream().map(BucketSource.ObjectEntry::key).toList();
        assertThat(keys).isSorted().doesNotHaveDuplicates().allMatch(k -> k.startsWith(source.prefix()));

        // every version and delete marker: keys whose current version is a delete marker are not listed
        List<BucketSource.VersionEntry> versions = source.listAllVersions().toList();
        assertThat((long) versions.size()).isEqualTo(PLATFORM.seeded().versions(tenant, bucketName));
        Map<String, BucketSource.VersionEntry> current = versions.stream().filter(BucketSource.VersionEntry::latest)
                .collect(Collectors.toMap(BucketSource.VersionEntry::key, v -> v));
        assertThat(current.keySet()).containsAll(keys);
        Set<String> deleted = current.values().stream().filter(BucketSource.VersionEntry::deleteMarker)
                .map(BucketSource.VersionEntry::key).collect(Collectors.toSet());
        assertThat(keys).noneMatch(deleted::contains);
        assertThat(keys.size() + deleted.size()).isEqualTo(current.size());

        // content: the version listed, byte for byte, matching its size and ETag (MD5 of a single-part upload),
        // and equal to what a plain GET of the key returns
        for (BucketSource.ObjectEntry object : latest) {
            assertThat(current.get(object.key()).versionId()).isEqualTo(object.versionId());
            byte[] content = read(source.open(object));
            assertThat((long) content.length).isEqualTo(object.size());
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)))
                    .isEqualToIgnoringCase(object.eTag());
            byte[] plain = read(PLATFORM.stack().s3().getObject(b -> b.bucket(bucketName).key(object.key())));
            assertThat(content).isEqualTo(plain);
        }
    }

    @Test
    void deleteMarkedKeysAreLeftOutAndOlderVersionsStayReadable() throws Exception {
        BucketSource acme = new BucketSource(PLATFORM.stack().s3(), bucket(DemoPlatform.ORD_ATTACHMENTS), DemoPlatform.ACME);
        List<String> keys = acme.listLatest().map(BucketSource.ObjectEntry::key).toList();
        assertThat(keys).doesNotContain("acme/orders/ORD-00005/invoice.pdf", "acme/orders/ORD-00006/notes.txt")
                .contains("acme/orders/ORD-00003/packing-slip.txt");
        List<BucketSource.VersionEntry> slip = acme.listAllVersions()
                .filter(v -> v.key().equals("acme/orders/ORD-00003/packing-slip.txt")).toList();
        assertThat(slip).hasSize(3);
        assertThat(slip.get(0).latest()).isTrue();
        assertThat(slip.subList(1, 3)).noneMatch(BucketSource.VersionEntry::latest);
        for (BucketSource.VersionEntry version : slip) {
            String content = new String(read(acme.open(version.key(), version.versionId())), StandardCharsets.UTF_8);
            assertThat((long) content.getBytes(StandardCharsets.UTF_8).length).isEqualTo(version.size());
            assertThat(content).contains("packing-slip.txt version");
        }
        String newest = new String(read(acme.open(slip.get(0).key(), slip.get(0).versionId())), StandardCharsets.UTF_8);
        assertThat(newest).contains("version 3");
        assertThat(acme.listAllVersions().filter(BucketSource.VersionEntry::deleteMarker)
                .map(BucketSource.VersionEntry::key)).containsExactlyInAnyOrder(
                "acme/orders/ORD-00005/invoice.pdf", "acme/orders/ORD-00006/notes.txt");
    }

    @Test
    void anUnversionedBucketWorksToo() throws Exception {
        Registry.Bucket usage = bucket(DemoPlatform.EVT_USAGE);
        assertThat(PLATFORM.stack().s3().getBucketVersioning(b -> b.bucket(usage.name())).status()).isNull();
        BucketSource source = new BucketSource(PLATFORM.stack().s3(), usage, DemoPlatform.GLOBEX);
        assertThat(source.prefix()).isEqualTo("orgcode=globex/");
        List<BucketSource.ObjectEntry> latest = source.listLatest().toList();
        assertThat(latest).hasSize(2);
        for (BucketSource.ObjectEntry object : latest) {
            assertThat(new String(read(source.open(object)), StandardCharsets.UTF_8)).contains("\"orgcode\":\"globex\"");
        }
    }

    @Test
    void aListingResumesAfterAKey() {
        BucketSource acme = new BucketSource(PLATFORM.stack().s3(), bucket(DemoPlatform.ORD_ATTACHMENTS), DemoPlatform.ACME);
        List<String> all = acme.listLatest().map(BucketSource.ObjectEntry::key).toList();
        for (int i = 0; i < all.size(); i++) {
            assertThat(acme.listLatest(all.get(i)).map(BucketSource.ObjectEntry::key).toList())
                    .isEqualTo(all.subList(i + 1, all.size()));
        }
    }

    @Test
    void otherTenantsAndPlatformKeysAreNeverListed() {
        for (Registry.Bucket bucket : buckets()) {
            BucketSource acme = new BucketSource(PLATFORM.stack().s3(), bucket, DemoPlatform.ACME);
            assertThat(acme.listAllVersions()).allMatch(v -> v.key().startsWith(bucket.prefixFor(DemoPlatform.ACME)));
        }
    }
}
