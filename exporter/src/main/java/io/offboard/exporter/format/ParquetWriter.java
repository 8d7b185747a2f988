package io.offboard.exporter.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.offboard.exporter.registry.Registry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Parquet export of one table, written by parquet-hadoop without Hadoop's file system or configuration (an
 * {@link OutputFile} over the caller's stream, {@link PlainParquetConfiguration}).
 *
 * <p>Schema, in this order:
 * <ol>
 *   <li>{@code exported_at_utc}: required {@code BINARY (STRING)}, the row's as-of time;</li>
 *   <li>{@code source_revision}: optional {@code BINARY (STRING)}, the item's revision when it has one;</li>
 *   <li>one optional column per column the registry declares for the table, in declaration order:
 *       {@code string} → {@code BINARY (STRING)}, {@code long} → {@code INT64}, {@code double} → {@code DOUBLE},
 *       {@code boolean} → {@code BOOLEAN}, {@code timestamp} → {@code INT64 TIMESTAMP(MILLIS, isAdjustedToUTC)}
 *       parsed from ISO-8601 strings (conversion rules: {@link ColumnType});</li>
 *   <li>{@code item_json}: required {@code BINARY (STRING)}, the whole item (every attribute, without the two
 *       export columns) as canonical JSON ({@link CanonicalJson}), so nothing is lost.</li>
 * </ol>
 *
 * <p>Deterministic: the same rows with the same options give the same bytes. The footer holds no time;
 * {@code created_by} is the parquet-mr version string of the library in the build ({@code parquet-mr version
 * 1.18.1 (build ...)}), constant for a given build. Row groups are cut by this writer's own size checks, never by
 * the JVM-wide memory manager (that one is only used by Hadoop's output format).
 *
 * <p>Two threads: the caller's converts each row's typed columns; the writer's own encoding thread runs
 * parquet-hadoop (column encoding, statistics, compression, output), taking the rows in the order they were
 * written, so the output does not depend on the threads' timing. Serialising {@code item_json} is shared: the
 * encoding thread does it unless it falls behind, then the caller's thread does it for the next batches (the same
 * bytes either way). A row must not be modified after it is written. A failure on the encoding thread surfaces on
 * the next {@link #write} or on {@link #finish}. Not for use by several callers at once; always {@link #finish} or
 * {@link #close} it (that ends the thread).
 *
 * <p>Encodings: parquet-hadoop's defaults (format v1 data pages, dictionary encoding with fallback to plain, min/max
 * statistics), except that {@code item_json} is never dictionary-encoded nor given statistics, and a column whose
 * dictionary passes {@value #DICTIONARY_BYTES} bytes in a row group is written plain. Pages are compressed by
 * {@link PageCodecs} (default ZSTD level 3).
 *
 * <p>Memory: one row group is buffered (default {@value #DEFAULT_ROW_GROUP_BYTES} bytes, configurable; parquet-hadoop
 * counts the compressed pages plus the pages being filled), plus at most {@value #QUEUED_BATCHES} batches of
 * {@value #BATCH} rows waiting for the encoding thread.
 */
public final class ParquetWriter implements RowWriter {

    public static final String EXPORTED_AT_UTC = ExportRow.EXPORTED_AT_UTC;
    public static final String SOURCE_REVISION = ExportRow.SOURCE_REVISION;
    public static final String ITEM_JSON = "item_json";
    /** Key of the file's key-value metadata naming the table. */
    public static final String TABLE_METADATA_KEY = "offboard.table";
    public static final long DEFAULT_ROW_GROUP_BYTES = 16L * 1024 * 1024;
    public static final int DEFAULT_PAGE_BYTES = 1024 * 1024;
    /** The largest dictionary a column keeps per row group before it is written plain. */
    static final int DICTIONARY_BYTES = 64 * 1024;
    /** ZSTD through zstd-jni (already on the exporter's class path for {@code .tar.zst}). */
    public static final CompressionCodecName DEFAULT_CODEC = CompressionCodecName.ZSTD;

    /**
     * @param codec         page compression: ZSTD, SNAPPY, GZIP, LZ4_RAW or UNCOMPRESSED (see {@link PageCodecs}; none
     *                      needs Hadoop's native library or configuration)
     * @param rowGroupBytes target row group size (the writer buffers about this much)
     * @param pageBytes     target page size
     */
    public record Options(CompressionCodecName codec, long rowGroupBytes, int pageBytes) {
        public Options {
            Objects.requireNonNull(codec, "codec");
            if (rowGroupBytes < 64 * 1024 || pageBytes < 1024) {
                throw new IllegalArgumentException("row group must be >= 64 KiB and page >= 1 KiB");
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_CODEC, DEFAULT_ROW_GROUP_BYTES, DEFAULT_PAGE_BYTES);
        }

        public Options withCodec(CompressionCodecName codec) {
            return new Options(codec, rowGroupBytes, pageBytes);
        }

        public Options withRowGroupBytes(long rowGroupBytes) {
            return new Options(codec, rowGroupBytes, pageBytes);
        }
    }

    /** Rows handed to the encoding thread at a time, and how many such batches may wait. */
    private static final int BATCH = 64;
    private static final int QUEUED_BATCHES = 16;
    private static final Prepared[] END = new Prepared[0];
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final StreamOutputFile file;
    private final org.apache.parquet.hadoop.ParquetWriter<Prepared> writer;
    private final String[] names;
    private final ColumnType[] types;
    private final BlockingQueue<Prepared[]> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    /** The encoding thread, or null when this writer encodes on the caller's thread. */
    private final Thread encoder;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long encodedBytes;
    private volatile long encodedRows;
    private volatile long batchesEncoded;
    private long batchesHanded;
    private Prepared[] batch = new Prepared[BATCH];
    private int batched;
    private long rows;
    private Written written;
    private boolean serializeHere;
    private final JsonEncoder json = new JsonEncoder();
    private String lastExportedAt;
    private Binary lastExportedAtBinary;

    /** A writer for a registry table: its declared columns become typed columns. */
    public static ParquetWriter forTable(OutputStream out, Registry.Table table) throws IOException {
        return forTable(out, table, Options.defaults());
    }

    public static ParquetWriter forTable(OutputStream out, Registry.Table table, Options options) throws IOException {
        return new ParquetWriter(out, table.name(), table.columns(), options);
    }

    /**
     * @param out     receives the file; stays open
     * @param table   the table's name (the schema's name and the {@value #TABLE_METADATA_KEY} metadata)
     * @param columns typed columns: attribute → {@code string|long|double|boolean|timestamp}, in column order
     */
    public ParquetWriter(OutputStream out, String table, Map<String, String> columns, Options options)
            throws IOException {
        this(out, table, columns, options, true);
    }

    /** {@code encodingThread} false: everything on the caller's thread (the benchmark compares both). */
    ParquetWriter(OutputStream out, String table, Map<String, String> columns, Options options, boolean encodingThread)
            throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        Map<String, ColumnType> typed = typedColumns(columns);
        MessageType schema = typedSchema(table, typed);
        this.names = typed.keySet().toArray(String[]::new);
        this.types = typed.values().toArray(ColumnType[]::new);
        this.file = new StreamOutputFile(out);
        this.writer = new Builder(file, new PreparedWriteSupport(schema, names, types, table))
                .withConf(new PlainParquetConfiguration())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCodecFactory(new PageCodecs())
                .withCompressionCodec(options.codec())
                .withRowGroupSize(options.rowGroupBytes())
                .withPageSize(options.pageBytes())
                // a column whose distinct values outgrow this within a row group (ids, timestamps) falls back to
                // plain early instead of hashing every value into a dictionary it will drop; statuses, currencies
                // and the like stay dictionary-encoded
                .withDictionaryPageSize(DICTIONARY_BYTES)
                .withDictionaryEncoding(true)
                // every item_json is different: a dictionary would only be built to be thrown away
                .withDictionaryEncoding(ITEM_JSON, false)
                // min/max of whole JSON documents in every page header would only bloat the file
                .withStatisticsEnabled(ITEM_JSON, false)
                .withValidation(false)
                .build();
        if (encodingThread) {
            this.encoder = new Thread(this::encode, "parquet-" + messageName(table) + "-" + THREADS.incrementAndGet());
            this.encoder.setDaemon(true);
            this.encoder.start();
        } else {
            this.encoder = null;
        }
    }

    /** The schema of a table's file (see the class comment). */
    public static MessageType schema(String table, Map<String, String> columns) {
        return typedSchema(table, typedColumns(columns));
    }

    private static MessageType typedSchema(String table, Map<String, ColumnType> columns) {
        List<Type> fields = new ArrayList<>();
        fields.add(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(EXPORTED_AT_UTC));
        fields.add(Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(SOURCE_REVISION));
        columns.forEach((name, type) -> fields.add(switch (type) {
            case STRING -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
            case LONG -> Types.optional(PrimitiveTypeName.INT64).named(name);
            case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE).named(name);
            case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
            case TIMESTAMP -> Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(name);
        }));
        fields.add(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(ITEM_JSON));
        return new MessageType(messageName(table), fields);
    }

    private static Map<String, ColumnType> typedColumns(Map<String, String> columns) {
        Map<String, ColumnType> typed = new LinkedHashMap<>();
        if (columns != null) {
            columns.forEach((name, type) -> {
                if (name.equals(EXPORTED_AT_UTC) || name.equals(SOURCE_REVISION) || name.equals(ITEM_JSON)) {
                    throw new IllegalArgumentException("column " + name + " is one of the export's own columns");
                }
                typed.put(name, ColumnType.of(type));
            });
        }
        return Collections.unmodifiableMap(typed);
    }

    private static String messageName(String table) {
        String name = table == null || table.isBlank() ? "rows" : table.replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    /**
     * Converts the row's typed columns on the caller's thread and hands the row to this writer's encoding thread
     * (see the class comment). The row must not be modified afterwards.
     */
    @Override
    public void write(ObjectNode row) throws IOException {
        if (written != null) {
            throw new IllegalStateException("writer is finished");
        }
        rethrow();
        if (encoder == null) {
            writer.write(prepare(row, true));
            rows++;
            return;
        }
        if (batched == 0) {
            // share item_json between the threads: when the encoder falls behind, this thread serialises too
            serializeHere = queue.size() >= QUEUED_BATCHES / 4;
        }
        Prepared prepared = prepare(row, serializeHere);
        batch[batched++] = prepared;
        rows++;
        if (batched == BATCH) {
            hand(batch);
            batch = new Prepared[BATCH];
            batched = 0;
        }
    }

    @Override
    public long rowsWritten() {
        return rows;
    }

    /** The encoder's own figure for the rows it has encoded, plus the rows not encoded yet at its average so far. */
    @Override
    public long bytesWritten() {
        if (written != null) {
            return written.bytes();
        }
        if (encoder == null) {
            return writer.getDataSize();
        }
        long encoded = encodedBytes;
        long done = encodedRows;
        long pending = rows - done;
        return encoded + (done == 0 ? 0 : pending * (encoded / done));
    }

    @Override
    public Written finish() throws IOException {
        if (written == null && encoder == null) {
            writer.close();
            written = new Written(rows, file.position());
        }
        if (written == null) {
            if (batched > 0) {
                hand(java.util.Arrays.copyOf(batch, batched));
                batched = 0;
            }
            hand(END);
            try {
                encoder.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                encoder.interrupt();
                throw new InterruptedIOException("interrupted while finishing the Parquet file");
            }
            rethrow();
            written = new Written(rows, file.position());
        }
        return written;
    }

    /**
     * Waits until the encoding thread has encoded every row written so far (for measurements: the benchmark times
     * the whole of the writer's work, its own thread included).
     */
    void drain() throws IOException {
        if (encoder == null) {
            return;
        }
        if (batched > 0) {
            hand(java.util.Arrays.copyOf(batch, batched));
            batched = 0;
        }
        while (batchesEncoded < batchesHanded) {
            rethrow();
            if (!encoder.isAlive()) {
                throw new IOException("the Parquet encoding thread stopped");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
    }

    private void hand(Prepared[] rows) throws IOException {
        if (rows != END) {
            batchesHanded++;
        }
        try {
            while (!queue.offer(rows, 50, TimeUnit.MILLISECONDS)) {
                rethrow();
                if (!encoder.isAlive()) {
                    throw new IOException("the Parquet encoding thread stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            encoder.interrupt();
            throw new InterruptedIOException("interrupted while writing a Parquet file");
        }
    }

    /** The encoding thread: rows into parquet-hadoop, in order, until {@link #END}; closes the file at the end. */
    private void encode() {
        try {
            while (true) {
                Prepared[] rows = queue.take();
                if (rows == END) {
                    break;
                }
                for (Prepared row : rows) {
                    writer.write(row);
                }
                encodedBytes = writer.getDataSize();
                encodedRows += rows.length;
                batchesEncoded++;
            }
            writer.close();
            encodedBytes = file.position();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private void rethrow() throws IOException {
        Throwable e = failure.get();
        if (e == null) {
            return;
        }
        if (e instanceof IOException io) {
            throw new IOException("writing the Parquet file failed: " + io.getMessage(), io);
        }
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        throw new IOException("writing the Parquet file failed", e);
    }

    /**
     * A row with its typed columns converted; {@code values[i]} is a Binary, Long, Double, Boolean or null.
     * {@code itemJson} is the serialised row when the caller's thread made it, else null and the encoding thread
     * serialises {@code row} (the same bytes either way).
     */
    private record Prepared(Binary exportedAt, Binary revision, Object[] values, ObjectNode row, byte[] itemJson) {
    }

    private Prepared prepare(ObjectNode row, boolean serialize) {
        JsonNode exportedAt = row.get(EXPORTED_AT_UTC);
        if (exportedAt == null || !exportedAt.isTextual()) {
            throw new IllegalArgumentException("an export row needs " + EXPORTED_AT_UTC + " (see ExportRow.of)");
        }
        String at = exportedAt.textValue();
        if (!at.equals(lastExportedAt)) {
            lastExportedAt = at;
            lastExportedAtBinary = Binary.fromString(at);
        }
        JsonNode revisionNode = row.get(SOURCE_REVISION);
        Binary revision = null;
        if (revisionNode != null && !revisionNode.isNull()) {
            revision = Binary.fromString(revisionNode.isTextual() ? revisionNode.textValue() : revisionNode.asText());
        }
        Object[] values = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            Object value = types[i].convert(row.get(names[i]));
            values[i] = value instanceof String text ? Binary.fromString(text) : value;
        }
        return new Prepared(lastExportedAtBinary, revision, values, row, serialize ? itemJson(row, json) : null);
    }

    /** The row without the export's own columns, as canonical JSON. */
    static byte[] itemJson(ObjectNode row, JsonEncoder json) {
        return json.reset().write(row, ExportRow.METADATA).toByteArray();
    }

    // ---- parquet-hadoop plumbing -----------------------------------------------------------------------------

    private static final class Builder extends org.apache.parquet.hadoop.ParquetWriter.Builder<Prepared, Builder> {
        private final PreparedWriteSupport support;

        Builder(OutputFile file, PreparedWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Prepared> getWriteSupport(Configuration conf) {
            return support;
        }

        @Override
        protected WriteSupport<Prepared> getWriteSupport(ParquetConfiguration conf) {
            return support;
        }
    }

    /** Writes one prepared row as one Parquet record, straight into the column writers. */
    private static final class PreparedWriteSupport extends WriteSupport<Prepared> {
        private final MessageType schema;
        private final String[] names;
        private final ColumnType[] types;
        private final String table;
        private final JsonEncoder json = new JsonEncoder();
        private RecordConsumer consumer;

        PreparedWriteSupport(MessageType schema, String[] names, ColumnType[] types, String table) {
            this.schema = schema;
            this.names = names;
            this.types = types;
            this.table = table;
        }

        @Override
        public String getName() {
            return "offboard";
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return context();
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return context();
        }

        private WriteContext context() {
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(TABLE_METADATA_KEY, table == null ? "" : table);
            return new WriteContext(schema, metadata);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Prepared row) {
            consumer.startMessage();
            int index = 0;
            binary(EXPORTED_AT_UTC, index++, row.exportedAt());
            if (row.revision() != null) {
                binary(SOURCE_REVISION, index, row.revision());
            }
            index++;
            Object[] values = row.values();
            for (int i = 0; i < names.length; i++, index++) {
                Object value = values[i];
                if (value == null) {
                    continue;
                }
                consumer.startField(names[i], index);
                switch (types[i]) {
                    case STRING -> consumer.addBinary((Binary) value);
                    case LONG, TIMESTAMP -> consumer.addLong((Long) value);
                    case DOUBLE -> consumer.addDouble((Double) value);
                    case BOOLEAN -> consumer.addBoolean((Boolean) value);
                }
                consumer.endField(names[i], index);
            }
            byte[] item = row.itemJson() != null ? row.itemJson() : itemJson(row.row(), json);
            binary(ITEM_JSON, index, Binary.fromConstantByteArray(item));
            consumer.endMessage();
        }

        private void binary(String field, int index, Binary value) {
            consumer.startField(field, index);
            consumer.addBinary(value);
            consumer.endField(field, index);
        }
    }

    /** A Parquet {@link OutputFile} over a stream it does not own: closing it flushes, never closes the stream. */
    static final class StreamOutputFile implements OutputFile {
        private final OutputStream target;
        private Stream stream;

        StreamOutputFile(OutputStream target) {
            this.target = target;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            if (stream != null) {
                throw new IllegalStateException("a stream output file can be written once");
            }
            stream = new Stream(new BufferedOutputStream(new NonClosing(target), 64 * 1024));
            return stream;
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }

        @Override
        public String getPath() {
            return "stream";
        }

        long position() {
            return stream == null ? 0 : stream.position;
        }

        private static final class Stream extends PositionOutputStream {
            private final OutputStream out;
            private long position;

            Stream(OutputStream out) {
                this.out = out;
            }

            @Override
            public long getPos() {
                return position;
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                position++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                position += len;
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close(); // flushes the buffer; NonClosing keeps the caller's stream open
            }
        }

        private static final class NonClosing extends OutputStream {
            private final OutputStream out;

            NonClosing(OutputStream out) {
                this.out = out;
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        }
    }
}
