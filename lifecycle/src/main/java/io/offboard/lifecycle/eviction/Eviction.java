package io.offboard.lifecycle.eviction;

import java.time.Instant;
import java.time.LocalDate;
import io.offboard.lifecycle.access.Actor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The stored eviction record: the single source of every clock and decision about one tenant's eviction.
 * Immutable; each change produces a new value that the store writes conditionally on {@link #revision()}.
 *
 * @param ownerIds            each owner's numeric GitHub id by lower-case login: who is an owner is decided by id
 * @param form                the form's answers as last taken from an operator (null for records from before)
 * @param formNotes           what the issue form says that this record does not take, and why (shown in the status)
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
        Map<String, Long> ownerIds,
        FormFields form,
        List<String> formNotes,
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
        ownerIds = Map.copyOf(ownerIds);
        formNotes = List.copyOf(formNotes);
        outbox = List.copyOf(outbox);
    }

    /**
     * A new record for a form that passed every intake rule.
     *
     * @param answers  the form's answers as typed, kept so that a later edit changes only what it changed
     * @param ownerIds each owner's numeric GitHub id, by lower-case login
     */
    public static Eviction accepted(EvictionId id, FormFields answers, Map<String, Long> ownerIds, String filedBy,
                                    Instant now) {
        EvictionForm form = answers.parse();
        return new Eviction(id, EvictionState.NOTICE, form.tenant().orElseThrow(), form.owners(),
                form.evictionDate().orElseThrow(), form.reason().orElseThrow(), filedBy, List.of(), ownerIds, answers,
                List.of(), Optional.empty(), Optional.empty(), now, now, Timeline.EMPTY, List.of(), 0);
    }

    /** A new record for a form with problems; it holds no tenant until an edit fixes it. */
    public static Eviction invalid(EvictionId id, FormFields answers, List<String> problems, String filedBy,
                                   Instant now) {
        EvictionForm form = answers.parse();
        return new Eviction(id, EvictionState.INVALID, form.tenant().orElse(null), form.owners(),
                form.evictionDate().orElse(null), form.reason().orElse(null), filedBy, problems, Map.of(), answers,
                List.of(), Optional.empty(), Optional.empty(), now, now, Timeline.EMPTY, List.of(), 0);
    }

    /** A record not accepted yet, validated again after an operator's edit: accepted now, or still invalid. */
    public Eviction revalidated(FormFields answers, List<String> newProblems, Map<String, Long> newOwnerIds,
                                Instant now) {
        if (state != EvictionState.INVALID) {
            throw new IllegalStateException("eviction " + id + " is " + state + ", not awaiting a valid form");
        }
        EvictionForm form = answers.parse();
        EvictionState next = newProblems.isEmpty() ? EvictionState.NOTICE : EvictionState.INVALID;
        return new Eviction(id, next, form.tenant().orElse(null), form.owners(), form.evictionDate().orElse(null),
                form.reason().orElse(null), filedBy, newProblems, newProblems.isEmpty() ? newOwnerIds : Map.of(),
                answers, List.of(), statusCommentId, statusCommentDigest, createdAt, now, timeline, outbox, revision);
    }

    /**
     * An accepted record after an operator's edit of the form: new owners and reason (the tenant and the eviction
     * date never change once accepted), the answers as they now stand, and notes on what the form says that the
     * record does not take.
     */
    public Eviction amended(List<String> newOwners, Map<String, Long> newOwnerIds, String newReason, FormFields answers,
                            List<String> notes, Instant now) {
        return new Eviction(id, state, tenant, newOwners, evictionDate, newReason, filedBy, problems, newOwnerIds,
                answers, notes, statusCommentId, statusCommentDigest, createdAt, now, timeline, outbox, revision);
    }

    /** The same record with every owner's numeric id known (records stored before ids were kept). */
    public Eviction withOwnerIds(Map<String, Long> ids) {
        return new Eviction(id, state, tenant, owners, evictionDate, reason, filedBy, problems, ids, form, formNotes,
                statusCommentId, statusCommentDigest, createdAt, updatedAt, timeline, outbox, revision);
    }

    /** Owners named on the record whose numeric id is not stored yet. */
    public List<String> ownersWithoutId() {
        return owners.stream().filter(o -> !ownerIds.containsKey(o.toLowerCase(Locale.ROOT))).toList();
    }

    /** The form's answers this record stands for. */
    public FormFields answers() {
        return form == null ? FormFields.of(this) : form;
    }

    /** Bookkeeping only: where the status comment is and what it says; the eviction itself is unchanged. */
    public Eviction withStatusComment(long commentId, String digest) {
        return new Eviction(id, state, tenant, owners, evictionDate, reason, filedBy, problems, ownerIds, form, formNotes,
                Optional.of(commentId), Optional.of(digest), createdAt, updatedAt, timeline, outbox, revision);
    }

    /** A change of the journey (see {@link EvictionJourney}): new state, facts and messages to deliver. */
    Eviction changed(EvictionState nextState, Timeline nextTimeline, List<OutboxMessage> newMessages, Instant now) {
        List<OutboxMessage> all = new java.util.ArrayList<>(outbox);
        all.addAll(newMessages);
        return new Eviction(id, nextState, tenant, owners, evictionDate, reason, filedBy, problems, ownerIds, form, formNotes, statusCommentId,
                statusCommentDigest, createdAt, now, nextTimeline, all, revision);
    }

    /** The same record once {@code message} has been delivered. */
    public Eviction delivered(String messageId) {
        return new Eviction(id, state, tenant, owners, evictionDate, reason, filedBy, problems, ownerIds, form, formNotes, statusCommentId,
                statusCommentDigest, createdAt, updatedAt, timeline,
                outbox.stream().filter(m -> !m.id().equals(messageId)).toList(), revision);
    }

    /** The same record once {@code message}'s comment is about to be posted for the first time. */
    public Eviction posting(String messageId, Instant at) {
        return new Eviction(id, state, tenant, owners, evictionDate, reason, filedBy, problems, ownerIds, form, formNotes,
                statusCommentId, statusCommentDigest, createdAt, updatedAt, timeline,
                outbox.stream().map(m -> m.id().equals(messageId) ? m.posting(at) : m).toList(), revision);
    }

    /** The same record after GitHub refused {@code message} once more (it stays in the outbox). */
    public Eviction deliveryRefused(String messageId) {
        return new Eviction(id, state, tenant, owners, evictionDate, reason, filedBy, problems, ownerIds, form, formNotes, statusCommentId,
                statusCommentDigest, createdAt, updatedAt, timeline,
                outbox.stream().map(m -> m.id().equals(messageId) ? m.attempted() : m).toList(), revision);
    }

    /** The same record with a nonce for every outbox message that has none yet (the store's bookkeeping). */
    public Eviction withMessageNonces(java.util.function.Supplier<String> nonces) {
        if (outbox.stream().allMatch(m -> m.nonce() != null)) {
            return this;
        }
        return new Eviction(id, state, tenant, owners, evictionDate, reason, filedBy, problems, ownerIds, form, formNotes,
                statusCommentId, statusCommentDigest, createdAt, updatedAt, timeline,
                outbox.stream().map(m -> m.nonce() == null ? m.withNonce(nonces.get()) : m).toList(), revision);
    }

    /** The same record as stored at {@code newRevision} (the store's bookkeeping). */
    public Eviction atRevision(long newRevision) {
        return new Eviction(id, state, tenant, owners, evictionDate, reason, filedBy, problems, ownerIds, form, formNotes, statusCommentId,
                statusCommentDigest, createdAt, updatedAt, timeline, outbox, newRevision);
    }

    /** Whether {@code actor} is a capability owner: by numeric id, never by login. */
    public boolean isOwner(Actor actor) {
        return ownerIds.containsValue(actor.id());
    }
}
