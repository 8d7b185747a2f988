package io.offboard.exporter.archive;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Streams a BagIt bag (RFC 8493) as a compressed tar, deterministically.
 *
 * <p>Entries, all under {@code <bagName>/}: the payload files {@code data/<path>} in the order added (the caller
 * adds them sorted by {@link #PATH_ORDER}; the writer enforces it), then {@code bagit.txt},
 * {@code manifest-sha256.txt}, {@code bag-info.txt} and {@code tagmanifest-sha256.txt}. No directory entries
 * (every extractor creates parents). Every entry: regular file, mode 0644, uid/gid 0, empty user and group
 * names, mtime = {@code entryTime} (whole seconds, so no pax mtime record). Names longer than the 100-byte
 * ustar field or not ASCII, and sizes past 8 GiB, get POSIX pax records (commons-compress gives its pax header
 * entries the same mtime and an empty user name: nothing of the host leaks in; a test pins that).
 *
 * <p>Same inputs (paths, bytes, bag-info, entry time, compression) → byte-identical archive, whatever the thread
 * count. Nothing is buffered per file: content is copied through a 64 KiB buffer while its SHA-256 is computed.
 * Memory does not grow with the number of payload files either: the manifest's lines go to a temporary file in
 * {@code spillDir} past {@value #MANIFEST_IN_MEMORY} bytes, and the check that no path lies under a file already
 * added keeps only the files that are prefixes of the last path (the paths come sorted). The archive's SHA-256
 * and size are computed on the bytes as they go to the sink, never by re-reading.
 *
 * <p>The writer never closes the sink: {@link #finish} flushes it and the caller closes it. After any I/O
 * failure the writer is unusable; {@link #close()} without a successful {@link #finish} aborts (stops the
 * compression threads, writes nothing more). Not thread-safe.
 */
public final class BagArchiveWriter implements Closeable {

    /**
     * The order payload paths must be added in: by Unicode code point, which is the order of their UTF-8 bytes
     * ({@code LC_ALL=C sort}). Sort the payload paths with it before adding them.
     */
    public static final Comparator<String> PATH_ORDER = BagArchiveWriter::compareCodePoints;

    static final int ZSTD_LEVEL = 3;
    static final String BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
    private static final int FILE_MODE = 0100644;
    /** zstd gets its input in fixed 1 MiB chunks so its calls, hence its output, never depend on write sizes. */
    private static final int ZSTD_CHUNK = 1 << 20;
    /** Manifest bytes kept in memory; past this they go to a temporary file. */
    static final int MANIFEST_IN_MEMORY = 1 << 20;

    private enum State { OPEN, FINISHED, FAILED, CLOSED }

    private final String bagName;
    private final Instant entryTime;
    private final SinkGuard guard;
    private final DigestCountingOutputStream counted;
    private final ParallelGzipOutputStream gzip;
    private final OutputStream compressor;
    private final TarArchiveOutputStream tar;
    private final byte[] buffer = new byte[64 * 1024];
    private final SpillBuffer manifest;
    /** Files added that are prefixes of the last path added (each a prefix of the next): the only possible parents. */
    private final Deque<String> openFiles = new ArrayDeque<>();
    private String lastPath;
    private long payloadBytes;
    private long payloadCount;
    private State state = State.OPEN;

    /**
     * @param sink        receives the compressed archive; flushed by {@link #finish}, never closed
     * @param compression gzip (parallel, one member) or zstd (level 3, checksum)
     * @param bagName     the bag's top-level directory, e.g. {@code offboard-acme-20260101T000000Z}
     * @param entryTime   mtime of every entry (truncated to seconds) and the Bagging-Date (its UTC date)
     * @param threads     compression threads, at least 1; the output does not depend on it
     */
    public BagArchiveWriter(OutputStream sink, Compression compression, String bagName, Instant entryTime,
                            int threads) throws IOException {
        this(sink, compression, bagName, entryTime, threads, null);
    }

    /**
     * As above, with the manifest's lines spilled to a temporary file in {@code spillDir} (null: the system's
     * temporary directory) once they pass {@value #MANIFEST_IN_MEMORY} bytes; the file is deleted by {@link #finish}
     * or {@link #close}.
     */
    public BagArchiveWriter(OutputStream sink, Compression compression, String bagName, Instant entryTime,
                            int threads, Path spillDir) throws IOException {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(entryTime, "entryTime");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        checkBagName(bagName);
        if (entryTime.isBefore(Instant.EPOCH)) {
            throw new IllegalArgumentException("entryTime before 1970: " + entryTime);
        }
        this.bagName = bagName;
        this.manifest = new SpillBuffer(spillDir);
        this.entryTime = entryTime.truncatedTo(ChronoUnit.SECONDS);
        this.guard = new SinkGuard(sink);
        this.counted = new DigestCountingOutputStream(guard);
        if (compression == Compression.GZIP) {
            this.gzip = new ParallelGzipOutputStream(counted, threads);
            this.compressor = gzip;
        } else {
            this.gzip = null;
            ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(counted, ZSTD_LEVEL);
            // always multi-threaded mode (even with 1 worker): zstd's output is then the same for any worker count
            zstd.setWorkers(threads);
            zstd.setChecksum(true);
            this.compressor = new FixedChunkOutputStream(zstd, ZSTD_CHUNK);
        }
        this.tar = new TarArchiveOutputStream(compressor, TarConstants.DEFAULT_BLKSIZE, UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /**
     * Adds {@code data/<relativePath>}, copying exactly {@code size} bytes of {@code content} (which is not
     * closed) and computing its SHA-256 on the way.
     *
     * @return the file's SHA-256, lower-case hex, as written in the manifest
     * @throws IllegalArgumentException unsafe or malformed path (absolute, {@code .}/{@code ..} or empty
     *                                  segments, backslash, '%', control characters), negative size, or a path
     *                                  under a file already added
     * @throws IllegalStateException    path not strictly after the previous one in {@link #PATH_ORDER}, or
     *                                  the writer is finished or failed
     * @throws ContentLengthException   the content is shorter or longer than {@code size} (the writer is then
     *                                  unusable)
     * @throws IOException              reading the content or writing failed (the writer is then unusable)
     */
    public String addPayload(String relativePath, long size, InputStream content) throws IOException {
        requireOpen();
        checkPayloadPath(relativePath);
        Objects.requireNonNull(content, "content");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for data/" + relativePath);
        }
        if (lastPath != null && compareCodePoints(relativePath, lastPath) <= 0) {
            throw new IllegalStateException("payload paths must be added in strictly increasing order: data/"
                    + relativePath + " comes after data/" + lastPath);
        }
        // paths come sorted, so a file can only be the parent of paths that follow it while they start with it
        while (!openFiles.isEmpty() && !relativePath.startsWith(openFiles.peekLast())) {
            openFiles.removeLast();
        }
        for (String file : openFiles) {
            if (relativePath.length() > file.length() && relativePath.charAt(file.length()) == '/') {
                throw new IllegalArgumentException("data/" + relativePath + " would be inside data/" + file
                        + ", which is a file");
            }
        }
        String name = "data/" + relativePath;
        String hex;
        try {
            putEntry(name, size);
            MessageDigest sha = sha256();
            long remaining = size;
            while (remaining > 0) {
                int n = content.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new ContentLengthException(name + ": content ended after " + (size - remaining)
                            + " of the " + size + " bytes declared");
                }
                sha.update(buffer, 0, n);
                tar.write(buffer, 0, n);
                remaining -= n;
            }
            if (content.read() >= 0) {
                throw new ContentLengthException(name + ": content is longer than the " + size
                        + " bytes declared");
            }
            tar.closeArchiveEntry();
            hex = HexFormat.of().formatHex(sha.digest());
        } catch (IOException | RuntimeException e) {
            fail();
            throw e;
        }
        lastPath = relativePath;
        openFiles.addLast(relativePath);
        payloadBytes += size;
        payloadCount++;
        try {
            manifest.write((hex + "  " + name + "\n").getBytes(UTF_8));
        } catch (IOException e) {
            fail();
            throw e;
        }
        return hex;
    }

    /**
     * Writes the tag files after the payload, ends the tar and the compressed stream, flushes the sink.
     *
     * @param bagInfo bag-info.txt fields (e.g. Source-Organization, orgcode, snapshot time, registry version);
     *                written with Payload-Oxum and Bagging-Date, all in sorted key order. Keys: no colon,
     *                no blanks at the ends; values: one line. Payload-Oxum and Bagging-Date are computed and
     *                may not be given.
     * @return SHA-256 and size of everything written to the sink
     */
    public ArchiveResult finish(Map<String, String> bagInfo) throws IOException {
        requireOpen();
        byte[] info = renderBagInfo(bagInfo);
        try {
            byte[] bagit = BAGIT_TXT.getBytes(UTF_8);
            putFile("bagit.txt", bagit);
            putEntry("manifest-sha256.txt", manifest.size());
            manifest.copyTo(tar, buffer);
            tar.closeArchiveEntry();
            putFile("bag-info.txt", info);
            // sorted by file name
            String tagManifest = sha256Hex(info) + "  bag-info.txt\n"
                    + sha256Hex(bagit) + "  bagit.txt\n"
                    + manifest.sha256Hex() + "  manifest-sha256.txt\n";
            putFile("tagmanifest-sha256.txt", tagManifest.getBytes(UTF_8));
            // finish() writes the two zero records and pads the block; close() ends the compressed stream and
            // flushes the sink through the guard (which does not close it)
            tar.finish();
            tar.close();
        } catch (IOException | RuntimeException e) {
            fail();
            throw e;
        }
        manifest.discard();
        state = State.FINISHED;
        return new ArchiveResult(HexFormat.of().formatHex(counted.digest()), counted.count());
    }

    /** After {@link #finish}: nothing. Otherwise aborts: stops compression, writes nothing more to the sink. */
    @Override
    public void close() {
        if (state == State.OPEN) {
            abort(); // a FAILED writer has aborted already
        }
        state = State.CLOSED;
    }

    private void fail() {
        state = State.FAILED;
        abort();
    }

    private void abort() {
        guard.discard = true;
        manifest.discard();
        if (gzip != null) {
            gzip.abort();
        } else {
            try {
                compressor.close(); // frees zstd's native context; the guard swallows the bytes
            } catch (IOException | RuntimeException ignored) {
                // aborting anyway
            }
        }
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("archive writer is " + state.name().toLowerCase());
        }
    }

    private void putFile(String name, byte[] bytes) throws IOException {
        putEntry(name, bytes.length);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private void putEntry(String nameInBag, long size) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(bagName + "/" + nameInBag, true);
        fixMetadata(entry);
        entry.setSize(size);
        tar.putArchiveEntry(entry);
    }

    private void fixMetadata(TarArchiveEntry entry) {
        entry.setMode(FILE_MODE);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(java.nio.file.attribute.FileTime.from(entryTime));
    }

    private byte[] renderBagInfo(Map<String, String> bagInfo) {
        Map<String, String> fields = new TreeMap<>();
        if (bagInfo != null) {
            for (Map.Entry<String, String> e : bagInfo.entrySet()) {
                String key = e.getKey();
                String value = e.getValue();
                if (key == null || key.isBlank() || !key.equals(key.strip()) || key.indexOf(':') >= 0
                        || hasControl(key)) {
                    throw new IllegalArgumentException("invalid bag-info key '" + key + "'");
                }
                if (value == null || hasControl(value)) {
                    throw new IllegalArgumentException("invalid bag-info value for " + key + ": must be one line");
                }
                if (key.equalsIgnoreCase("Payload-Oxum") || key.equalsIgnoreCase("Bagging-Date")) {
                    throw new IllegalArgumentException(key + " is computed by the writer");
                }
                fields.put(key, value);
            }
        }
        fields.put("Bagging-Date", entryTime.atOffset(ZoneOffset.UTC).toLocalDate().toString());
        fields.put("Payload-Oxum", payloadBytes + "." + payloadCount);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        return sb.toString().getBytes(UTF_8);
    }

    private static void checkBagName(String bagName) {
        if (bagName == null || bagName.isEmpty() || bagName.equals(".") || bagName.equals("..")
                || bagName.indexOf('/') >= 0 || bagName.indexOf('\\') >= 0 || hasControl(bagName)
                || !isWellFormed(bagName)) {
            throw new IllegalArgumentException("invalid bag name '" + bagName + "'");
        }
    }

    static void checkPayloadPath(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("empty payload path");
        }
        if (path.startsWith("/") || path.indexOf('\\') >= 0 || hasControl(path) || !isWellFormed(path)) {
            throw new IllegalArgumentException("invalid payload path '" + path + "'");
        }
        if (path.indexOf('%') >= 0) {
            // RFC 8493 wants '%' written as %25 in the manifest, but sha256sum -c and the BagIt library would
            // then look for a file named "%25": the caller must map such names (e.g. S3 keys) to safe ones
            throw new IllegalArgumentException("payload path '" + path + "' contains '%', which manifest-sha256.txt"
                    + " cannot carry in a way both sha256sum -c and RFC 8493 readers accept; encode the name");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid payload path '" + path
                        + "': empty, '.' or '..' segment");
            }
        }
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** No unpaired surrogates: the string has a UTF-8 encoding. */
    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** The payload's content did not have the size declared for it (e.g. the object changed since it was listed). */
    public static final class ContentLengthException extends IOException {
        ContentLengthException(String message) {
            super(message);
        }
    }

    /** Bytes kept in memory up to {@link #MANIFEST_IN_MEMORY}, then in a temporary file; hashed and counted. */
    static final class SpillBuffer {
        private final Path dir;
        private final MessageDigest sha = sha256();
        private ByteArrayOutputStream memory = new ByteArrayOutputStream();
        private Path file;
        private OutputStream fileOut;
        private long size;

        SpillBuffer(Path dir) {
            this.dir = dir;
        }

        void write(byte[] bytes) throws IOException {
            sha.update(bytes);
            size += bytes.length;
            if (fileOut == null && memory.size() + bytes.length > MANIFEST_IN_MEMORY) {
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                file = dir == null ? Files.createTempFile("offboard-manifest-", ".txt")
                        : Files.createTempFile(dir, "offboard-manifest-", ".txt");
                fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                memory.writeTo(fileOut);
                memory = null;
            }
            if (fileOut != null) {
                fileOut.write(bytes);
            } else {
                memory.write(bytes);
            }
        }

        long size() {
            return size;
        }

        String sha256Hex() {
            return HexFormat.of().formatHex(sha.digest());
        }

        void copyTo(OutputStream out, byte[] buffer) throws IOException {
            if (fileOut == null) {
                memory.writeTo(out);
                return;
            }
            fileOut.close();
            try (InputStream in = Files.newInputStream(file)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                }
            }
        }

        void discard() {
            memory = null;
            if (file != null) {
                try {
                    fileOut.close();
                } catch (IOException ignored) {
                    // deleting it anyway
                }
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file; nothing to do
                }
                file = null;
            }
        }
    }

    /** Counts and hashes what goes to the sink. */
    static final class DigestCountingOutputStream extends FilterOutputStream {
        private final MessageDigest sha = sha256();
        private long count;

        DigestCountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            sha.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            sha.update(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }

        byte[] digest() {
            return sha.digest();
        }
    }

    /** Flushes instead of closing the caller's sink; drops everything once the writer aborts. */
    static final class SinkGuard extends FilterOutputStream {
        volatile boolean discard;

        SinkGuard(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (!discard) {
                out.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!discard) {
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (!discard) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** Passes bytes on in chunks of exactly {@code chunk} bytes (the last one shorter). */
    static final class FixedChunkOutputStream extends OutputStream {
        private final OutputStream out;
        private final byte[] buf;
        private int fill;

        FixedChunkOutputStream(OutputStream out, int chunk) {
            this.out = out;
            this.buf = new byte[chunk];
        }

        @Override
        public void write(int b) throws IOException {
            buf[fill++] = (byte) b;
            if (fill == buf.length) {
                out.write(buf, 0, fill);
                fill = 0;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, buf.length - fill);
                System.arraycopy(b, off, buf, fill, n);
                fill += n;
                off += n;
                len -= n;
                if (fill == buf.length) {
                    out.write(buf, 0, fill);
                    fill = 0;
                }
            }
        }

        /** Does not pass a partial chunk on (that would make the output depend on flush calls). */
        @Override
        public void flush() {
        }

        @Override
        public void close() throws IOException {
            try {
                if (fill > 0) {
                    out.write(buf, 0, fill);
                    fill = 0;
                }
            } finally {
                out.close();
            }
        }
    }
}
