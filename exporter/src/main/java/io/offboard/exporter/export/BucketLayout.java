package io.offboard.exporter.export;

import io.offboard.exporter.archive.JsonText;
import io.offboard.exporter.archive.ObjectPaths;
import io.offboard.exporter.archive.BagArchiveWriter;
import io.offboard.exporter.storage.LineSorter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Where every object of one bucket goes: {@link ObjectPaths#pathFor(String)} for each key, then, across the
 * bucket, a rank ({@link ObjectPaths#pathFor(String, int)}) for each file that would land on the same file as
 * another where case and Unicode normalisation are ignored ({@link ObjectPaths#fold}), or that would be a file
 * where other keys need a directory:
 * <ul>
 *   <li>a file whose folded path is also the folded path of a directory ({@code report} beside
 *       {@code report/2024.csv}, or {@code Report} beside {@code report/2024.csv}) gets ranks 1, 2, ... (in key
 *       order, when several);</li>
 *   <li>otherwise, of the files with the same folded path ({@code Report.csv}, {@code report.csv}) the first in
 *       key order keeps its path and the others get ranks 2, 3, ...</li>
 * </ul>
 * Everything else keeps its natural path. The placement depends only on the set of keys, and is returned sorted
 * in the bag's path order.
 *
 * <p>Memory does not grow with the number of objects: the folded paths (one line per key and per distinct
 * directory) and the placed objects are sorted on disk ({@link LineSorter}), and a group of colliding names is
 * processed as it streams past. Listing entries come in key order (S3's listing order); their position in it
 * stands for the key order wherever one is needed.
 */
final class BucketLayout implements Closeable {

    /** One object as listed. */
    record Listed(String key, String versionId, long size) {
    }

    /**
     * One object placed in the bag.
     *
     * @param path  relative to the bucket's directory
     * @param index the key's position in key order (0-based)
     */
    record Placed(String path, String key, String versionId, long size, long index) {
    }

    private final LineSorter byFold;
    private final LineSorter byPath;
    private long count;

    private BucketLayout(Path tmp, long budget) {
        this.byFold = new LineSorter(tmp, "fold", String::compareTo, budget);
        this.byPath = new LineSorter(tmp, "path", BagArchiveWriter.PATH_ORDER, budget);
    }

    /**
     * Places the listed objects (in key order, keys distinct).
     *
     * @param tmp    where the sort runs go
     * @param budget characters each sort holds in memory
     */
    static BucketLayout plan(Iterator<Listed> listing, Path tmp, long budget) throws IOException {
        BucketLayout layout = new BucketLayout(tmp, budget);
        try {
            layout.fold(listing);
            layout.rank();
        } catch (IOException | RuntimeException e) {
            layout.close();
            throw e;
        }
        return layout;
    }

    /** Line per file: {@code fold \t 1 \t index \t natural \t size \t version}; per directory: {@code fold \t 0}. */
    private void fold(Iterator<Listed> listing) throws IOException {
        List<String> previousDirs = new ArrayList<>();
        while (listing.hasNext()) {
            Listed object = listing.next();
            String natural = ObjectPaths.pathFor(object.key());
            byFold.add(foldKey(natural) + "\t1\t" + index(count++) + "\t" + natural + "\t" + object.size() + "\t"
                    + JsonText.quote(object.versionId()));
            // the directories of the path, each once for a run of keys that share it
            int depth = 0;
            for (int slash = natural.indexOf('/'); slash >= 0; slash = natural.indexOf('/', slash + 1), depth++) {
                String dir = natural.substring(0, slash);
                if (depth < previousDirs.size() && previousDirs.get(depth).equals(dir)) {
                    continue;
                }
                while (previousDirs.size() > depth) {
                    previousDirs.remove(previousDirs.size() - 1);
                }
                previousDirs.add(dir);
                byFold.add(foldKey(dir) + "\t0");
            }
            while (previousDirs.size() > depth) {
                previousDirs.remove(previousDirs.size() - 1);
            }
        }
    }

    /** Streams the folded paths in order; a group (same fold) has its directories first, then its files by key. */
    private void rank() throws IOException {
        Iterator<String> lines = byFold.sorted();
        String group = null;
        boolean directory = false;
        int files = 0;
        while (lines.hasNext()) {
            String line = lines.next();
            int tab = line.indexOf('\t');
            String fold = line.substring(0, tab);
            if (!fold.equals(group)) {
                group = fold;
                directory = false;
                files = 0;
            }
            if (line.charAt(tab + 1) == '0') {
                directory = true;
                continue;
            }
            String[] f = line.substring(tab + 3).split("\t", 4);
            String natural = f[1];
            int rank = directory ? files + 1 : files == 0 ? 0 : files + 1;
            files++;
            String path = rank == 0 ? natural : ObjectPaths.pathFor(ObjectPaths.keyFor(natural), rank);
            byPath.add(path + "\t" + f[0] + "\t" + natural + "\t" + f[2] + "\t" + f[3]);
        }
    }

    /** The placed objects in the bag's path order. */
    Iterator<Placed> placed() throws IOException {
        Iterator<String> lines = byPath.sorted();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public Placed next() {
                if (!lines.hasNext()) {
                    throw new NoSuchElementException();
                }
                String[] f = lines.next().split("\t", 5);
                return new Placed(f[0], ObjectPaths.keyFor(f[2]), JsonText.unquote(f[4]), Long.parseLong(f[3]),
                        Long.parseLong(f[1]));
            }
        };
    }

    @Override
    public void close() throws IOException {
        try {
            byFold.close();
        } finally {
            byPath.close();
        }
    }

    /** The fold, with anything that could break a line (none is expected) made harmless. */
    private static String foldKey(String path) {
        String fold = ObjectPaths.fold(path);
        for (int i = 0; i < fold.length(); i++) {
            if (fold.charAt(i) < 0x20) {
                StringBuilder safe = new StringBuilder(fold);
                for (int j = i; j < safe.length(); j++) {
                    if (safe.charAt(j) < 0x20) {
                        safe.setCharAt(j, '\uFFFD');
                    }
                }
                return safe.toString();
            }
        }
        return fold;
    }

    static String index(long i) {
        String digits = Long.toString(i);
        return "000000000000".substring(Math.min(12, digits.length())) + digits;
    }
}
