package io.offboard.bot.journey;

import io.offboard.bot.config.JourneySettings;
import io.offboard.bot.config.OffboardSettings;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.status.StatusCommentPublisher;
import io.offboard.bot.template.Templates;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.OutboxMessage;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.lifecycle.text.UserText;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers an eviction's outbox to GitHub, in order, each message once: a comment carries its message id in
 * a hidden marker and is looked for before posting, so a delivery interrupted between posting and recording
 * does not post it twice; labels, closing and status edits are idempotent by nature. A message is removed
 * from the record (conditional write) only after GitHub accepted it; on a GitHub failure the rest stays for
 * the next sweep. Callers hold the record's lease.
 */
@Singleton
public class OutboxDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDelivery.class);
    /** Tries of a message GitHub refuses for good (4xx) before it is dropped and audited. */
    static final int MAX_ATTEMPTS = 8;

    private final EvictionStore store;
    private final GitHubGateway github;
    private final Templates templates;
    private final StatusCommentPublisher status;
    private final OffboardSettings settings;
    private final JourneySettings journeySettings;
    private final PurgeReceipts receipts;
    private final AuditLog audit;
    private final Clock clock;
    /** How far GitHub's clock may run behind ours when a comment's time is compared with one we recorded. */
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(1);

    public OutboxDelivery(EvictionStore store, GitHubGateway github, Templates templates, StatusCommentPublisher status,
                          OffboardSettings settings, JourneySettings journeySettings, PurgeReceipts receipts,
                          AuditLog audit, Clock clock) {
        this.clock = clock;
        this.audit = audit;
        this.store = store;
        this.github = github;
        this.templates = templates;
        this.status = status;
        this.settings = settings;
        this.journeySettings = journeySettings;
        this.receipts = receipts;
    }

    /**
     * The hidden marker of a message's comment: the message id and its random nonce (messages stored before nonces
     * existed have none), so no one can post a marker in advance that would pass for the message.
     */
    static String marker(OutboxMessage message) {
        return "<!-- offboard:message " + message.id() + (message.nonce() == null ? "" : " " + message.nonce())
                + " -->";
    }

    /**
     * Delivers what it can, in order; returns the record as stored afterwards. A message GitHub refuses stays
     * in the outbox (and in the due index) for the next sweep, and does not hold back the messages after it.
     * A message GitHub refuses for good (4xx: the App lacks a permission, the repository is gone) is dropped
     * after {@link #MAX_ATTEMPTS} tries, with an audit entry and an error in the log; server errors and outages
     * are retried for as long as they last. Never throws for a GitHub failure.
     */
    public Eviction deliver(Eviction eviction) {
        Eviction current = eviction;
        for (String id : eviction.outbox().stream().map(OutboxMessage::id).toList()) {
            Optional<OutboxMessage> waiting = current.outbox().stream().filter(m -> m.id().equals(id)).findFirst();
            if (waiting.isEmpty()) {
                continue; // delivered meanwhile by whoever changed the record
            }
            OutboxMessage message = waiting.get();
            try {
                current = perform(current, message);
                current = update(current, id, e -> e.delivered(id));
            } catch (IOException | RuntimeException e) {
                if (refusedForGood(e) && message.attempts() + 1 >= MAX_ATTEMPTS) {
                    LOG.error("message {} ({}) of {} dropped after {} refusals: {}", id, message.kind(), current.id(),
                            message.attempts() + 1, e.toString());
                    audit.append(current.id(), "offboard", "outbox.dropped", id + " " + message.kind() + " "
                            + message.facts() + ": " + e);
                    current = update(current, id, r -> r.delivered(id));
                } else {
                    LOG.warn("message {} ({}) of {} not delivered yet, kept for the next sweep: {}", id, message.kind(),
                            current.id(), e.toString());
                    current = update(current, id, r -> r.deliveryRefused(id));
                }
            }
        }
        return current;
    }

    /** Refusals that repeating will not cure; rate limits are waited out by the GitHub client itself. */
    private static boolean refusedForGood(Exception e) {
        // the client reports a 404 as GHFileNotFoundException, other answers as HttpException
        return e instanceof GHFileNotFoundException
                || e instanceof HttpException http && http.getResponseCode() >= 400 && http.getResponseCode() < 500
                && http.getResponseCode() != 429;
    }

    private Eviction perform(Eviction e, OutboxMessage message) throws IOException {
        String repo = e.id().repository();
        int issue = e.id().issueNumber();
        switch (message.kind()) {
            case COMMENT -> {
                String marker = marker(message);
                if (message.postingSince() == null) {
                    // never tried: record that it is about to be, then post without looking (nothing to find)
                    Eviction recorded = update(e, message.id(), r -> r.posting(message.id(), clock.instant()));
                    github.postComment(repo, issue, render(e, message) + "\n\n" + marker);
                    return recorded;
                }
                // tried before, perhaps posted just before a crash: look among the bot's comments since that try
                // (a minute earlier: GitHub's clock and ours may disagree a little)
                Instant since = message.postingSince().minus(CLOCK_SKEW);
                if (github.findBotComment(repo, issue, marker, Optional.of(since)).isEmpty()) {
                    github.postComment(repo, issue, render(e, message) + "\n\n" + marker);
                }
            }
            case LABEL -> github.addLabel(repo, issue, message.facts().get("label"));
            case CLOSE_ISSUE -> github.closeIssue(repo, issue);
            case DISPATCH_TEARDOWN -> {
                // the receiver may see a repeat if we crash right after sending; dispatch_id lets it ignore one
                Map<String, String> payload = new HashMap<>(message.facts());
                payload.put("dispatch_id", e.id() + "/" + message.id());
                github.dispatch(teardownRepository(e), "tenant-teardown", payload);
            }
            case REFRESH_STATUS -> {
                return status.publish(e);
            }
        }
        return e;
    }

    private String teardownRepository(Eviction e) {
        return journeySettings.infraRepository().isBlank() ? e.id().repository() : journeySettings.infraRepository();
    }

    String render(Eviction e, OutboxMessage message) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("tenant", e.tenant());
        scope.put("owners", e.owners().stream().map(o -> "@" + o).collect(Collectors.joining(" ")));
        scope.put("docsUrl", settings.docsUrl());
        scope.put("filedBy", e.filedBy());
        if ("receipt".equals(message.template())) {
            scope.putAll(receipts.scope(message.facts().get("report")));
        }
        message.facts().forEach((name, value) -> scope.put(name, display(name, value)));
        switch (message.template()) {
            case "reminder" -> scope.put("dayWord", "1".equals(message.facts().get("days")) ? "day" : "days");
            case "paused" -> scope.put("declared", Boolean.parseBoolean(message.facts().get("declared")));
            case "paused-reminder" -> {
                scope.put("declared", Boolean.parseBoolean(message.facts().get("declared")));
                scope.put("fixed", Boolean.parseBoolean(message.facts().get("fixed")));
            }
            default -> {
            }
        }
        return templates.render(message.template(), scope);
    }

    /** Instants as minutes in UTC, durations in days and hours; free text neutralised. */
    private static Object display(String name, String value) {
        if (name.endsWith("At") || name.equals("until")) {
            try {
                return Templates.minute(Instant.parse(value));
            } catch (DateTimeParseException notAnInstant) {
                return value;
            }
        }
        if (name.equals("pausedFor") || name.equals("timeLeft")) {
            return Templates.daysAndHours(java.time.Duration.parse(value));
        }
        if (name.equals("reason") || name.equals("residuals")) {
            // residuals: the purge's own list of places ("table: 3; bucket/prefix: 1 (report `id`)"), read as prose
            return UserText.prose(value);
        }
        return value;
    }

    /** Applies {@code change} to the stored record while it still holds message {@code messageId}. */
    private Eviction update(Eviction e, String messageId, UnaryOperator<Eviction> change) {
        // a command may change the record meanwhile: the change then applies to what is stored now
        return store.modify(e, current -> current.outbox().stream().anyMatch(m -> m.id().equals(messageId))
                ? Optional.of(change.apply(current)) : Optional.empty());
    }
}
