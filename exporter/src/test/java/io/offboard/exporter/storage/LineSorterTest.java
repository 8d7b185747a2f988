package io.offboard.exporter.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The external sort behind the bucket layout and the key map: more runs than one merge takes, and its cleanup. */
class LineSorterTest {

    /** Enough lines for a run each to need two rounds of merging (more than {@link LineSorter#FAN_IN} runs). */
    private static List<String> lines(int count) {
        Random random = new Random(7);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(Long.toString(random.nextLong(), 36));
        }
        return lines;
    }

    private static long filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void moreRunsThanOneMergeTakesComeOutInOrderAndLeaveNoFile(@TempDir Path dir) throws IOException {
        List<String> input = lines(LineSorter.FAN_IN * 3);
        List<String> out = new ArrayList<>();
        try (LineSorter sorter = new LineSorter(dir, "t", String::compareTo, 1)) {
            for (String line : input) {
                sorter.add(line);
            }
            assertThat(filesIn(dir)).isEqualTo(input.size()); // one run per line at this budget
            sorter.sorted().forEachRemaining(out::add);
        }
        assertThat(out).isEqualTo(input.stream().sorted().toList());
        assertThat(filesIn(dir)).isZero();
    }

    @Test
    void anIntermediateMergeThatFailsLeavesNothingBehindOnceClosed(@TempDir Path dir) throws IOException {
        LineSorter sorter = new LineSorter(dir, "t", String::compareTo, 1);
        for (String line : lines(LineSorter.FAN_IN + 10)) {
            sorter.add(line);
        }
        // the runs vanish under it (a cleaner, a full disk's aftermath): the first merge of 64 cannot read them
        try (Stream<Path> runs = Files.list(dir)) {
            for (Path run : runs.toList()) {
                Files.delete(run);
            }
        }
        assertThatThrownBy(sorter::sorted).isInstanceOf(NoSuchFileException.class);
        sorter.close();
        assertThat(filesIn(dir)).as("the merge's own output file is deleted too").isZero();
    }

    @Test
    void withinTheBudgetNothingIsWrittenToDisk(@TempDir Path dir) throws IOException {
        try (LineSorter sorter = new LineSorter(dir, "t", String::compareTo)) {
            sorter.add("b");
            sorter.add("a");
            Iterator<String> sorted = sorter.sorted();
            assertThat(sorted).toIterable().containsExactly("a", "b");
        }
        assertThat(filesIn(dir)).isZero();
    }
}
