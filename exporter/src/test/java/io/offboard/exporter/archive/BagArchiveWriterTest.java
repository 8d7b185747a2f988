package io.offboard.exporter.archive;

import static io.offboard.exporter.archive.ArchiveTestSupport.AS_OF;
import static io.offboard.exporter.archive.ArchiveTestSupport.BAG;
import static io.offboard.exporter.archive.ArchiveTestSupport.bagInfo;
import static io.offboard.exporter.archive.ArchiveTestSupport.run;
import static io.offboard.exporter.archive.ArchiveTestSupport.samplePayload;
import static io.offboard.exporter.archive.ArchiveTestSupport.sh;
import static io.offboard.exporter.archive.ArchiveTestSupport.writeFile;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import gov.loc.repository.bagit.domain.Bag;
import gov.loc.repository.bagit.reader.BagReader;
import gov.loc.repository.bagit.verify.BagVerifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BagArchiveWriterTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void bagIsReadByTarSha256sumAndTheBagItLibrary(Compression compression) throws Exception {
        SortedMap<String, byte[]> payload = samplePayload();
        Path archive = tmp.resolve("export" + compression.extension());
        ArchiveResult result = writeFile(archive, compression, 2, payload);

        // the result is what sha256sum and the file system see
        assertThat(result.bytes()).isEqualTo(Files.size(archive));
        assertThat(run(tmp, "sha256sum", archive.getFileName().toString()).output())
                .startsWith(result.sha256() + "  ");

        Path out = Files.createDirectory(tmp.resolve("x"));
        String extract = compression == Compression.GZIP
                ? "tar -xzf ../" + archive.getFileName()
                : "zstd -t -q ../" + archive.getFileName() + " && tar --zstd -xf ../" + archive.getFileName();
        assertThat(sh(out, extract)).isEqualTo(new ArchiveTestSupport.Result(0, ""));
        if (compression == Compression.GZIP) {
            assertThat(run(tmp, "gzip", "-t", archive.getFileName().toString()).exit()).isZero();
        }
        try (var listing = Files.list(out)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly(BAG);
        }
        Path bag = out.resolve(BAG);

        for (Map.Entry<String, byte[]> e : payload.entrySet()) {
            assertThat(bag.resolve("data").resolve(e.getKey())).hasBinaryContent(e.getValue());
        }
        try (var walk = Files.walk(bag)) {
            assertThat(walk.filter(Files::isRegularFile).count()).isEqualTo(payload.size() + 4);
        }
        ArchiveTestSupport.Result manifestCheck = run(bag, "sha256sum", "-c", "manifest-sha256.txt");
        assertThat(manifestCheck.exit()).as(manifestCheck.output()).isZero();
        assertThat(manifestCheck.output().lines().filter(l -> l.endsWith(": OK"))).hasSize(payload.size());
        ArchiveTestSupport.Result tagCheck = run(bag, "sha256sum", "-c", "tagmanifest-sha256.txt");
        assertThat(tagCheck.exit()).as(tagCheck.output()).isZero();
        assertThat(tagCheck.output().lines().filter(l -> l.endsWith(": OK"))).hasSize(3);

        assertThat(bag.resolve("bagit.txt")).hasContent("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8");
        long payloadBytes = payload.values().stream().mapToLong(b -> b.length).sum();
        assertThat(Files.readAllLines(bag.resolve("bag-info.txt"))).containsExactly(
                "Bagging-Date: 2026-03-01",
                "Offboard-Registry-Version: 2026.02.1",
                "Offboard-Snapshot-Time: 2026-03-01T12:34:56Z",
                "Payload-Oxum: " + payloadBytes + "." + payload.size(),
                "Source-Organization: acme");
        List<String> manifestPaths = new ArrayList<>();
        for (String line : Files.readAllLines(bag.resolve("manifest-sha256.txt"))) {
            manifestPaths.add(line.substring(66));
        }
        assertThat(manifestPaths).isSortedAccordingTo(BagArchiveWriter.PATH_ORDER).hasSize(payload.size());

        Bag read = new BagReader().read(bag);
        try (BagVerifier verifier = new BagVerifier()) {
            verifier.isValid(read, false); // throws on any problem
        }
        BagVerifier.quicklyVerify(read); // Payload-Oxum

        // fixed entry metadata, no directory entries, as seen by GNU tar
        String listing = sh(tmp, "TZ=UTC tar -tv --full-time -f " + archive.getFileName()
                + (compression == Compression.ZSTD ? " --zstd" : " -z")).output();
        assertThat(listing.lines()).hasSize(payload.size() + 4)
                .allSatisfy(l -> assertThat(l).startsWith("-rw-r--r-- 0/0").contains("2026-03-01 12:34:56"));
    }

    @Test
    void gzipIsOneMemberWithAValidTrailer() throws Exception {
        byte[] archive = bytes(Compression.GZIP, 2, samplePayload());
        assertThat(archive).startsWith(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3);
        Inflater inflater = new Inflater(true);
        inflater.setInput(archive, 10, archive.length - 10);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!inflater.finished()) {
            int n = inflater.inflate(buf);
            assertThat(n > 0 || !inflater.needsInput()).as("deflate stream ended early").isTrue();
            tar.write(buf, 0, n);
        }
        // exactly the 8-byte trailer after the one deflate stream: no second member
        assertThat(inflater.getRemaining()).isEqualTo(8);
        ByteBuffer trailer = ByteBuffer.wrap(archive, archive.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(tar.toByteArray());
        assertThat(trailer.getInt() & 0xffffffffL).isEqualTo(crc.getValue());
        assertThat(trailer.getInt()).isEqualTo(tar.size());
        // and the JDK reads the same tar
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(archive))) {
            assertThat(in.readAllBytes()).isEqualTo(tar.toByteArray());
        }
        assertThat(tar.size() % 10240).isZero();
    }

    @Test
    void sameInputsGiveByteIdenticalArchivesWhateverTheThreadCount() throws Exception {
        SortedMap<String, byte[]> payload = samplePayload();
        byte[] gzip1 = bytes(Compression.GZIP, 1, payload);
        byte[] gzip4 = bytes(Compression.GZIP, 4, payload);
        byte[] gzip4again = bytes(Compression.GZIP, 4, payload);
        assertThat(gzip4).isEqualTo(gzip1).isEqualTo(gzip4again);

        byte[] zstd1 = bytes(Compression.ZSTD, 1, payload);
        byte[] zstd4 = bytes(Compression.ZSTD, 4, payload);
        byte[] zstd2 = bytes(Compression.ZSTD, 2, payload);
        assertThat(zstd4).isEqualTo(zstd1).isEqualTo(zstd2);

        // nothing of the host leaks in (commons-compress would put user.name into pax headers)
        String user = System.getProperty("user.name");
        try {
            System.setProperty("user.name", "somebody-else");
            assertThat(bytes(Compression.GZIP, 2, payload)).isEqualTo(gzip1);
        } finally {
            System.setProperty("user.name", user);
        }

        // content delivered in odd-sized reads changes nothing either
        ByteArrayOutputStream trickled = new ByteArrayOutputStream();
        try (BagArchiveWriter writer = new BagArchiveWriter(trickled, Compression.ZSTD, BAG, AS_OF, 3)) {
            for (Map.Entry<String, byte[]> e : payload.entrySet()) {
                writer.addPayload(e.getKey(), e.getValue().length, new TrickleInputStream(e.getValue()));
            }
            writer.finish(bagInfo());
        }
        assertThat(trickled.toByteArray()).isEqualTo(zstd1);

        // and the result is computed over exactly what was written
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ArchiveResult result = ArchiveTestSupport.write(sink, Compression.GZIP, 3, payload, bagInfo());
        assertThat(result).isEqualTo(new ArchiveResult(ArchiveTestSupport.sha256(gzip1), gzip1.length));

        // a different as-of time is a different archive
        ByteArrayOutputStream later = new ByteArrayOutputStream();
        try (BagArchiveWriter writer = new BagArchiveWriter(later, Compression.GZIP, BAG, AS_OF.plusSeconds(1), 2)) {
            writer.finish(Map.of());
        }
        ByteArrayOutputStream now = new ByteArrayOutputStream();
        ArchiveTestSupport.write(now, Compression.GZIP, 2, new TreeMap<>(), Map.of());
        assertThat(later.toByteArray()).isNotEqualTo(now.toByteArray());
    }

    @Test
    void zstdIsOneChecksummedStreamTheJniReaderAccepts() throws Exception {
        byte[] archive = bytes(Compression.ZSTD, 2, samplePayload());
        // frame magic, and the frame header descriptor has the content-checksum flag (bit 2)
        assertThat(archive).startsWith(0x28, 0xb5, 0x2f, 0xfd);
        assertThat(archive[4] & 0x04).isEqualTo(0x04);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ZstdInputStream(new ByteArrayInputStream(archive)))) {
            List<String> names = new ArrayList<>();
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
                assertThat(e.getUserName()).isEmpty();
                assertThat(e.getGroupName()).isEmpty();
                assertThat(e.getMode()).isEqualTo(0100644);
            }
            assertThat(names).endsWith(BAG + "/bagit.txt", BAG + "/manifest-sha256.txt", BAG + "/bag-info.txt",
                    BAG + "/tagmanifest-sha256.txt");
            assertThat(names).allSatisfy(n -> assertThat(n).startsWith(BAG + "/"));
        }
    }

    @Test
    void emptyBagIsValid() throws Exception {
        Path archive = tmp.resolve("empty.tar.gz");
        writeFile(archive, Compression.GZIP, 2, new TreeMap<>());
        assertThat(run(tmp, "gzip", "-t", "empty.tar.gz").exit()).isZero();
        assertThat(sh(tmp, "tar -xzf empty.tar.gz && cd " + BAG + " && sha256sum -c tagmanifest-sha256.txt").exit())
                .isZero();
        assertThat(tmp.resolve(BAG).resolve("bag-info.txt")).content(UTF_8).contains("Payload-Oxum: 0.0");
    }

    @Test
    void misuseFailsClearly() throws Exception {
        try (BagArchiveWriter writer = new BagArchiveWriter(new ByteArrayOutputStream(), Compression.GZIP, BAG, AS_OF, 2)) {
            writer.addPayload("b/file.jsonl", 1, new ByteArrayInputStream(new byte[1]));
            assertThatThrownBy(() -> writer.addPayload("a.jsonl", 1, new ByteArrayInputStream(new byte[1])))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("strictly increasing");
            assertThatThrownBy(() -> writer.addPayload("b/file.jsonl", 1, new ByteArrayInputStream(new byte[1])))
                    .isInstanceOf(IllegalStateException.class);
            for (String bad : List.of("../etc/passwd", "/abs", "c/../../x", "c//x", "c/./x", "c/", "c\\x", "c\nx", "c/100%.txt", "")) {
                assertThatThrownBy(() -> writer.addPayload(bad, 0, InputStream.nullInputStream()))
                        .as(bad).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> writer.addPayload("b/file.jsonl/inner", 0, InputStream.nullInputStream()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("which is a file");
            writer.addPayload("c/ok", 0, InputStream.nullInputStream()); // still usable after rejected arguments
            assertThatThrownBy(() -> writer.finish(Map.of("Payload-Oxum", "1.1")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.finish(Map.of("Bad", "two\nlines")))
                    .isInstanceOf(IllegalArgumentException.class);
            writer.finish(Map.of());
            assertThatThrownBy(() -> writer.finish(Map.of())).isInstanceOf(IllegalStateException.class);
        }
        try (BagArchiveWriter writer = new BagArchiveWriter(new ByteArrayOutputStream(), Compression.ZSTD, BAG, AS_OF, 2)) {
            assertThatThrownBy(() -> writer.addPayload("short", 10, new ByteArrayInputStream(new byte[9])))
                    .isInstanceOf(IOException.class).hasMessageContaining("data/short").hasMessageContaining("9 of the 10");
            assertThatThrownBy(() -> writer.addPayload("x", 1, InputStream.nullInputStream()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("failed");
        }
        try (BagArchiveWriter writer = new BagArchiveWriter(new ByteArrayOutputStream(), Compression.GZIP, BAG, AS_OF, 2)) {
            assertThatThrownBy(() -> writer.addPayload("long", 10, new ByteArrayInputStream(new byte[11])))
                    .isInstanceOf(IOException.class).hasMessageContaining("longer than the 10 bytes");
        }
        assertThatThrownBy(() -> new BagArchiveWriter(new ByteArrayOutputStream(), Compression.GZIP, "a/b", AS_OF, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Compression.parse(" GZIP ")).isEqualTo(Compression.GZIP);
        assertThat(Compression.parse("zstd").extension()).isEqualTo(".tar.zst");
        assertThatThrownBy(() -> Compression.parse("bzip2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bzip2").hasMessageContaining("gzip or zstd");
    }

    @Test
    void abortedWriterStopsWritingAndFreesItsThreads() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        BagArchiveWriter writer = new BagArchiveWriter(sink, Compression.GZIP, BAG, AS_OF, 4);
        byte[] big = ArchiveTestSupport.jsonl(9, 2 << 20);
        writer.addPayload("a.jsonl", big.length, new ByteArrayInputStream(big));
        writer.close();
        int size = sink.size();
        assertThatThrownBy(() -> writer.finish(Map.of())).isInstanceOf(IllegalStateException.class);
        assertThat(sink.size()).isEqualTo(size);
        Thread.sleep(100);
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("gzip-") && t.isAlive())).isEmpty();
    }

    private static byte[] bytes(Compression compression, int threads, Map<String, byte[]> payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveTestSupport.write(out, compression, threads, payload, bagInfo());
        return out.toByteArray();
    }

    /** Returns at most 1..7777 bytes per read, varying. */
    private static final class TrickleInputStream extends InputStream {
        private final byte[] data;
        private int pos;
        private int step = 1;

        TrickleInputStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            step = step * 31 % 7777 + 1;
            int n = Math.min(Math.min(len, step), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
