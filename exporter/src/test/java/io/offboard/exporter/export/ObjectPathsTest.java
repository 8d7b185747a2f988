package io.offboard.exporter.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Map;
import io.offboard.exporter.archive.BagArchiveWriter;
import io.offboard.exporter.archive.Compression;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ObjectPathsTest {

    @Test
    void ordinaryKeysAreUnchanged() {
        assertThat(ObjectPaths.pathFor("acme/invoices/2026-11/inv 001.pdf")).isEqualTo("acme/invoices/2026-11/inv 001.pdf");
        assertThat(ObjectPaths.pathFor("orgcode=acme/usage-001.json")).isEqualTo("orgcode=acme/usage-001.json");
    }

    @Test
    void keysAFilePathCannotHoldAreEncoded() {
        assertThat(ObjectPaths.pathFor("acme/100%.txt")).isEqualTo("acme/100~25.txt");
        assertThat(ObjectPaths.pathFor("acme/folder/")).isEqualTo("acme/folder~2F");
        assertThat(ObjectPaths.pathFor("acme//x")).isEqualTo("acme/~2F/x");
        assertThat(ObjectPaths.pathFor("acme/../etc")).isEqualTo("acme/~2E~2E/etc");
        assertThat(ObjectPaths.pathFor("acme/a~b\\c")).isEqualTo("acme/a~7Eb~5Cc");
    }

    /** Whatever the key, the archive writer accepts its path. */
    @Property(tries = 300)
    void everyKeyBecomesAPathTheArchiveWriterAccepts(@ForAll String suffix) throws Exception {
        String key = "acme/" + suffix;
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (BagArchiveWriter writer = new BagArchiveWriter(sink, Compression.GZIP, "bag", Instant.EPOCH, 1)) {
            writer.addPayload("s3/" + ObjectPaths.pathFor(key), 1, new ByteArrayInputStream(new byte[] {1}));
            writer.finish(Map.of());
        }
        assertThat(sink.size()).isPositive();
    }
}
