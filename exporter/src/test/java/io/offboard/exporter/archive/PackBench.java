package io.offboard.exporter.archive;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Packs every file under a directory as the payload of one bag with {@link BagArchiveWriter}, as an export does
 * (sorted paths, per-file SHA-256, archive SHA-256 and size while writing), for {@code bench/export-vs-pigz.sh}.
 *
 * <p>usage: {@code PackBench <dir> <gzip|zstd> <output file> [threads, default all cores]}; prints one line:
 * {@code <sha256> <archive bytes> <payload bytes> <seconds> <payload MB/s>}.
 */
public final class PackBench {

    private PackBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PackBench <dir> <gzip|zstd> <output> [threads]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Compression compression = Compression.parse(args[1]);
        Path output = Path.of(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();

        long start = System.nanoTime();
        List<String> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(p -> paths.add(dir.relativize(p).toString().replace('\\', '/')));
        }
        paths.sort(BagArchiveWriter.PATH_ORDER);
        ArchiveResult result;
        long payload = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
             BagArchiveWriter writer = new BagArchiveWriter(out, compression, "bench",
                     Instant.parse("2026-01-01T00:00:00Z"), threads)) {
            for (String path : paths) {
                Path file = dir.resolve(path);
                long size = Files.size(file);
                try (InputStream in = Files.newInputStream(file)) {
                    writer.addPayload(path, size, in);
                }
                payload += size;
            }
            result = writer.finish(Map.of("Source-Organization", "bench"));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s %d %d %.3f %.1f%n", result.sha256(), result.bytes(), payload, seconds,
                payload / 1e6 / seconds);
    }
}
