package io.offboard.exporter.archive;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offboard.exporter.manifest.ExportManifest;
import io.offboard.exporter.manifest.ExportManifest.ServiceSummary;
import io.offboard.exporter.manifest.ExportManifest.SourceSummary;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * Checks an export archive offline, with no access to the platform, in one streaming pass over the file:
 * the outer SHA-256 and size, the bag's layout and {@code bagit.txt}, every file of {@code manifest-sha256.txt}
 * and {@code tagmanifest-sha256.txt}, payload files missing from the manifest, Payload-Oxum, paths that would be
 * the same file where case and Unicode normalisation are ignored (macOS, Windows) or a file where another path
 * needs a directory, and, when the bag has a {@code data/manifest.json}, its per-source counts against the rows
 * and files actually present. Each bucket's key map ({@code <service>/s3/<bucket>~keys.jsonl}) must name every
 * file under the bucket's directory exactly once, with its size and SHA-256, in strictly increasing key order, and
 * each key and path must round-trip through the layout's mapping ({@link ObjectPaths}).
 *
 * <p>Every problem is collected, none stops the check. Memory grows with the number of files, not their size:
 * payload files are hashed (and JSONL lines counted) as they stream past; a Parquet file is spooled to a temp
 * file only long enough to read its row count from the footer, a key map until it has been checked.
 */
public final class ArchiveVerifier {

    /** Problems shown per key map; the rest are counted. */
    private static final int MAX_PER_KEY_MAP = 100;
    /** {@code data/<service>/s3/<bucket>/<path>}: an object of a bucket. */
    private static final Pattern S3_OBJECT = Pattern.compile("data/([^/]+)/s3/([^/]+)/.+");
    /** Tag files and data/manifest.json are kept in memory to be parsed; past this size they are not. */
    private static final int MAX_BUFFERED = 256 << 20;
    private static final Pattern HEX64 = Pattern.compile("(?<![0-9A-Fa-f])([0-9A-Fa-f]{64})(?![0-9A-Fa-f])");
    private static final Pattern OXUM = Pattern.compile("(\\d+)\\.(\\d+)");
    private static final Set<String> BUFFERED_TAG_FILES =
            Set.of("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt");
    /** {@code data/<service>/s3/<bucket>~keys.jsonl}: a bucket's key map. */
    private static final Pattern KEY_MAP = Pattern.compile("data/([^/]+)/s3/([^/]+)~keys\\.jsonl");

    private ArchiveVerifier() {
    }

    /** As {@link #verify(Path, String, Long)} with the expected values read from the side files. */
    public static VerificationReport verify(Path archive) throws IOException {
        return verify(archive, null, null);
    }

    /**
     * @param archive        a {@code .tar.gz}, {@code .tar.zst} (or plain {@code .tar}); the compression is
     *                       detected from the magic bytes, not the name
     * @param expectedSha256 expected SHA-256 of the file; null: read from {@code <archive>.sha256}
     *                       ({@code sha256sum} output) when present
     * @param expectedBytes  expected size; null: read from {@code <archive>.size} when present
     * @throws IOException only when the archive file itself cannot be opened; everything else is a problem in
     *                     the report
     */
    public static VerificationReport verify(Path archive, String expectedSha256, Long expectedBytes)
            throws IOException {
        return new Run(archive).run(expectedSha256, expectedBytes);
    }

    /** What was seen of one file in the bag. */
    private static final class FileFacts {
        String sha256;
        long size;
        long jsonlRows = -1;
        long parquetRows = -1;
        String unreadable;
        byte[] content;
        /** A key map's content, on disk until it is checked. */
        Path keyMap;
        /** Named by a key map line. */
        boolean mapped;
    }

    /** What a bucket's key map held. */
    private record KeyMapFacts(long objects, long bytes, boolean readable) {
    }

    private static final class Run {
        private final Path archive;
        private final List<String> problems = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final Set<String> topLevels = new LinkedHashSet<>();
        /** Files of the (first) bag directory, by path inside it, in archive order. */
        private final Map<String, FileFacts> files = new LinkedHashMap<>();
        /** Key maps checked, by path inside the bag. */
        private final Map<String, KeyMapFacts> keyMaps = new LinkedHashMap<>();
        private final byte[] buffer = new byte[64 * 1024];
        private String bagName;

