package io.offboard.exporter.purge;

import io.offboard.exporter.storage.SafeNames;
import io.offboard.exporter.storage.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Progress in {@code <dir>/<purgeId>.json}, replaced atomically (written to a temporary file, then moved over the
 * old one), so a crash mid-save leaves the previous progress readable.
 */
public final class FilePurgeCheckpoints implements PurgeCheckpoints {

    /** The id becomes a file name: no separators, no dot-dot. */

    private final Path dir;

    public FilePurgeCheckpoints(Path dir) {
        this.dir = dir;
    }

    @Override
    public Optional<PurgeProgress> load(String purgeId) {
        try {
            return Optional.of(PurgeProgress.fromJson(Files.readString(file(purgeId), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading purge progress " + purgeId, e);
        }
    }

    @Override
    public void save(PurgeProgress progress) {
        Path target = file(progress.purgeId());
        try {
            AtomicFiles.write(target, progress.toJson().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("saving purge progress " + progress.purgeId(), e);
        }
    }

    private Path file(String purgeId) {
        if (!SafeNames.safe(purgeId)) {
            throw new IllegalArgumentException("purge id cannot name a file: " + purgeId);
        }
        return dir.resolve(purgeId + ".json");
    }
}
