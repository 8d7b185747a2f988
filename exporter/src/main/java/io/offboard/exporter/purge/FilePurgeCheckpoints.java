package io.offboard.exporter.purge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Progress in {@code <dir>/<purgeId>.json}, replaced atomically (written to a temporary file, then moved over the
 * old one), so a crash mid-save leaves the previous progress readable.
 */
public final class FilePurgeCheckpoints implements PurgeCheckpoints {

    /** The id becomes a file name: no separators, no dot-dot. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

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
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, progress.purgeId(), ".tmp");
            try {
                Files.writeString(temp, progress.toJson(), StandardCharsets.UTF_8);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("saving purge progress " + progress.purgeId(), e);
        }
    }

    private Path file(String purgeId) {
        if (!SAFE_ID.matcher(purgeId).matches() || purgeId.contains("..")) {
            throw new IllegalArgumentException("purge id cannot name a file: " + purgeId);
        }
        return dir.resolve(purgeId + ".json");
    }
}
