package io.offboard.exporter.export;

import io.offboard.exporter.storage.SafeNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The work directories of the exports run on this host: {@code <root>/<export id>/}, each holding the spool (the
 * tenant's rows and objects as read from the platform), its checkpoint and the archive upload's checkpoint. They are
 * tenant data on local disk, so they go as soon as nobody will resume them: when the export ends (done or failed),
 * and, for what a dead worker left, once its export is no longer running anywhere or its tenant is purged.
 */
public final class ExportWorkDirs {

    /** The id names a directory: no separators, no dot-dot. */

    private final Path root;

    public ExportWorkDirs(Path root) {
        this.root = root;
    }

    /** The root configured ({@code OFFBOARD_EXPORT_WORK_DIR}), or {@code $TMPDIR/offboard-exports} when blank. */
    public static ExportWorkDirs at(String configured) {
        return new ExportWorkDirs(configured == null || configured.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "offboard-exports")
                : Path.of(configured));
    }

    public Path root() {
        return root;
    }

    /** The work directory of one export (not created). */
    public Path of(String exportId) {
        if (!SafeNames.safe(exportId)) {
            throw new IllegalArgumentException("export id cannot name a directory: " + exportId);
        }
        return root.resolve(exportId);
    }

    /** The export ids that have a work directory here, sorted; none when the root does not exist. */
    public List<String> present() {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (SafeNames.safe(name)) {
                    ids.add(name);
                }
            }
        } catch (NoSuchFileException noRoot) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("listing the export work directories in " + root, e);
        }
        ids.sort(null);
        return ids;
    }

    /** Deletes the work directory of {@code exportId} and everything in it; false when there was none. */
    public boolean discard(String exportId) throws IOException {
        return deleteTree(of(exportId));
    }

    /**
     * Deletes {@code dir} and everything in it; false when it did not exist. Something deleted meanwhile by another
     * thread or process (two clean-ups of the same directory) is not an error.
     */
    public static boolean deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return false;
        }
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return true;
            } catch (NoSuchFileException goneMeanwhile) {
                return true;
            } catch (UncheckedIOException e) {
                // an entry vanished while the tree was walked: someone else is deleting it too; walk what is left
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 3) {
                    throw e.getCause();
                }
            }
        }
    }
}
