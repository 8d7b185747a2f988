package io.offboard.exporter.source;

import io.offboard.exporter.registry.Registry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Reads one tenant's items from one registry table, page by page, resumably.
 *
 * <ul>
 *   <li>{@code partition_key}: Query {@code #k = :org} on the table, strongly consistent.</li>
 *   <li>{@code gsi}: Query {@code #k = :org} on the index (GSIs only offer eventually consistent reads).</li>
 *   <li>{@code scan}: parallel Scan with {@code TotalSegments} = {@link Options#totalSegments()} and
 *       {@code FilterExpression #a = :org}, strongly consistent. {@link #pages} reads the segments concurrently but
 *       hands pages out segment by segment (all of segment 0, then 1, ...), so the order is the same on every
 *       run.</li>
 * </ul>
 * Every page comes with the {@link Checkpoint} after it: persist it, and {@link #pages} or {@link #readPage} from
 * it later returns exactly the remaining items. Every request asks for {@code ReturnConsumedCapacity TOTAL} (unless
 * {@link Options#consumedCapacity()} is off); when the server does not report it, the page's read units are estimated
 * from the returned items' size: one unit per started 4 KB for a strongly consistent read, half for an eventually consistent one,
 * at least one request's worth (a filtered scan reads more than it returns, so its estimate is a lower bound).
 *
 * <p>Memory: {@link #pages} holds at most {@link Options#prefetchPages()} pages (each at most 1 MB, or
 * {@link Options#pageLimit()} items) per segment that are read or being read and not yet taken by the caller.
 */
public final class TableSource {

    /**
     * @param totalSegments    segments of a parallel scan (ignored by queries), 1 to 1,000,000
     * @param pageLimit        {@code Limit} of every request (items evaluated per page), 0 for DynamoDB's own 1 MB pages
     * @param prefetchPages    pages {@link #pages} may have read, or be reading, per segment before the caller takes
     *                         them, at least 1
     * @param consumedCapacity whether requests ask for {@code ReturnConsumedCapacity TOTAL}; without it every page's
     *                         read units are estimated (DynamoDB Local answers pages measurably slower with it)
     */
    public record Options(int totalSegments, int pageLimit, int prefetchPages, boolean consumedCapacity) {
        public Options {
            if (totalSegments < 1 || totalSegments > 1_000_000) {
                throw new IllegalArgumentException("totalSegments must be 1..1000000: " + totalSegments);
            }
            if (pageLimit < 0 || prefetchPages < 1) {
                throw new IllegalArgumentException("pageLimit must be >= 0 and prefetchPages >= 1");
            }
        }

        /** 4 scan segments, 1 MB pages, 4 pages read ahead per segment, consumed capacity asked for. */
        public static Options defaults() {
            return new Options(4, 0, 4, true);
        }

        public Options withTotalSegments(int totalSegments) {
            return new Options(totalSegments, pageLimit, prefetchPages, consumedCapacity);
        }

        public Options withPageLimit(int pageLimit) {
            return new Options(totalSegments, pageLimit, prefetchPages, consumedCapacity);
        }

        public Options withPrefetchPages(int prefetchPages) {
            return new Options(totalSegments, pageLimit, prefetchPages, consumedCapacity);
        }

        public Options withConsumedCapacity(boolean consumedCapacity) {
            return new Options(totalSegments, pageLimit, prefetchPages, consumedCapacity);
        }
    }

    /**
     * One response's worth of items.
     *
     * @param segment           the segment it belongs to (0 for queries)
     * @param items             the tenant's items on this page, in the order DynamoDB returned them (may be empty)
     * @param next              where to resume to get what follows this page
     * @param readCapacityUnits read units this request consumed (reported, or estimated: see the class comment)
     * @param capacityReported  whether the server reported {@code readCapacityUnits}
     * @param itemBytes         DynamoDB size of {@code items} ({@link ItemSize})
     * @param scannedCount      items DynamoDB evaluated for this page (before the scan filter)
     */
    public record Page(int segment, List<Map<String, AttributeValue>> items, Checkpoint next, double readCapacityUnits,
                       boolean capacityReported, long itemBytes, int scannedCount) {
    }

    /** Running totals for a cost summary; persist them with the checkpoint to carry them across a resume. */
    public record Totals(long items, long itemBytes, double readCapacityUnits, boolean estimated) {
        public static final Totals ZERO = new Totals(0, 0, 0, false);

        public Totals plus(Page page) {
            return new Totals(items + page.items().size(), itemBytes + page.itemBytes(),
                    readCapacityUnits + page.readCapacityUnits(), estimated || !page.capacityReported());
        }
    }

    private static final String ORG = ":org";
    private static final double UNIT_BYTES = 4096.0;

    private final DynamoDbClient dynamo;
    private final Registry.Table table;
    private final String orgcode;
    private final Options options;
    /** Attributes to read ({@code ProjectionExpression}); empty for whole items. */
    private final List<String> projection;

    public TableSource(DynamoDbClient dynamo, Registry.Table table, String orgcode) {
        this(dynamo, table, orgcode, Options.defaults());
    }

    public TableSource(DynamoDbClient dynamo, Registry.Table table, String orgcode, Options options) {
        this(dynamo, table, orgcode, options, List.of());
    }

    private TableSource(DynamoDbClient dynamo, Registry.Table table, String orgcode, Options options,
                        List<String> projection) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.orgcode = Objects.requireNonNull(orgcode, "orgcode");
        this.options = Objects.requireNonNull(options, "options");
        this.projection = List.copyOf(projection);
        if (orgcode.isBlank()) {
            throw new IllegalArgumentException("blank orgcode");
        }
        if (table.findBy() == null) {
            throw new IllegalArgumentException("table " + table.name() + " does not say how a tenant's items are found");
        }
        switch (table.findBy()) {
            case PARTITION_KEY -> require(table.key(), "key");
            case GSI -> {
                require(table.key(), "key");
                require(table.index(), "index");
            }
            case SCAN -> require(table.attribute(), "attribute");
        }
    }

    private void require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("table " + table.name() + " (find_by " + table.findBy() + ") needs " + what);
        }
    }

    /**
     * The same source reading only {@code attributes} of every item (e.g. the table's key, for the purge: a
     * smaller read than whole items). The scan filter still sees the whole item.
     */
    public TableSource withProjection(List<String> attributes) {
        if (attributes.isEmpty() || attributes.stream().anyMatch(a -> a == null || a.isBlank())) {
            throw new IllegalArgumentException("projection needs attribute names: " + attributes);
        }
        return new TableSource(dynamo, table, orgcode, options, attributes);
    }

    public Registry.Table table() {
        return table;
    }

    public String orgcode() {
        return orgcode;
    }

    public Options options() {
        return options;
    }

    /** Segments this source reads: {@link Options#totalSegments()} for a scan, 1 for a query. */
    public int segments() {
        return table.findBy() == Registry.FindBy.SCAN ? options.totalSegments() : 1;
    }

    /** Whether reads are strongly consistent (everything but a GSI query). */
    public boolean consistentRead() {
        return table.findBy() != Registry.FindBy.GSI;
    }

    /**
     * Reads the one page that follows {@code from}, on this thread, with one request. From {@link Checkpoint#DONE}
     * it returns an empty page whose {@code next} is {@code DONE}, without a request.
     */
    public Page readPage(Checkpoint from) {
        check(from);
        if (from.isDone()) {
            return new Page(-1, List.of(), Checkpoint.DONE, 0, true, 0, 0);
        }
        int segment = from.segment();
        if (table.findBy() == Registry.FindBy.SCAN) {
            return page(segment, dynamo.scan(scanRequest(segment, from.exclusiveStartKey())));
        }
        return page(segment, dynamo.query(queryRequest(from.exclusiveStartKey())));
    }

    /**
     * Every page after {@code from}, in order, with the segments of a scan read concurrently (see {@link Cursor}).
     * Close the cursor if you stop before the end.
     */
    public Cursor pages(Checkpoint from) {
        check(from);
        return new Cursor(from);
    }

    private void check(Checkpoint from) {
        Objects.requireNonNull(from, "from");
        if (!from.isDone() && from.segment() >= segments()) {
            throw new IllegalArgumentException("checkpoint " + from + " is for more than the " + segments()
                    + " segment(s) of " + table.name() + ": resume with the options it was taken with");
        }
    }

    // ---- requests ------------------------------------------------------------------------------------------

    private ReturnConsumedCapacity capacity() {
        return options.consumedCapacity() ? ReturnConsumedCapacity.TOTAL : ReturnConsumedCapacity.NONE;
    }

    QueryRequest queryRequest(Map<String, AttributeValue> startKey) {
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(table.name())
                .keyConditionExpression("#k = " + ORG)
                .expressionAttributeNames(names("#k", table.key()))
                .expressionAttributeValues(Map.of(ORG, AttributeValue.fromS(orgcode)))
                .consistentRead(consistentRead())
                .returnConsumedCapacity(capacity())
                .exclusiveStartKey(startKey);
        if (table.findBy() == Registry.FindBy.GSI) {
            request.indexName(table.index());
        }
        if (!projection.isEmpty()) {
            request.projectionExpression(projectionExpression());
        }
        if (options.pageLimit() > 0) {
            request.limit(options.pageLimit());
        }
        return request.build();
    }

    ScanRequest scanRequest(int segment, Map<String, AttributeValue> startKey) {
        ScanRequest.Builder request = ScanRequest.builder()
                .tableName(table.name())
                .segment(segment)
                .totalSegments(options.totalSegments())
                .filterExpression("#a = " + ORG)
                .expressionAttributeNames(names("#a", table.attribute()))
                .expressionAttributeValues(Map.of(ORG, AttributeValue.fromS(orgcode)))
                .consistentRead(true)
                .returnConsumedCapacity(capacity())
                .exclusiveStartKey(startKey);
        if (!projection.isEmpty()) {
            request.projectionExpression(projectionExpression());
        }
        if (options.pageLimit() > 0) {
            request.limit(options.pageLimit());
        }
        return request.build();
    }

    /** The lookup's own placeholder plus {@code #p0..} for the projected attributes (any name may be reserved). */
    private Map<String, String> names(String placeholder, String attribute) {
        Map<String, String> names = new HashMap<>();
        names.put(placeholder, attribute);
        for (int i = 0; i < projection.size(); i++) {
            names.put("#p" + i, projection.get(i));
        }
        return names;
    }

    private String projectionExpression() {
        return IntStream.range(0, projection.size()).mapToObj(i -> "#p" + i)
                .collect(Collectors.joining(","));
    }

    private Page page(int segment, QueryResponse response) {
        return page(segment, response.items(), response.lastEvaluatedKey(), response.consumedCapacity(),
                response.scannedCount());
    }

    private Page page(int segment, ScanResponse response) {
        return page(segment, response.items(), response.lastEvaluatedKey(), response.consumedCapacity(),
                response.scannedCount());
    }

    private Page page(int segment, List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastKey,
                      ConsumedCapacity capacity, Integer scanned) {
        long bytes = 0;
        for (Map<String, AttributeValue> item : items) {
            bytes += ItemSize.of(item);
        }
        Double reported = capacity == null ? null
                : capacity.capacityUnits() != null ? capacity.capacityUnits() : capacity.readCapacityUnits();
        double units = reported != null ? reported
                : Math.max(1, Math.ceil(bytes / UNIT_BYTES)) * (consistentRead() ? 1.0 : 0.5);
        return new Page(segment, List.copyOf(items), Checkpoint.after(segment, segments(), lastKey), units,
                reported != null, bytes, scanned == null ? items.size() : scanned);
    }

    // ---- concurrent reading ----------------------------------------------------------------------------------

    private static final Object END = new Object();
    private static final AtomicInteger CURSORS = new AtomicInteger();

    /**
     * Pages in checkpoint order. Each remaining segment is read by its own thread into a queue; a segment's reader
     * takes a permit before each request and the caller gives it back when it takes the page, so at most
     * {@link Options#prefetchPages()} pages per segment are read (or being read) and not yet taken. The caller takes
     * them segment by segment. A failure in any segment ends the iteration with that exception (the checkpoints
     * already handed out stay valid).
     */
    public final class Cursor implements Iterator<Page>, AutoCloseable {
        private final int first;
        private final List<BlockingQueue<Object>> queues = new ArrayList<>();
        private final List<Semaphore> permits = new ArrayList<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final ExecutorService pool;
        private volatile boolean closed;
        private int current;
        private Page lookahead;
        private boolean finished;

        private Cursor(Checkpoint from) {
            if (from.isDone()) {
                this.first = segments();
                this.current = first;
                this.finished = true;
                this.pool = null;
                return;
            }
            this.first = from.segment();
            this.current = first;
            int count = segments() - first;
            int id = CURSORS.incrementAndGet();
            AtomicInteger threads = new AtomicInteger();
            ThreadFactory factory = runnable -> {
                Thread thread = new Thread(runnable, "table-source-" + table.name() + "-" + id + "-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
            this.pool = Executors.newFixedThreadPool(count, factory);
            for (int s = first; s < segments(); s++) {
                // unbounded: the permits bound it
                BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
                Semaphore segmentPermits = new Semaphore(options.prefetchPages());
                queues.add(queue);
                permits.add(segmentPermits);
                int segment = s;
                Map<String, AttributeValue> startKey = s == first ? from.exclusiveStartKey() : null;
                pool.execute(() -> produce(segment, startKey, queue, segmentPermits));
            }
            pool.shutdown();
        }

        private void produce(int segment, Map<String, AttributeValue> startKey, BlockingQueue<Object> queue,
                             Semaphore segmentPermits) {
            try {
                Map<String, AttributeValue> key = startKey;
                do {
                    segmentPermits.acquire();
                    if (closed) {
                        return;
                    }
                    // the caller turns the response into a Page (sizing every item): this thread goes straight on
                    // to the next request, as a plain paginated read does
                    if (table.findBy() == Registry.FindBy.SCAN) {
                        ScanResponse response = dynamo.scan(scanRequest(segment, key));
                        key = response.lastEvaluatedKey();
                        queue.put(response);
                    } else {
                        QueryResponse response = dynamo.query(queryRequest(key));
                        key = response.lastEvaluatedKey();
                        queue.put(response);
                    }
                } while (key != null && !key.isEmpty());
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                if (!closed) {
                    failure.compareAndSet(null, e);
                }
            }
        }

        @Override
        public boolean hasNext() {
            if (lookahead != null) {
                return true;
            }
            while (!finished) {
                rethrow();
                if (closed) {
                    throw new IllegalStateException("cursor is closed");
                }
                Object next;
                try {
                    next = queues.get(current - first).poll(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new IllegalStateException("interrupted while reading " + table.name(), e);
                }
                if (next == null) {
                    continue;
                }
                if (next == END) {
                    current++;
                    finished = current >= segments();
                    continue;
                }
                permits.get(current - first).release();
                lookahead = next instanceof ScanResponse scan ? page(current, scan) : page(current, (QueryResponse) next);
                return true;
            }
            return false;
        }

        @Override
        public Page next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Page page = lookahead;
            lookahead = null;
            return page;
        }

        private void rethrow() {
            Throwable e = failure.get();
            if (e == null) {
                return;
            }
            close();
            if (e instanceof SdkException sdk) {
                throw sdk;
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("reading " + table.name() + " failed", e);
        }

        /** Stops the readers; pages not yet taken are dropped (resume from the last checkpoint taken). */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (pool != null) {
                    pool.shutdownNow();
                }
            }
        }
    }
}
