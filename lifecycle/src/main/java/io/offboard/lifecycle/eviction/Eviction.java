package io.offboard.lifecycle.eviction;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The stored eviction record: the single source of every clock and decision about one tenant's eviction.
 * Immutable; each change produces a new value that the store writes conditionally on {@link #revision()}.
 *
 * @param statusCommentId     the one status comment the bot edits in place (absent until first posted)
 * @param statusCommentDigest SHA-256 of the text last written there, so an unchanged comment is not edited
 * @param timeline            the stored facts every clock is computed from (cutover, pauses, hold, done, reminders)
 * @param outbox              what must still be said or done on GitHub because of a change to this record
 */
public record Eviction(
        EvictionId id,
        EvictionState state,
        String tenant,
        List<String> owners,
        LocalDate evictionDate,
        String reason,
        String filedBy,
        List<String> problems,
        Optional<Long> statusCommentId,
        Optional<String> statusCommentDigest,
        Instant createdAt,
        Instant updatedAt,
        Timeline timeline,
        List<OutboxMessage> outbox,
        long revision) {

    public Eviction {
        owners = List.copyOf(owners);
        problems = List.copyOf(problems);
        outbox = List.copyOf(outbox);
    }

    /** A new record for a form that passed every intake rule. */
    public static Eviction accepted(EvictionId id, EvictionForm form, String filedBy, Instant now) {
        return new Eviction(id, EvictionState.NOTICE, form.tenant().orElseThrow(), form.owners(),
                form.evictionDate().orElseThrow(), form.reason().orElseThrow(), filedBy, List.of(),
                Optional.empty(), Optional.empty(), now, now, Timeline.EMPTY, List.of(), 0);
    }

    /** A new record for a form with problems; it holds no tenant until an edit fixes it. */
    public static Eviction invalid(EvictionId id, EvictionForm form, List<String> problems, String filedBy, Instant now) {
        return new Eviction(id, EvictionState.INVALID, form.tenant().orElse(null), form.owners(),
                form.evictionDate().orElse(null), form.reason().orElse(null), filedBy, problems,
                Optional.empty(), Optional.empty(), now, now, Timeline.EMPTY, List.of(), 0);
    }

    /** The same record re-validated after the operator edited the issue form. */
    public Eviction revised(EvictionForm form, List<String> newProblems, Instant now) {
        if (!state.acceptsFormEdits()) {
            throw new IllegalStateException("eviction " + id + " is " + state + "; its form can no longer change");
        }
        EvictionState next = newProblems.isEmpty() ? EvictionState.NOTICE : EvictionState.INVALID;
        return new Eviction(id, next, form.tenant().orElse(null), form.owners(), form.evictionDate().orElse(null),
                form.reason().orElse(null), filedBy, newProblems, statusCommentId, statusCommentDigest,
                createdAt, now, timeline, outbox, revision);
    }

    /** Bookkeeping only: where the status comment is and what it says; the eviction itself is unchanged. */
    public Eviction withStatusComment(long commentId, String digest) {
        return new Eviction(id, state, tenant, owners, evictionDate, reason, filedBy, problems,
                Optional.of(commentId), Optional.of(digest), createdAt, updatedAt, timeline, outbox, revision);
    }

    /** A change of the journey (see {@link EvictionJourney}): new state, facts and messages to deliver. */
    Eviction changed(EvictionState nextState, Timeline nextTimeline, List<OutboxMessage> newMessages, Instant now) {
        List<OutboxMessage> all = new java.util.ArrayList<>(outbox);
        all.addAll(newMessages);
        return new Eviction(id, nextState, tenant, owners, evictionDate, reason, filedBy, problems, statusCommentId,
                statusCommentDigest, createdAt, now, nextTimeline, all, revision);
    }

    /** The same record once {@code message} has been delivered. */
    public Eviction delivered(String messageId) {
        return new Eviction(id, state, tenant, owners, evictionDate, reason, filedBy, problems, statusCommentId,
                statusCommentDigest, createdAt, updatedAt, timeline,
                outbox.stream().filter(m -> !m.id().equals(messageId)).toList(), revision);
    }

    /** The same record after GitHub refused {@code message} once more (it stays in the outbox). */
    public Eviction deliveryRefused(String messageId) {
        return new Eviction(id, state, tenant, owners, evictionDate, reason, filedBy, problems, statusCommentId,
                statusCommentDigest, createdAt, updatedAt, timeline,
                outbox.stream().map(m -> m.id().equals(messageId) ? m.attempted() : m).toList(), revision);
    }

    /** The same record as stored at {@code newRevision} (the store's bookkeeping). */
    public Eviction atRevision(long newRevision) {
        return new Eviction(id, state, tenant, owners, evictionDate, reason, filedBy, problems, statusCommentId,
                statusCommentDigest, createdAt, updatedAt, timeline, outbox, newRevision);
    }

    public boolean isOwner(String login) {
        return owners.stream().anyMatch(owner -> owner.equalsIgnoreCase(login));
    }
}
