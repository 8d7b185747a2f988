package io.offboard.local.bench;

import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.FormFields;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.local.demo.LocalBot;
import io.offboard.local.demo.SimulatedClock;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import io.offboard.bot.journey.Sweeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Sweep cost against history: the same 10 due evictions (a 7-day reminder each) swept with 100 and with
 * 100,000 finished evictions in the store, same JVM, same stack. Used by bench/sweep-scale.sh.
 * Prints {@code RESULT small_ms=.. big_ms=.. ratio=..}.
 */
public final class SweepScaleBench {

    private static final String REPO = "platform/infra";

    public static void main(String[] args) throws Exception {
        int big = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int small = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int due = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        SimulatedClock clock = new SimulatedClock(Instant.parse("2027-03-01T12:00:00Z"));
        try (EmbeddedStack stack = EmbeddedStack.start(StackOptions.inMemory());
             GitHubStandIn github = GitHubStandIn.start(0, clock);
             LocalBot bot = LocalBot.start(stack, github.apiUrl(), List.of("bench-secret"), List.of("ops"), clock, 0,
                     Map.of())) {
            github.addRepository(REPO);
            github.addUser("ops");
            github.addUser("owner");
            EvictionStore store = bot.context().getBean(EvictionStore.class);
            Sweeper sweeper = bot.context().getBean(Sweeper.class);
            BotTables tables = bot.context().getBean(BotTables.class);
            int[] serial = {0};

            // warm-up: JIT, connection pools, the stand-in
            for (int i = 0; i < 10; i++) {
                sweepOnce(sweeper, store, github, clock, due, serial);
            }
            loadFinished(stack, tables, 0, small);
            long smallBest = Long.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                smallBest = Math.min(smallBest, sweepOnce(sweeper, store, github, clock, due, serial));
            }
            System.err.printf("%,d finished + %d due: best sweep %d ms over %d rounds%n", small, due, smallBest / 1_000_000, rounds);
            long loadStart = System.nanoTime();
            loadFinished(stack, tables, small, big);
            System.err.printf("loaded %,d finished evictions in %.1f s%n", big - small, (System.nanoTime() - loadStart) / 1e9);
            long bigBest = Long.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                bigBest = Math.min(bigBest, sweepOnce(sweeper, store, github, clock, due, serial));
            }
            System.err.printf("%,d finished + %d due: best sweep %d ms over %d rounds%n", big, due, bigBest / 1_000_000, rounds);
            System.out.printf("RESULT small_records=%d big_records=%d due=%d small_ms=%.1f big_ms=%.1f ratio=%.3f%n",
                    small, big, due, smallBest / 1e6, bigBest / 1e6, (double) bigBest / smallBest);
        }
    }

    /** Stores {@code due} evictions whose 7-day reminder is due now, then times one sweep; checks it did them all. */
    private static long sweepOnce(Sweeper sweeper, EvictionStore store, GitHubStandIn github, SimulatedClock clock,
                                  int due, int[] serial) {
        clock.advance(Duration.ofHours(1));
        Instant now = clock.instant();
        // cut over 24 days ago: deletion in 6 days, so the 7-day reminder is due
        Instant cutover = now.minus(Duration.ofDays(24));
        LocalDate date = cutover.atOffset(ZoneOffset.UTC).toLocalDate();
        EvictionJourney atCutover = new EvictionJourney(Clock.fixed(cutover, ZoneOffset.UTC));
        for (int i = 0; i < due; i++) {
            int n = ++serial[0];
            int issue = github.openIssue(REPO, "ops", "Eviction " + n, "bench", List.of("eviction")).number();
            Eviction filed = Eviction.accepted(new EvictionId(REPO, issue),
                    new FormFields("bench" + n, "@owner", date.toString(), "bench"), java.util.Map.of("owner", 7L), "ops",
                    cutover.minus(Duration.ofDays(40)));
            Eviction frozen = ((EvictionJourney.Decision.Changed) atCutover.cutover(filed)).next();
            for (var m : frozen.outbox()) {
                frozen = frozen.delivered(m.id());
            }
            store.insert(frozen);
        }
        long start = System.nanoTime();
        Sweeper.SweepReport report = sweeper.sweep();
        long elapsed = System.nanoTime() - start;
        if (report.worked() != due || report.failed() != 0) {
            throw new IllegalStateException("expected " + due + " records worked on, got " + report);
        }
        return elapsed;
    }

    /** Finished evictions (purged long ago) written directly, as years of history would have left them. */
    private static void loadFinished(EmbeddedStack stack, BotTables tables, int from, int to) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int start = from; start < to; start += 25) {
            int first = start;
            int last = Math.min(to, start + 25);
            work.add(pool.submit(() -> {
                List<Map<String, AttributeValue>> batch = new ArrayList<>();
                for (int i = first; i < last; i++) {
                    batch.add(finished(i));
                }
                DemoPlatform.batchPut(stack.dynamo(), tables.evictions(), batch);
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
    }

    private static Map<String, AttributeValue> finished(int i) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("eviction_id", AttributeValue.fromS("platform/archive#" + (i + 1)));
        item.put("state", AttributeValue.fromS(i % 7 == 0 ? "CANCELED" : "PURGED"));
        item.put("tenant", AttributeValue.fromS("gone" + i));
        item.put("owners", AttributeValue.fromL(List.of(AttributeValue.fromS("someone"))));
        item.put("eviction_date", AttributeValue.fromS("2024-01-15"));
        item.put("reason", AttributeValue.fromS("moved to dedicated hardware"));
        item.put("filed_by", AttributeValue.fromS("ops"));
        item.put("problems", AttributeValue.fromL(List.of()));
        item.put("created_at", AttributeValue.fromS("2023-12-01T09:00:00Z"));
        item.put("updated_at", AttributeValue.fromS("2024-02-14T00:05:00Z"));
        item.put("cutover_at", AttributeValue.fromS("2024-01-15T00:05:00Z"));
        item.put("ended_at", AttributeValue.fromS("2024-02-14T00:05:00Z"));
        item.put("paused_total", AttributeValue.fromS("PT0S"));
        item.put("purge_attempts", AttributeValue.fromN("0"));
        item.put("outbox", AttributeValue.fromL(List.of()));
        item.put("revision", AttributeValue.fromN("9"));
        return item;
    }
}