        Run(Path archive) {
            this.archive = archive;
        }

        VerificationReport run(String expectedSha256, Long expectedBytes) throws IOException {
            String fileName = archive.getFileName().toString();
            if (expectedSha256 == null) {
                expectedSha256 = readExpectedSha(fileName);
            } else if (!HEX64.matcher(expectedSha256.strip()).matches()) {
                problems.add("expected SHA-256 '" + expectedSha256 + "' is not 64 hex digits");
                expectedSha256 = null;
            }
            if (expectedBytes == null) {
                expectedBytes = readExpectedSize(fileName);
            }

            HashingInputStream raw;
            try (InputStream in = Files.newInputStream(archive)) {
                raw = new HashingInputStream(in);
                try {
                    readArchive(raw);
                } finally {
                    // the outer SHA-256 covers the whole file, whatever the decompressor or tar reader consumed
                    try {
                        raw.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        problems.add(fileName + ": read error: " + e.getMessage());
                    }
                }
            }
            String actualSha = HexFormat.of().formatHex(raw.sha.digest());
            long actualBytes = raw.count;
            List<String> outer = new ArrayList<>();
            if (expectedSha256 != null && !expectedSha256.strip().equalsIgnoreCase(actualSha)) {
                outer.add(fileName + ": SHA-256 mismatch (expected " + expectedSha256.strip().toLowerCase(Locale.ROOT)
                        + ", actual " + actualSha + ")");
            }
            if (expectedBytes != null && expectedBytes != actualBytes) {
                outer.add(fileName + ": size mismatch (expected " + expectedBytes + " bytes, actual "
                        + actualBytes + ")");
            }
            problems.addAll(0, outer);

            try {
                checkBag();
            } finally {
                for (FileFacts f : files.values()) {
                    if (f.keyMap != null) {
                        Files.deleteIfExists(f.keyMap);
                    }
                }
            }

            Payload payload = payload();
            return new VerificationReport(problems.isEmpty(), actualSha, actualBytes, payload.files(), payload.bytes(),
                    problems, notes);
        }

        /** The files under {@code data/} and their bytes, as read from the archive. */
        private record Payload(long files, long bytes) {
            String oxum() {
                return bytes + "." + files;
            }
        }

        private Payload payload() {
            long count = 0;
            long bytes = 0;
            for (Map.Entry<String, FileFacts> e : files.entrySet()) {
                if (e.getKey().startsWith("data/")) {
                    count++;
                    bytes += e.getValue().size;
                }
            }
            return new Payload(count, bytes);
        }

        private String readExpectedSha(String fileName) {
            Path side = archive.resolveSibling(fileName + ".sha256");
            if (!Files.isRegularFile(side)) {
                notes.add("no expected SHA-256 given and no " + side.getFileName()
                        + ": compare the SHA-256 above with the one posted on the issue");
                return null;
            }
            try {
                String text = Files.readString(side, UTF_8);
                Matcher m = HEX64.matcher(text);
                if (!m.find()) {
                    problems.add(side.getFileName() + ": no SHA-256 in it");
                    return null;
                }
                return m.group(1);
            } catch (IOException e) {
                problems.add(side.getFileName() + ": cannot read: " + e.getMessage());
                return null;
            }
        }

        private Long readExpectedSize(String fileName) {
            Path side = archive.resolveSibling(fileName + ".size");
            if (!Files.isRegularFile(side)) {
                return null;
            }
            try {
                String text = Files.readString(side, UTF_8).strip();
                return Long.parseLong(text.split("\\s+")[0]);
            } catch (IOException | NumberFormatException e) {
                problems.add(side.getFileName() + ": not a byte count: " + e.getMessage());
                return null;
            }
        }

