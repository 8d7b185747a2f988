package io.offboard.exporter.export;

import io.offboard.exporter.archive.ObjectPaths;
import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.exporter.archive.ArchiveVerifier;
import io.offboard.exporter.archive.BagArchiveWriter;
import io.offboard.exporter.archive.Compression;
import io.offboard.exporter.archive.VerificationReport;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-bucket part of the layout: keys that collide as paths get told apart, everything else stays put. */
class BucketLayoutTest {

    @TempDir
    Path tmp;

    @Test
    void aKeyThatIsAlsoAFolderAndKeysThatDifferOnlyInCaseOrNormalisationGetRanks() throws Exception {
        Map<String, String> placed = place(List.of(
                "t/REPORT.CSV", "t/Report.csv", "t/e\u0301.txt", "t/plain.txt", "t/report", "t/report.csv",
                "t/report/2024.csv", "t/Report/2025.csv", "t/\u00e9.txt"), 1 << 20);

        assertThat(placed).containsExactlyInAnyOrderEntriesOf(Map.of(
                "t/REPORT.CSV", "t/REPORT.CSV",            // the first of three names that differ only in case
                "t/Report.csv", "t/Report~~2.csv",
                "t/report.csv", "t/report~~3.csv",
                "t/report", "t/report~~1",                 // a file where others need a folder
                "t/report/2024.csv", "t/report/2024.csv",
                "t/Report/2025.csv", "t/Report/2025.csv",  // folders that differ in case merge harmlessly
                "t/e\u0301.txt", "t/e\u0301.txt",          // decomposed é sorts first
                "t/\u00e9.txt", "t/\u00e9~~2.txt",          // composed é: the same name on macOS
                "t/plain.txt", "t/plain.txt"));
        assertNoCollisions(placed);
    }

