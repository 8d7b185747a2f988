package io.offboard.bot.webhook;

import io.offboard.bot.github.AppHookDeliveries;
import io.offboard.bot.github.AppHookDeliveries.HookDelivery;
import io.offboard.bot.github.GitHubGateway;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks GitHub to deliver again the webhook deliveries that never reached the bot ({@code offboard redeliver}, the
 * sweep and a timer of {@code serve}): every event (GUID) delivered within the window none of whose attempts the
 * bot answered with a 2xx, each once per run, oldest first, at most {@code max} per run. Always safe: the bot stores
 * a delivery before answering 202 and handles a GUID once, so a redelivery of something it already has changes
 * nothing.
 *
 * <p>Only with App auth: GitHub keeps an App's deliveries for about three days and has no such API for token auth.
 * Older gaps and token mode are the catch-up sweep's.
 */
@Singleton
public class Redelivery {

    private static final Logger LOG = LoggerFactory.getLogger(Redelivery.class);

    /** How long GitHub keeps an App's webhook deliveries: the default window. */
    public static final Duration RETENTION = Duration.ofDays(3);

    /** Redeliveries asked for per run, by default. */
    public static final int DEFAULT_MAX = 50;

    /**
     * An event asked for again.
     *
     * @param last     its newest attempt (the one whose redelivery was asked for)
     * @param first    when it was first attempted within the window
     * @param attempts how many failed attempts it has within the window
     */
    public record Asked(HookDelivery last, Instant first, int attempts) {

        /** {@code <guid> issues.opened, first delivered <when>, N failed attempt(s), last answered <code>}. */
        public String line() {
            return last.guid() + " " + last.eventAction() + ", first delivered " + first + ", " + attempts
                    + " failed attempt" + (attempts == 1 ? "" : "s") + ", last answered "
                    + (last.statusCode() == 0 ? "nothing (" + last.status() + ")" : last.statusCode());
        }
    }

    /**
     * What one run did.
     *
     * @param since    the window's start
     * @param listed   attempts GitHub listed within the window
     * @param failed   events within the window without a successful attempt
     * @param asked    those GitHub accepted to deliver again
     * @param refused  those GitHub would not deliver again (the reason for each)
     * @param left     failed events past the cap, for the next run
     */
    public record Report(Instant since, int listed, int failed, List<Asked> asked, List<String> refused, int left,
                         int max) {

        public boolean ok() {
            return refused.isEmpty();
        }

        /** The summary line of the CLI and the logs. */
        public String summary() {
            String text = "asked GitHub to redeliver " + asked.size() + " of " + failed + " failed deliver"
                    + (failed == 1 ? "y" : "ies") + " since " + since + " (" + listed + " attempt"
                    + (listed == 1 ? "" : "s") + " listed)";
            if (left > 0) {
                text += "; " + left + " left for the next run (at most " + max + " per run)";
            }
            if (!refused.isEmpty()) {
                text += "; GitHub refused " + refused.size() + ": " + String.join("; ", refused);
            }
            return text;
        }
    }

    private final AppHookDeliveries hooks;
    private final Clock clock;

    public Redelivery(AppHookDeliveries hooks, Clock clock) {
        this.hooks = hooks;
        this.clock = clock;
    }

    /** Whether there is anything to ask GitHub (App auth). */
    public boolean available() {
        return hooks.available();
    }

    /**
     * One run: lists the attempts of the last {@code window}, asks for the failed events again.
     *
     * @throws IOException when GitHub's list cannot be read (nothing was asked for then)
     */
    public Report run(Duration window, int max) throws IOException {
        if (max < 1) {
            throw new IllegalArgumentException("at most " + max + " redeliveries per run: give at least 1");
        }
        Instant since = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(window);
        List<HookDelivery> listed = hooks.since(since);
        List<Asked> failed = failed(listed, since);
        List<Asked> asked = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Asked candidate : failed.subList(0, Math.min(max, failed.size()))) {
            try {
                hooks.redeliver(candidate.last().id());
                asked.add(candidate);
            } catch (IOException e) {
                // one refusal (a delivery GitHub no longer keeps, say) does not stop the others
                LOG.warn("GitHub would not redeliver {} ({}): {}", candidate.last().guid(),
                        candidate.last().eventAction(), e.toString());
                refused.add(candidate.last().guid() + ": " + GitHubGateway.describe(e));
            }
        }
        return new Report(since, listed.size(), failed.size(), asked, refused, Math.max(0, failed.size() - max), max);
    }

    /**
     * The events among {@code listed} (newest first) with no 2xx attempt at or after {@code since}, oldest first, one
     * entry per GUID. An event whose successful attempt is older than the window looks failed here and is asked for
     * again: harmless (the bot handles a GUID once), and the default window is all GitHub keeps anyway.
     */
    static List<Asked> failed(List<HookDelivery> listed, Instant since) {
        Map<String, List<HookDelivery>> byGuid = new LinkedHashMap<>();
        for (HookDelivery delivery : listed) {
            if (!delivery.deliveredAt().isBefore(since)) {
                byGuid.computeIfAbsent(delivery.guid(), guid -> new ArrayList<>()).add(delivery);
            }
        }
        List<Asked> failed = new ArrayList<>();
        for (List<HookDelivery> attempts : byGuid.values()) {
            if (attempts.stream().noneMatch(HookDelivery::succeeded)) {
                HookDelivery last = attempts.stream().max(Comparator.comparing(HookDelivery::deliveredAt)
                        .thenComparingLong(HookDelivery::id)).orElseThrow();
                Instant first = attempts.stream().map(HookDelivery::deliveredAt).min(Comparator.naturalOrder())
                        .orElseThrow();
                failed.add(new Asked(last, first, attempts.size()));
            }
        }
        failed.sort(Comparator.comparing(Asked::first).thenComparingLong(a -> a.last().id()));
        return failed;
    }
}
