package io.offboard.lifecycle.store;

import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.eviction.FormFields;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Stores eviction records. Every write is conditional on the revision that was read, and a tenant is
 * held by at most one open eviction through a claim item written in the same transaction, so two
 * replicas (or a replica and an Actions sweep) can never both act on a stale view.
 *
 * <p>Attributes are mapped by hand rather than with the enhanced client so that the domain record stays
 * free of SDK annotations and the condition expressions stay next to the attributes they test.
 */
public class EvictionStore {

    static final String KEY = "eviction_id";
    /** Tries of {@link #modify} against concurrent writers. */
    static final int ATTEMPTS = 5;
    static final String CLAIM_KEY = "tenant";
    /** Sparse GSI: only records with something due (now or later) carry its attributes. */
    static final String DUE_INDEX = "by_due";
    static final String DUE_SHARD = "due_shard";
    static final String DUE_AT = "due_at";
    private static final String DUE_SHARD_VALUE = "due";

    private final DynamoDbClient dynamo;
    private final BotTables tables;

    public EvictionStore(DynamoDbClient dynamo, BotTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    public Optional<Eviction> find(EvictionId id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.evictions())
                .key(Map.of(KEY, AttributeValue.fromS(id.toString())))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** The open eviction holding {@code tenant}, if any. */
    public Optional<EvictionId> tenantHolder(String tenant) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.tenantClaims())
                .key(Map.of(CLAIM_KEY, AttributeValue.fromS(tenant)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(EvictionId.parse(item.get(KEY).s()));
    }

    /** Stores a new record (revision 1); fails if the issue already has one or the tenant is held. */
    public Eviction insert(Eviction eviction) {
        Eviction stored = eviction.atRevision(1).withMessageNonces(EvictionItems::newNonce);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(tables.evictions())
                .item(toItem(stored))
                .conditionExpression("attribute_not_exists(" + KEY + ")")).build());
        if (stored.state().holdsTenant()) {
            writes.add(claim(stored));
        }
        commit(writes, stored);
        return stored;
    }

    /**
     * Replaces {@code previous} by {@code next}; fails with {@link ConcurrentChangeException} if the stored
     * revision is no longer {@code previous.revision()}. Moves the tenant claim along with the record.
     */
    public Eviction update(Eviction previous, Eviction next) {
        if (!previous.id().equals(next.id())) {
            throw new IllegalArgumentException("cannot replace " + previous.id() + " by " + next.id());
        }
        Eviction stored = next.atRevision(previous.revision() + 1).withMessageNonces(EvictionItems::newNonce);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(tables.evictions())
                .item(toItem(stored))
                .conditionExpression("revision = :expected")
                .expressionAttributeValues(Map.of(":expected", number(previous.revision())))).build());
        boolean heldBefore = previous.state().holdsTenant();
        boolean holdsAfter = stored.state().holdsTenant();
        boolean sameTenant = Objects.equals(previous.tenant(), stored.tenant());
        if (holdsAfter && !(heldBefore && sameTenant)) {
            writes.add(claim(stored));
        }
        if (heldBefore && !(holdsAfter && sameTenant)) {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(tables.tenantClaims())
                    .key(Map.of(CLAIM_KEY, AttributeValue.fromS(previous.tenant())))
                    .conditionExpression(KEY + " = :id")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(previous.id().toString()))))
                    .build());
        }
        commit(writes, stored);
        return stored;
    }

    /**
     * Applies {@code change} to the record, starting from {@code known}; if someone else wrote it in between,
     * re-reads it and applies the change again (at most {@value #ATTEMPTS} times). {@code change} returns empty
     * when, on the fresh record, there is nothing left to do; the record as read is returned then.
     */
    public Eviction modify(Eviction known, Function<Eviction, Optional<Eviction>> change) {
        return Revisions.modify(known, change, this::update, () -> find(known.id()), ATTEMPTS);
    }

    private TransactWriteItem claim(Eviction eviction) {
        return TransactWriteItem.builder().put(p -> p.tableName(tables.tenantClaims())
                .item(Map.of(CLAIM_KEY, AttributeValue.fromS(eviction.tenant()),
                        KEY, AttributeValue.fromS(eviction.id().toString())))
                .conditionExpression("attribute_not_exists(" + CLAIM_KEY + ") OR " + KEY + " = :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(eviction.id().toString()))))
                .build();
    }

    private void commit(List<TransactWriteItem> writes, Eviction stored) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            boolean recordFailed = !reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code());
            if (recordFailed) {
                throw new ConcurrentChangeException("eviction " + stored.id()
                        + " changed since it was read (or already exists); re-read it and try again");
            }
            boolean claimFailed = reasons.stream().skip(1).anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
            if (claimFailed) {
                throw new TenantClaimedException(stored.tenant());
            }
            throw e;
        }
    }

    /**
     * Evictions with a step due at or before {@code now}, or a message still to deliver, from the sparse
     * due index: its cost grows with what is due, not with the number of evictions ever filed. The index is
     * eventually consistent; callers re-read each record (and lease it) before acting.
     */
    public List<EvictionId> dueBy(Instant now) {
        List<EvictionId> due = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(tables.evictions())
                        .indexName(DUE_INDEX)
                        .keyConditionExpression(DUE_SHARD + " = :shard AND " + DUE_AT + " <= :now")
                        .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(DUE_SHARD_VALUE),
                                ":now", number(now.toEpochMilli())))
                        .projectionExpression(KEY))
                .items().forEach(item -> due.add(EvictionId.parse(item.get(KEY).s())));
        return due;
    }

    static Map<String, AttributeValue> toItem(Eviction e) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, AttributeValue.fromS(e.id().toString()));
        item.put("state", AttributeValue.fromS(e.state().name()));
        putIfPresent(item, "tenant", e.tenant());
        item.put("owners", AttributeValue.fromL(e.owners().stream().map(AttributeValue::fromS).toList()));
        putIfPresent(item, "eviction_date", e.evictionDate() == null ? null : e.evictionDate().toString());
        putIfPresent(item, "reason", e.reason());
        item.put("filed_by", AttributeValue.fromS(e.filedBy()));
        item.put("problems", AttributeValue.fromL(e.problems().stream().map(AttributeValue::fromS).toList()));
        if (!e.ownerIds().isEmpty()) {
            item.put("owner_ids", AttributeValue.fromM(e.ownerIds().entrySet().stream().collect(
                    java.util.stream.Collectors.toMap(Map.Entry::getKey, id -> number(id.getValue())))));
        }
        if (e.form() != null) {
            putIfPresent(item, "form_tenant", e.form().tenant());
            putIfPresent(item, "form_owners", e.form().owners());
            putIfPresent(item, "form_eviction_date", e.form().evictionDate());
            putIfPresent(item, "form_reason", e.form().reason());
            item.put("form_kept", AttributeValue.fromBool(true));
        }
        if (!e.formNotes().isEmpty()) {
            item.put("form_notes", AttributeValue.fromL(e.formNotes().stream().map(AttributeValue::fromS).toList()));
        }
        e.statusCommentId().ifPresent(id -> item.put("status_comment_id", number(id)));
        e.statusCommentDigest().ifPresent(d -> item.put("status_comment_digest", AttributeValue.fromS(d)));
        item.put("created_at", AttributeValue.fromS(e.createdAt().toString()));
        item.put("updated_at", AttributeValue.fromS(e.updatedAt().toString()));
        item.put("revision", number(e.revision()));
        EvictionItems.putTimeline(item, e.timeline());
        EvictionItems.putOutbox(item, e.outbox());
        dueAt(e).ifPresent(at -> {
            item.put(DUE_SHARD, AttributeValue.fromS(DUE_SHARD_VALUE));
            item.put(DUE_AT, number(at.toEpochMilli()));
        });
        return item;
    }

    static Eviction fromItem(Map<String, AttributeValue> item) {
        return new Eviction(
                EvictionId.parse(item.get(KEY).s()),
                EvictionState.valueOf(item.get("state").s()),
                string(item, "tenant"),
                strings(item, "owners"),
                Optional.ofNullable(string(item, "eviction_date")).map(LocalDate::parse).orElse(null),
                string(item, "reason"),
                item.get("filed_by").s(),
                strings(item, "problems"),
                ownerIds(item),
                item.containsKey("form_kept") ? new FormFields(string(item, "form_tenant"), string(item, "form_owners"),
                        string(item, "form_eviction_date"), string(item, "form_reason")) : null,
                strings(item, "form_notes"),
                Optional.ofNullable(item.get("status_comment_id")).map(v -> Long.parseLong(v.n())),
                Optional.ofNullable(string(item, "status_comment_digest")),
                Instant.parse(item.get("created_at").s()),
                Instant.parse(item.get("updated_at").s()),
                EvictionItems.timeline(item),
                EvictionItems.outbox(item),
                Long.parseLong(item.get("revision").n()));
    }

    /**
     * Rewrites every record whose due-index attributes are missing or stale (records stored before the index
     * existed); returns how many. A scan of the whole table: an operator's one-off, not part of a sweep.
     */
    public int reindex() {
        int rewritten = 0;
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(tables.evictions())
                .consistentRead(true)).items()) {
            Eviction e = fromItem(item);
            Map<String, AttributeValue> expected = toItem(e.withMessageNonces(EvictionItems::newNonce));
            if (Objects.equals(item.get(DUE_AT), expected.get(DUE_AT))
                    && Objects.equals(item.get(DUE_SHARD), expected.get(DUE_SHARD))) {
                continue;
            }
            try {
                update(e, e);
                rewritten++;
            } catch (ConcurrentChangeException changedMeanwhile) {
                // written by someone else since the scan, with its index attributes
            }
        }
        return rewritten;
    }

    /** Every record whose owners are named by login only (stored before owner ids were kept); a full scan, one-off. */
    public List<Eviction> withOwnersWithoutId() {
        List<Eviction> found = new ArrayList<>();
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(tables.evictions())
                .consistentRead(true)).items()) {
            Eviction e = fromItem(item);
            if (e.state() != EvictionState.INVALID && !e.ownersWithoutId().isEmpty()) {
                found.add(e);
            }
        }
        return found;
    }

    /** When a sweep should next look at the record: its next step, or now if messages wait for delivery. */
    static Optional<Instant> dueAt(Eviction e) {
        Optional<Instant> step = EvictionJourney.nextDue(e);
        if (e.outbox().isEmpty()) {
            return step;
        }
        return Optional.of(step.filter(at -> at.isBefore(e.updatedAt())).orElse(e.updatedAt()));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static Map<String, Long> ownerIds(Map<String, AttributeValue> item) {
        AttributeValue v = item.get("owner_ids");
        Map<String, Long> ids = new HashMap<>();
        if (v != null && v.hasM()) {
            v.m().forEach((login, id) -> ids.put(login, Long.parseLong(id.n())));
        }
        return ids;
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static List<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasL() ? List.of() : v.l().stream().map(AttributeValue::s).toList();
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }
}
