package io.offboard.exporter.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Sorts more lines than memory should hold: lines are collected up to a budget of characters, sorted and written
 * to a run file in {@code dir}; {@link #sorted()} merges the runs (at most {@value #FAN_IN} at a time). Memory is
 * the budget plus one buffer per run being merged, whatever the number of lines. With a total order (or equal
 * lines indistinguishable) the result does not depend on the budget.
 *
 * <p>A line may not contain {@code \n} or {@code \r}; it must be well-formed UTF-16 (it is written as UTF-8).
 * {@link #close()} deletes the run files.
 */
public final class LineSorter implements Closeable {

    /** Runs merged at once. */
    static final int FAN_IN = 64;
    /** The default budget: 4 Mi characters (8 MiB of text plus the strings' headers). */
    public static final long DEFAULT_BUDGET = 4L << 20;

    private final Path dir;
    private final String name;
    private final Comparator<String> order;
    private final long budget;
    private final List<String> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private final List<Closeable> open = new ArrayList<>();
    private long buffered;
    private boolean sorting;

    /**
     * @param dir    where the run files go (created if missing)
     * @param name   prefix of the run files' names
     * @param budget characters held in memory before a run is written
     */
    public LineSorter(Path dir, String name, Comparator<String> order, long budget) {
        this.dir = dir;
        this.name = name;
        this.order = order;
        this.budget = Math.max(1, budget);
    }

    public LineSorter(Path dir, String name, Comparator<String> order) {
        this(dir, name, order, DEFAULT_BUDGET);
    }

    public void add(String line) throws IOException {
        if (sorting) {
            throw new IllegalStateException("lines added after sorted()");
        }
        buffer.add(line);
        // 40: the String and array headers and the list slot, in characters' worth
        buffered += line.length() + 40;
        if (buffered >= budget) {
            spill();
        }
    }

    /** Every line added, in order. Ends the adding; the iterator's I/O errors come as {@link UncheckedIOException}. */
    public Iterator<String> sorted() throws IOException {
        sorting = true;
        if (runs.isEmpty()) {
            buffer.sort(order);
            return buffer.iterator();
        }
        if (!buffer.isEmpty()) {
            spill();
        }
        while (runs.size() > FAN_IN) {
            List<Path> group = new ArrayList<>(runs.subList(0, FAN_IN));
            Path merged = Files.createTempFile(dir, name + "-", ".run");
            // listed before it is written and the group dropped only once it is: whatever fails (a full disk),
            // close() still knows every file to delete, and the readers are closed
            runs.add(merged);
            try (Merge merge = new Merge(group); BufferedWriter out = Files.newBufferedWriter(merged, UTF_8)) {
                while (merge.hasNext()) {
                    out.write(merge.next());
                    out.write('\n');
                }
            }
            runs.subList(0, FAN_IN).clear();
            for (Path p : group) {
                Files.deleteIfExists(p);
            }
        }
        Merge merge = new Merge(runs);
        open.add(merge);
        return merge;
    }

    private void spill() throws IOException {
        buffer.sort(order);
        Files.createDirectories(dir);
        Path run = Files.createTempFile(dir, name + "-", ".run");
        runs.add(run);
        try (BufferedWriter out = Files.newBufferedWriter(run, UTF_8)) {
            for (String line : buffer) {
                out.write(line);
                out.write('\n');
            }
        }
        buffer.clear();
        buffered = 0;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Closeable c : open) {
            try {
                c.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        for (Path run : runs) {
            try {
                Files.deleteIfExists(run);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        runs.clear();
        buffer.clear();
        if (first != null) {
            throw first;
        }
    }

    /** k-way merge of sorted run files; among equal lines the earlier run's comes first. */
    private final class Merge implements Iterator<String>, Closeable {
        private record Head(String line, int run, BufferedReader reader) {
        }

        private final PriorityQueue<Head> heads;
        private final List<BufferedReader> readers = new ArrayList<>();

        Merge(List<Path> files) throws IOException {
            heads = new PriorityQueue<>(Math.max(1, files.size()),
                    Comparator.comparing(Head::line, order).thenComparingInt(Head::run));
            try {
                for (int i = 0; i < files.size(); i++) {
                    BufferedReader reader = Files.newBufferedReader(files.get(i), UTF_8);
                    readers.add(reader);
                    String line = reader.readLine();
                    if (line != null) {
                        heads.add(new Head(line, i, reader));
                    }
                }
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public String next() {
            Head head = heads.poll();
            if (head == null) {
                throw new NoSuchElementException();
            }
            try {
                String line = head.reader().readLine();
                if (line != null) {
                    heads.add(new Head(line, head.run(), head.reader()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return head.line();
        }

        @Override
        public void close() throws IOException {
            for (BufferedReader r : readers) {
                r.close();
            }
            readers.clear();
        }
    }
}