    @Test
    void placementsComeInTheBagsPathOrderAndDoNotDependOnTheMemoryBudget() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String name = switch (i % 5) {
                case 0 -> "dir" + (i % 37) + "/file-" + i + ".json";
                case 1 -> "dir" + (i % 37) + "/File-" + (i - 1) + ".json";  // case twin of the previous key
                case 2 -> "dir" + (i % 37);                                 // a file beside folders dir0..dir36
                case 3 -> "x~" + i + "%/a b/" + "long".repeat(i % 90);
                default -> "n/" + i;
            };
            keys.add("t/" + name);
        }
        List<String> sortedKeys = new ArrayList<>(new TreeSet<>(keys));
        sortedKeys.sort(BagArchiveWriter.PATH_ORDER);

        List<BucketLayout.Placed> inMemory = placeAll(sortedKeys, 1 << 24);
        // a few thousand characters a run: hundreds of runs, merged in two rounds
        List<BucketLayout.Placed> spilled = placeAll(sortedKeys, 4000);

        assertThat(spilled).isEqualTo(inMemory);
        List<String> paths = inMemory.stream().map(BucketLayout.Placed::path).toList();
        assertThat(paths).isSortedAccordingTo(BagArchiveWriter.PATH_ORDER).doesNotHaveDuplicates();
        Map<String, String> byKey = new LinkedHashMap<>();
        inMemory.forEach(p -> byKey.put(p.key(), p.path()));
        assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(sortedKeys);
        assertNoCollisions(byKey);
        assertThat(Files.list(tmp).count()).as("sort runs are deleted").isZero();
    }

    /** Any set of keys: every key placed once, paths give their key back, nothing collides, nothing needlessly moved. */
    @Property(tries = 200)
    void anySetOfKeysIsPlacedWithoutCollisions(@ForAll("keySets") Set<String> keySet) throws Exception {
        Path dir = Files.createTempDirectory("layout-");
        try {
            List<String> keys = new ArrayList<>(keySet);
            keys.sort(BagArchiveWriter.PATH_ORDER);
            Map<String, String> placed = new LinkedHashMap<>();
            // a small budget: a few runs on disk to merge
            try (BucketLayout layout = BucketLayout.plan(listed(keys), dir, 1500)) {
                for (Iterator<BucketLayout.Placed> it = layout.placed(); it.hasNext(); ) {
                    BucketLayout.Placed p = it.next();
                    assertThat(placed.put(p.key(), p.path())).isNull();
                    assertThat(p.index()).isEqualTo(keys.indexOf(p.key()));
                }
            }
            assertThat(placed.keySet()).containsExactlyInAnyOrderElementsOf(keys);
            assertNoCollisions(placed);
            Set<String> folds = new HashSet<>();
            Set<String> dirFolds = folders(keys.stream().map(ObjectPaths::pathFor).toList());
            Map<String, Integer> sameName = new HashMap<>();
            keys.forEach(k -> sameName.merge(ObjectPaths.fold(ObjectPaths.pathFor(k)), 1, Integer::sum));
            for (String key : keys) {
                String natural = ObjectPaths.pathFor(key);
                boolean alone = sameName.get(ObjectPaths.fold(natural)) == 1
                        && !dirFolds.contains(ObjectPaths.fold(natural));
                if (alone) {
                    assertThat(placed.get(key)).as("a key nothing collides with keeps its path").isEqualTo(natural);
                }
                folds.add(ObjectPaths.fold(placed.get(key)));
            }
        } finally {
            try (var files = Files.list(dir)) {
                assertThat(files.count()).isZero();
            }
            Files.delete(dir);
        }
    }

    /** The placed paths in a real tar: the writer takes them, the verifier finds no problem. */
    @Test
    void theWriterAndTheVerifierAcceptAPlacedBucket() throws Exception {
        List<String> keys = new ArrayList<>(List.of("t/report", "t/report/2024.csv", "t/Report.csv", "t/report.csv",
                "t/a//b", "t/../x", "t/folder/", "t/" + "x".repeat(300), "t/ctl\u0001", "t/\u00e9", "t/e\u0301"));
        keys.sort(BagArchiveWriter.PATH_ORDER);
        Path archive = tmp.resolve("bag.tar.gz");
        try (OutputStream out = Files.newOutputStream(archive);
             BagArchiveWriter writer = new BagArchiveWriter(out, Compression.GZIP, "bag", Instant.EPOCH, 1)) {
            for (BucketLayout.Placed p : placeAll(keys, 1 << 20)) {
                byte[] content = p.key().getBytes(StandardCharsets.UTF_8);
                writer.addPayload("svc/s3/bkt/" + p.path(), content.length, new ByteArrayInputStream(content));
            }
            writer.finish(Map.of());
        }
        VerificationReport report = ArchiveVerifier.verify(archive);
        assertThat(report.problems()).isEmpty();
        assertThat(report.payloadFiles()).isEqualTo(keys.size());
    }

    private Map<String, String> place(List<String> keys, long budget) throws Exception {
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(BagArchiveWriter.PATH_ORDER);
        Map<String, String> placed = new LinkedHashMap<>();
        placeAll(sorted, budget).forEach(p -> placed.put(p.key(), p.path()));
        return placed;
    }

    private List<BucketLayout.Placed> placeAll(List<String> sortedKeys, long budget) throws Exception {
        List<BucketLayout.Placed> placed = new ArrayList<>();
        try (BucketLayout layout = BucketLayout.plan(listed(sortedKeys), tmp, budget)) {
            layout.placed().forEachRemaining(placed::add);
        }
        return placed;
    }

    private static Iterator<BucketLayout.Listed> listed(List<String> keys) {
        return keys.stream().map(k -> new BucketLayout.Listed(k, k.length() % 2 == 0 ? null : "v-" + k.length(),
                k.length())).iterator();
    }

    /** No two files the same where case and normalisation are ignored; no file where a folder is needed. */
    private static void assertNoCollisions(Map<String, String> placed) {
        Map<String, String> files = new HashMap<>();
        Set<String> dirs = folders(placed.values());
        for (Map.Entry<String, String> e : placed.entrySet()) {
            String fold = ObjectPaths.fold(e.getValue());
            String other = files.put(fold, e.getKey());
            assertThat(other).as("%s and %s land on the same file", e.getKey(), other).isNull();
            assertThat(dirs).as("%s is a file where a folder is needed", e.getValue()).doesNotContain(fold);
            assertThat(ObjectPaths.keyFor(e.getValue())).isEqualTo(e.getKey());
        }
    }

    /** Every folder {@code paths} need (each part of a path before a '/'), folded as {@link ObjectPaths#fold}. */
    private static Set<String> folders(Collection<String> paths) {
        Set<String> folders = new HashSet<>();
        for (String path : paths) {
            for (int s = path.indexOf('/'); s >= 0; s = path.indexOf('/', s + 1)) {
                folders.add(ObjectPaths.fold(path.substring(0, s)));
            }
        }
        return folders;
    }

    @Provide
    Arbitrary<Set<String>> keySets() {
        Arbitrary<String> key = Arbitraries.strings()
                .withChars('a', 'A', 'b', '/', '/', '.', '~', 'é', '\u0301', 'e', 'E', 'K', '\u212A', '\n')
                .ofMinLength(1).ofMaxLength(10);
        return key.set().ofMinSize(1).ofMaxSize(40);
    }
}
