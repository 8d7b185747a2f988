package io.offboard.lifecycle.eviction;

import java.util.Map;
import java.util.Objects;

/**
 * Something the bot must say or do on GitHub because of a state change, stored in the same write as the
 * change (an outbox): if GitHub fails, a later sweep delivers it; it is delivered once, then removed.
 *
 * @param id    unique within the eviction; a posted comment carries it in a hidden marker so a delivery
 *              interrupted after posting is recognised and not posted twice
 * @param kind  what to do
 * @param facts    the values the message's template needs, fixed when the change was made
 * @param attempts deliveries tried and refused so far
 * @param nonce    random, given by the store when the message is first written (null until then): the hidden
 *                 marker of the message's comment carries it, so nobody can forge a marker in advance that the
 *                 bot would take for the message already posted
 * @param postingSince when a delivery of the comment was first tried (recorded before posting; null before): after a
 *                 crash the comment is looked for only among comments since then, never in the whole thread
 */
public record OutboxMessage(String id, Kind kind, Map<String, String> facts, int attempts, String nonce,
                            java.time.Instant postingSince) {

    public OutboxMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        facts = Map.copyOf(facts);
    }

    public OutboxMessage(String id, Kind kind, Map<String, String> facts) {
        this(id, kind, facts, 0, null, null);
    }

    /** The same message after one more refused delivery. */
    public OutboxMessage attempted() {
        return new OutboxMessage(id, kind, facts, attempts + 1, nonce, postingSince);
    }

    /** The same message with its nonce (the store's bookkeeping). */
    public OutboxMessage withNonce(String newNonce) {
        return new OutboxMessage(id, kind, facts, attempts, newNonce, postingSince);
    }

    /** The same message once its posting is about to be tried for the first time. */
    public OutboxMessage posting(java.time.Instant at) {
        return postingSince != null ? this : new OutboxMessage(id, kind, facts, attempts, nonce, at);
    }

    public enum Kind {
        /** A new comment rendered from the template named in the fact {@code template}. */
        COMMENT,
        /** Add the label in the fact {@code label}. */
        LABEL,
        /** Close the issue if it is still open. */
        CLOSE_ISSUE,
        /** Send the {@code tenant-teardown} repository_dispatch to the infrastructure repository. */
        DISPATCH_TEARDOWN,
        /** Re-render the status comment from the stored record. */
        REFRESH_STATUS
    }

    public static OutboxMessage comment(String id, String template, Map<String, String> facts) {
        java.util.HashMap<String, String> all = new java.util.HashMap<>(facts);
        all.put("template", template);
        return new OutboxMessage(id, Kind.COMMENT, all);
    }

    public static OutboxMessage label(String id, String label) {
        return new OutboxMessage(id, Kind.LABEL, Map.of("label", label));
    }

    public String template() {
        return facts.get("template");
    }
}