        private void readArchive(InputStream raw) {
            String fileName = archive.getFileName().toString();
            // closing the decompressor must not close raw: it is drained afterwards for the outer SHA-256
            BufferedInputStream buffered = new BufferedInputStream(new FilterInputStream(raw) {
                @Override
                public void close() {
                }
            }, 1 << 16);
            InputStream decompressed;
            String kind;
            try {
                buffered.mark(512);
                byte[] head = buffered.readNBytes(512);
                buffered.reset();
                if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                    kind = "gzip";
                    decompressed = new GZIPInputStream(buffered, 1 << 16);
                } else if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
                        && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
                    kind = "zstd";
                    decompressed = new ZstdInputStreamNoFinalizer(buffered);
                } else if (head.length == 512 && TarArchiveInputStream.matches(head, head.length)) {
                    kind = "tar";
                    decompressed = buffered;
                } else {
                    problems.add(fileName + ": neither gzip, zstd nor tar (unknown magic bytes)");
                    return;
                }
            } catch (IOException e) {
                problems.add(fileName + ": cannot read the compressed stream: " + e.getMessage());
                return;
            }
            String lastEntry = null;
            try (InputStream in = decompressed) {
                TarArchiveInputStream tar = new TarArchiveInputStream(in, UTF_8.name());
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    lastEntry = entry.getName();
                    readEntry(tar, entry);
                }
                // reach the end of the compressed stream: that is where gzip and zstd check their CRC/checksum
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException | RuntimeException e) {
                problems.add(fileName + ": corrupt or truncated " + kind + " archive"
                        + (lastEntry == null ? "" : " (after entry " + lastEntry + ")") + ": " + e.getMessage());
            }
        }

        private void readEntry(TarArchiveInputStream tar, TarArchiveEntry entry) throws IOException {
            String name = entry.getName();
            String normalized = name.startsWith("./") ? name.substring(2) : name;
            if (normalized.startsWith("/") || (" /" + normalized + "/").contains("/../")) {
                problems.add(name + ": unsafe path in the archive");
                return;
            }
            int slash = normalized.indexOf('/');
            String top = slash < 0 ? normalized : normalized.substring(0, slash);
            String inBag = slash < 0 ? "" : normalized.substring(slash + 1);
            if (top.isEmpty()) {
                return;
            }
            topLevels.add(top);
            if (slash < 0 && !entry.isDirectory()) {
                problems.add(name + ": file at the top level, outside the bag directory");
                return;
            }
            if (bagName == null) {
                bagName = top;
            }
            if (!top.equals(bagName)) {
                return; // reported once as a second top-level directory
            }
            if (entry.isDirectory() || inBag.isEmpty()) {
                return;
            }
            if (entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice() || entry.isBlockDevice()
                    || entry.isFIFO() || !entry.isFile()) {
                problems.add(inBag + ": not a regular file (link or special file)");
                return;
            }
            if (files.containsKey(inBag)) {
                problems.add(inBag + ": appears more than once in the archive");
                return;
            }
            files.put(inBag, readContent(tar, inBag));
        }

        private FileFacts readContent(InputStream in, String path) throws IOException {
            FileFacts facts = new FileFacts();
            MessageDigest sha = BagArchiveWriter.sha256();
            boolean payload = path.startsWith("data/");
            LineCounter lines = payload && path.endsWith(".jsonl") ? new LineCounter() : null;
            boolean parquet = payload && path.endsWith(".parquet");
            boolean keyMap = KEY_MAP.matcher(path).matches();
            ByteArrayOutputStream capture = BUFFERED_TAG_FILES.contains(path) || path.equals("data/manifest.json")
                    ? new ByteArrayOutputStream() : null;
            Path spool = parquet ? Files.createTempFile("offboard-verify-", ".parquet")
                    : keyMap ? Files.createTempFile("offboard-verify-", ".keys.jsonl") : null;
            try {
                try (OutputStream spoolOut = spool == null ? null : Files.newOutputStream(spool)) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        sha.update(buffer, 0, n);
                        facts.size += n;
                        if (lines != null) {
                            lines.update(buffer, 0, n);
                        }
                        if (spoolOut != null) {
                            spoolOut.write(buffer, 0, n);
                        }
                        if (capture != null) {
                            if (capture.size() + n > MAX_BUFFERED) {
                                capture = null;
                                facts.unreadable = "larger than " + (MAX_BUFFERED >> 20) + " MiB, not parsed";
                            } else {
                                capture.write(buffer, 0, n);
                            }
                        }
                    }
                }
                if (lines != null) {
                    facts.jsonlRows = lines.finish();
                }
                if (keyMap) {
                    facts.keyMap = spool;
                    spool = null;
                }
                if (spool != null) {
                    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(spool))) {
                        facts.parquetRows = reader.getRecordCount();
                    } catch (IOException | RuntimeException e) {
                        facts.unreadable = "not a readable Parquet file: " + e.getMessage();
                        problems.add(path + ": " + facts.unreadable);
                    }
                }
            } finally {
                if (spool != null) {
                    Files.deleteIfExists(spool);
                }
            }
            facts.sha256 = HexFormat.of().formatHex(sha.digest());
            facts.content = capture == null ? null : capture.toByteArray();
            return facts;
        }

        // ---- checks after the pass ----

        private void checkBag() {
            if (topLevels.isEmpty()) {
                if (problems.isEmpty()) {
                    problems.add(archive.getFileName() + ": empty archive, no bag directory");
                }
                return;
            }
            if (topLevels.size() > 1) {
                problems.add(archive.getFileName() + ": more than one top-level entry (" + String.join(", ", topLevels)
                        + "); a bag is one directory");
            }
            checkBagitTxt();
            Map<String, String> manifest = readManifest("manifest-sha256.txt");
            if (manifest != null) {
                for (Map.Entry<String, String> e : manifest.entrySet()) {
                    String path = e.getKey();
                    if (!path.startsWith("data/")) {
                        problems.add("manifest-sha256.txt: " + path + " is not under data/");
                    }
                    checkListed("manifest-sha256.txt", path, e.getValue());
                }
                for (String path : files.keySet()) {
                    if (path.startsWith("data/") && !manifest.containsKey(path)) {
                        problems.add(path + ": not listed in manifest-sha256.txt");
                    }
                }
            }
            checkOxum();
            checkCollisions();
            for (Map.Entry<String, FileFacts> e : files.entrySet()) {
                if (e.getValue().keyMap != null) {
                    checkKeyMap(e.getKey(), e.getValue().keyMap);
                }
            }
            for (Map.Entry<String, FileFacts> e : files.entrySet()) {
                Matcher m = S3_OBJECT.matcher(e.getKey());
                if (m.matches() && !e.getValue().mapped
                        && files.containsKey("data/" + m.group(1) + "/s3/" + m.group(2) + "~keys.jsonl")) {
                    problems.add(e.getKey() + ": not in the key map data/" + m.group(1) + "/s3/" + m.group(2)
                            + "~keys.jsonl");
                }
            }
            Map<String, String> tagManifest = readManifest("tagmanifest-sha256.txt");
            if (tagManifest != null) {
                for (Map.Entry<String, String> e : tagManifest.entrySet()) {
                    if (e.getKey().startsWith("data/")) {
                        problems.add("tagmanifest-sha256.txt: lists payload file " + e.getKey());
                    }
                    checkListed("tagmanifest-sha256.txt", e.getKey(), e.getValue());
                }
            }
            checkExportManifest();
        }

        /**
         * No two paths of the bag may be the same file where names are compared without case and Unicode
         * normalisation, and no file may be where another path needs a directory.
         */
        private void checkCollisions() {
            Map<String, String> seen = new java.util.HashMap<>();
            Map<String, String> dirs = new java.util.HashMap<>();
            for (String path : files.keySet()) {
                for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                    String dir = path.substring(0, slash);
                    dirs.putIfAbsent(ObjectPaths.fold(dir), dir);
                }
            }
            for (String path : files.keySet()) {
                String fold = ObjectPaths.fold(path);
                String other = seen.putIfAbsent(fold, path);
                if (other != null) {
                    problems.add(path + ": the same file as " + other
                            + " where case is ignored (macOS, Windows): one would overwrite the other");
                }
                String dir = dirs.get(fold);
                if (dir != null) {
                    problems.add(path + ": a file where " + dir + "/ is a directory"
                            + (dir.equals(path) ? "" : " (where case is ignored)") + ": it cannot be extracted");
                }
            }
        }

        /**
         * Every line of a key map names a file of its bucket's directory that has the line's size and SHA-256, once;
         * keys come in strictly increasing order (so none twice); key and path round-trip through {@link ObjectPaths}.
         */
        private void checkKeyMap(String name, Path content) {
            Matcher m = KEY_MAP.matcher(name);
            if (!m.matches()) {
                return;
            }
            String dir = "data/" + m.group(1) + "/s3/" + m.group(2) + "/";
            ObjectMapper json = new ObjectMapper();
            long objects = 0;
            long bytes = 0;
            String previous = null;
            int reported = 0;
            try (java.io.BufferedReader lines = Files.newBufferedReader(content, UTF_8)) {
                long number = 0;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    number++;
                    if (line.isEmpty()) {
                        continue;
                    }
                    String where = name + " line " + number + ": ";
                    List<String> found = new ArrayList<>();
                    JsonNode entry;
                    try {
                        entry = json.readTree(line);
                    } catch (IOException e) {
                        found.add(where + "not JSON");
                        reported += report(found, reported);
                        continue;
                    }
                    JsonNode key = entry.get("key");
                    JsonNode path = entry.get("path");
                    JsonNode size = entry.get("size");
                    JsonNode sha = entry.get("sha256");
                    if (key == null || !key.isTextual() || path == null || !path.isTextual() || size == null
                            || !size.canConvertToLong() || sha == null || !sha.isTextual()) {
                        found.add(where + "needs key, path, size and sha256");
                        reported += report(found, reported);
                        continue;
                    }
                    objects++;
                    String k = key.asText();
                    String p = "data/" + path.asText();
                    if (previous != null && BagArchiveWriter.compareCodePoints(previous, k) >= 0) {
                        found.add(where + "key " + JsonText.quote(k) + (previous.equals(k) ? " listed twice"
                                : " comes after " + JsonText.quote(previous) + " (keys must be in increasing order)"));
                    }
                    previous = k;
                    if (!p.startsWith(dir)) {
                        found.add(where + "path " + p + " is not under " + dir);
                    } else {
                        String relative = p.substring(dir.length());
                        try {
                            if (!ObjectPaths.keyFor(relative).equals(k)
                                    || !ObjectPaths.pathFor(k, ObjectPaths.rankOf(relative)).equals(relative)) {
                                found.add(where + "key " + JsonText.quote(k) + " and path " + p + " do not map to each other");
                            }
                        } catch (IllegalArgumentException e) {
                            found.add(where + "path " + p + " is not one the layout makes: " + e.getMessage());
                        }
                    }
                    FileFacts f = files.get(p);
                    if (f == null) {
                        found.add(where + "file " + p + " of key " + JsonText.quote(k) + " is missing from the archive");
                    } else {
                        if (f.mapped) {
                            found.add(where + "file " + p + " is named by more than one key");
                        }
                        f.mapped = true;
                        bytes += f.size;
                        if (f.size != size.asLong()) {
                            found.add(where + p + " has " + f.size + " bytes, the key map says " + size.asLong());
                        }
                        if (!f.sha256.equalsIgnoreCase(sha.asText())) {
                            found.add(where + p + ": SHA-256 mismatch (key map " + sha.asText() + ", actual "
                                    + f.sha256 + ")");
                        }
                    }
                    reported += report(found, reported);
                }
            } catch (IOException e) {
                problems.add(name + ": cannot be read: " + e.getMessage());
                keyMaps.put(name.substring("data/".length()), new KeyMapFacts(objects, bytes, false));
                return;
            }
            if (reported > MAX_PER_KEY_MAP) {
                problems.add(name + ": " + (reported - MAX_PER_KEY_MAP) + " more problems not shown");
            }
            keyMaps.put(name.substring("data/".length()), new KeyMapFacts(objects, bytes, true));
        }

        /** A bucket's counts against its key map (which was checked against the files). */
        private void checkBucketSource(String label, String service, SourceSummary source) {
            String expected = service + "/s3/" + source.name() + "~keys.jsonl";
            if (!source.keyMap().equals(expected)) {
                problems.add(label + ": key map " + source.keyMap() + " should be " + expected);
                return;
            }
            KeyMapFacts facts = keyMaps.get(source.keyMap());
            if (facts == null) {
                problems.add(label + ": key map data/" + source.keyMap() + " is missing from the archive");
                return;
            }
            if (!facts.readable()) {
                return;
            }
            if (facts.objects() != source.items()) {
                problems.add(label + " declares " + source.items() + " objects, its key map lists " + facts.objects());
            }
            if (facts.bytes() != source.bytes()) {
                problems.add(label + " declares " + source.bytes() + " bytes, its files hold " + facts.bytes());
            }
        }

        /** Adds up to {@link #MAX_PER_KEY_MAP} problems of a key map; returns how many were found. */
        private int report(List<String> found, int reportedBefore) {
            for (int i = 0; i < found.size(); i++) {
                if (reportedBefore + i < MAX_PER_KEY_MAP) {
                    problems.add(found.get(i));
                }
            }
            return found.size();
        }

        private void checkListed(String manifestName, String path, String expected) {
            FileFacts facts = files.get(path);
            if (facts == null) {
                problems.add(path + ": listed in " + manifestName + " but missing from the archive");
            } else if (!facts.sha256.equalsIgnoreCase(expected)) {
                problems.add(path + ": SHA-256 mismatch (" + manifestName.replace("-sha256.txt", "") + " "
                        + expected.toLowerCase(Locale.ROOT) + ", actual " + facts.sha256 + ")");
            }
        }

        private byte[] tagFile(String name) {
            FileFacts facts = files.get(name);
            if (facts == null) {
                problems.add(name + ": missing");
                return null;
            }
            if (facts.content == null) {
                problems.add(name + ": " + facts.unreadable);
                return null;
            }
            return facts.content;
        }

        private void checkBagitTxt() {
            byte[] content = tagFile("bagit.txt");
            if (content == null) {
                return;
            }
            Map<String, String> fields = parseTagFields(new String(content, UTF_8));
            String version = fields.get("BagIt-Version");
            String encoding = fields.get("Tag-File-Character-Encoding");
            if (version == null || !version.matches("\\d+\\.\\d+")) {
                problems.add("bagit.txt: no valid BagIt-Version line");
            }
            if (encoding == null || !encoding.equalsIgnoreCase("UTF-8")) {
                problems.add("bagit.txt: Tag-File-Character-Encoding is " + encoding + ", expected UTF-8");
            }
        }

        /** {@code <hex> <whitespace> <path>} lines; null when the file is missing or unusable. */
        private Map<String, String> readManifest(String name) {
            byte[] content = tagFile(name);
            if (content == null) {
                return null;
            }
            Map<String, String> entries = new LinkedHashMap<>();
            String[] lines = new String(content, UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
                if (line.isBlank()) {
                    continue;
                }
                int sep = indexOfBlank(line);
                String hex = sep < 0 ? line : line.substring(0, sep);
                String path = sep < 0 ? "" : line.substring(sep).replaceFirst("^[ \\t]+", "");
                if (path.startsWith("*")) {
                    path = path.substring(1); // sha256sum's binary-mode marker
                }
                if (!HEX64.matcher(hex).matches() || path.isEmpty()) {
                    problems.add(name + " line " + (i + 1) + ": not '<sha256>  <path>'");
                    continue;
                }
                path = decodeManifestPath(path);
                if (entries.put(path, hex) != null) {
                    problems.add(name + ": " + path + " listed more than once");
                }
            }
            return entries;
        }

        private void checkOxum() {
            byte[] content = tagFile("bag-info.txt");
            if (content == null) {
                return;
            }
            String oxum = parseTagFields(new String(content, UTF_8)).get("Payload-Oxum");
            Payload payload = payload();
            if (oxum == null) {
                problems.add("bag-info.txt: no Payload-Oxum");
            } else if (!OXUM.matcher(oxum).matches()) {
                problems.add("bag-info.txt: Payload-Oxum '" + oxum + "' is not <bytes>.<files>");
            } else if (!oxum.equals(payload.oxum())) {
                problems.add("bag-info.txt: Payload-Oxum " + oxum + " does not match the payload (" + payload.oxum()
                        + ": " + payload.bytes() + " bytes in " + payload.files() + " files)");
            }
        }

        private void checkExportManifest() {
            FileFacts facts = files.get("data/manifest.json");
            if (facts == null) {
                return;
            }
            if (facts.content == null) {
                problems.add("data/manifest.json: " + facts.unreadable);
                return;
            }
            ExportManifest manifest;
            try {
                manifest = ExportManifest.read(new ByteArrayInputStream(facts.content));
            } catch (IOException | RuntimeException e) {
                problems.add("data/manifest.json: cannot be read: " + e.getMessage());
                return;
            }
            String where = "data/manifest.json: ";
            long items = 0;
            long objects = 0;
            long bytes = 0;
            long fileCount = 0;
            for (ServiceSummary service : manifest.services()) {
                for (SourceSummary source : service.sources()) {
                    String label = "source " + service.service() + "/" + source.name() + " (" + source.kind() + ")";
                    if (SourceSummary.S3.equals(source.kind()) && source.keyMap() != null) {
                        checkBucketSource(where + label, service.service(), source);
                        objects += source.items();
                        bytes += source.bytes();
                        fileCount += source.items();
                        continue;
                    }
                    long actualBytes = 0;
                    long rows = 0;
                    boolean allPresent = true;
                    boolean rowsKnown = true;
                    for (String file : source.files()) {
                        String path = "data/" + file;
                        FileFacts f = files.get(path);
                        if (f == null) {
                            problems.add(where + label + ": file " + path + " is missing from the archive");
                            allPresent = false;
                            rowsKnown = false;
                            continue;
                        }
                        actualBytes += f.size;
                        if (f.jsonlRows >= 0) {
                            rows += f.jsonlRows;
                        } else if (f.parquetRows >= 0) {
                            rows += f.parquetRows;
                        } else {
                            rowsKnown = false;
                            if (SourceSummary.DYNAMODB.equals(source.kind())) {
                                problems.add(where + label + ": cannot count the rows of " + path
                                        + (f.unreadable != null ? " (" + f.unreadable + ")" : " (neither .jsonl nor .parquet)"));
                            }
                        }
                    }
                    if (SourceSummary.DYNAMODB.equals(source.kind())) {
                        items += source.items();
                        if (rowsKnown && rows != source.items()) {
                            problems.add(where + label + " declares " + source.items() + " items, its files hold "
                                    + rows + " rows");
                        }
                    } else if (SourceSummary.S3.equals(source.kind())) {
                        objects += source.items();
                        if (source.files().size() != source.items()) {
                            problems.add(where + label + " declares " + source.items() + " objects, it lists "
                                    + source.files().size() + " files");
                        }
                    } else {
                        problems.add(where + label + ": unknown kind '" + source.kind() + "'");
                    }
                    if (allPresent && actualBytes != source.bytes()) {
                        problems.add(where + label + " declares " + source.bytes() + " bytes, its files hold "
                                + actualBytes);
                    }
                    bytes += source.bytes();
                    fileCount += source.files().size();
                }
            }
            ExportManifest.Totals totals = manifest.totals();
            if (totals == null) {
                problems.add(where + "no totals");
                return;
            }
            Map<String, long[]> compare = new TreeMap<>();
            compare.put("items", new long[] {totals.items(), items});
            compare.put("objects", new long[] {totals.objects(), objects});
            compare.put("bytes", new long[] {totals.bytes(), bytes});
            compare.put("files", new long[] {totals.files(), fileCount});
            for (Map.Entry<String, long[]> e : compare.entrySet()) {
                if (e.getValue()[0] != e.getValue()[1]) {
                    problems.add(where + "totals." + e.getKey() + " is " + e.getValue()[0] + ", the sources add up to "
                            + e.getValue()[1]);
                }
            }
        }
    }

    /** {@code Key: value} lines, continuation lines (leading blank) appended to the previous value. */
    static Map<String, String> parseTagFields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                fields.put(last, fields.get(last) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            last = line.substring(0, colon).strip();
            fields.putIfAbsent(last, line.substring(colon + 1).strip());
        }
        return fields;
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** RFC 8493 §2.1.3: %0D, %0A and %25 in a manifest path stand for CR, LF and '%'. */
    static String decodeManifestPath(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        return path.replaceAll("(?i)%0D", "\r").replaceAll("(?i)%0A", "\n").replace("%25", "%");
    }

    /** Counts lines holding anything but blanks. */
    static final class LineCounter {
        private long lines;
        private boolean content;

        void update(byte[] b, int off, int len) {
            for (int i = off, end = off + len; i < end; i++) {
                byte c = b[i];
                if (c == '\n') {
                    if (content) {
                        lines++;
                        content = false;
                    }
                } else if (c != ' ' && c != '\r' && c != '\t') {
                    content = true;
                }
            }
        }

        long finish() {
            if (content) {
                lines++;
                content = false;
            }
            return lines;
        }
    }

    /** Hashes and counts every byte read through it. */
    private static final class HashingInputStream extends FilterInputStream {
        final MessageDigest sha = BagArchiveWriter.sha256();
        long count;

        HashingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                sha.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                sha.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] skipBuffer = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int r = read(skipBuffer, 0, (int) Math.min(skipBuffer.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
