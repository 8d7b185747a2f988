package io.offboard.lifecycle.store;

import io.offboard.lifecycle.eviction.OutboxMessage;
import io.offboard.lifecycle.eviction.Timeline;
import io.offboard.lifecycle.eviction.Timeline.Hold;
import io.offboard.lifecycle.eviction.Timeline.Mark;
import io.offboard.lifecycle.eviction.Timeline.Pause;
import io.offboard.lifecycle.eviction.Timeline.Reminder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB attributes of an eviction's {@link Timeline} and outbox: flat, named attributes so that an
 * operator reading the table in the console sees every timestamp the clocks come from.
 */
final class EvictionItems {

    private EvictionItems() {
    }

    static void putTimeline(Map<String, AttributeValue> item, Timeline t) {
        t.cutoverAt().ifPresent(at -> put(item, "cutover_at", at));
        t.pause().ifPresent(p -> {
            put(item, "pause_since", p.since());
            item.put("pause_reason", AttributeValue.fromS(p.reason()));
            item.put("pause_declared", AttributeValue.fromBool(p.declared()));
            p.fixedAt().ifPresent(at -> put(item, "pause_fixed_at", at));
            p.remindedAt().ifPresent(at -> put(item, "pause_reminded_at", at));
            p.retriedAt().ifPresent(at -> put(item, "pause_retried_at", at));
        });
        item.put("paused_total", AttributeValue.fromS(t.pausedTotal().toString()));
        t.legalHold().ifPresent(h -> {
            item.put("legal_hold_by", AttributeValue.fromS(h.by()));
            item.put("legal_hold_reason", AttributeValue.fromS(h.reason()));
            put(item, "legal_hold_since", h.since());
        });
        t.ownerDone().ifPresent(d -> {
            item.put("owner_done_by", AttributeValue.fromS(d.by()));
            put(item, "owner_done_at", d.at());
        });
        if (!t.remindersSent().isEmpty()) {
            item.put("reminders_sent", AttributeValue.fromSs(t.remindersSent().stream().map(Enum::name).toList()));
        }
        t.purgeStartedAt().ifPresent(at -> put(item, "purge_started_at", at));
        item.put("purge_attempts", AttributeValue.fromN(Integer.toString(t.purgeAttempts())));
        t.endedAt().ifPresent(at -> put(item, "ended_at", at));
    }

    static Timeline timeline(Map<String, AttributeValue> item) {
        Optional<Pause> pause = instant(item, "pause_since").map(since -> new Pause(since,
                item.get("pause_reason").s(), item.get("pause_declared").bool(), instant(item, "pause_fixed_at"),
                instant(item, "pause_reminded_at"), instant(item, "pause_retried_at")));
        Optional<Hold> hold = instant(item, "legal_hold_since").map(since ->
                new Hold(item.get("legal_hold_by").s(), item.get("legal_hold_reason").s(), since));
        Optional<Mark> done = instant(item, "owner_done_at").map(at -> new Mark(item.get("owner_done_by").s(), at));
        AttributeValue reminders = item.get("reminders_sent");
        return new Timeline(
                instant(item, "cutover_at"),
                pause,
                Optional.ofNullable(item.get("paused_total")).map(v -> Duration.parse(v.s())).orElse(Duration.ZERO),
                hold,
                done,
                reminders == null || !reminders.hasSs() ? java.util.Set.of()
                        : reminders.ss().stream().map(Reminder::valueOf).collect(Collectors.toSet()),
                instant(item, "purge_started_at"),
                Optional.ofNullable(item.get("purge_attempts")).map(v -> Integer.parseInt(v.n())).orElse(0),
                instant(item, "ended_at"));
    }

    static void putOutbox(Map<String, AttributeValue> item, List<OutboxMessage> outbox) {
        item.put("outbox", AttributeValue.fromL(outbox.stream().map(m -> {
            Map<String, AttributeValue> message = new HashMap<>(Map.of(
                    "id", AttributeValue.fromS(m.id()),
                    "kind", AttributeValue.fromS(m.kind().name()),
                    "attempts", AttributeValue.fromN(Integer.toString(m.attempts())),
                    "nonce", AttributeValue.fromS(java.util.Objects.requireNonNull(m.nonce(), "nonce")),
                    "facts", AttributeValue.fromM(m.facts().entrySet().stream().collect(Collectors.toMap(
                            Map.Entry::getKey, f -> AttributeValue.fromS(f.getValue()))))));
            if (m.postingSince() != null) {
                message.put("posting_since", AttributeValue.fromS(m.postingSince().toString()));
            }
            return AttributeValue.fromM(message);
        }).toList()));
    }

    static List<OutboxMessage> outbox(Map<String, AttributeValue> item) {
        AttributeValue outbox = item.get("outbox");
        if (outbox == null || !outbox.hasL()) {
            return List.of();
        }
        return outbox.l().stream().map(v -> {
            Map<String, AttributeValue> m = v.m();
            Map<String, String> facts = new HashMap<>();
            m.get("facts").m().forEach((k, f) -> facts.put(k, f.s()));
            int attempts = m.containsKey("attempts") ? Integer.parseInt(m.get("attempts").n()) : 0;
            String nonce = m.containsKey("nonce") ? m.get("nonce").s() : null;
            Instant postingSince = m.containsKey("posting_since") ? Instant.parse(m.get("posting_since").s()) : null;
            return new OutboxMessage(m.get("id").s(), OutboxMessage.Kind.valueOf(m.get("kind").s()), facts, attempts,
                    nonce, postingSince);
        }).toList();
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** 128 random bits: a message's marker cannot be guessed before the bot posts it. */
    static String newNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void put(Map<String, AttributeValue> item, String name, Instant at) {
        item.put(name, AttributeValue.fromS(at.toString()));
    }

    private static Optional<Instant> instant(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(v -> Instant.parse(v.s()));
    }
}
