package io.offboard.bot.cli;

import io.micronaut.context.ApplicationContext;
import io.offboard.bot.access.OwnerIds;
import io.offboard.bot.export.ExpiredArchiveCleaner;
import io.offboard.bot.intake.IntakeCatchUp;
import io.offboard.bot.export.ExportRunner;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.journey.Sweeper;
import io.offboard.bot.webhook.Redelivery;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.lifecycle.store.EvictionStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code offboard sweep}: one pass of everything due, then exit (what the scheduled Actions workflow runs).
 * The same work runs on a timer inside {@code serve}; both may run at once.
 */
@CommandLine.Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Apply everything due once, then exit: cutovers on the eviction date, reminders, purges at",
                "the deadline, interrupted purges and exports, comments GitHub refused earlier, expired archives;",
                "with App auth, failed webhook deliveries of the last three days are redelivered (`redeliver`).",
                "Safe to run concurrently and repeatedly. Configuration: the OFFBOARD_* variables of `serve`;",
                "the options below override them."})
public class SweepCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--dry-run",
            description = "List what is due and what would be done; change nothing, post nothing.")
    boolean dryRun;

    @CommandLine.Option(names = "--reindex",
            description = "Once, after an upgrade: add the due index to the evictions table and rewrite the records "
                    + "stored before it existed; store the numeric GitHub id of every owner named by login only "
                    + "(needs the GitHub settings of `serve`), then exit.")
    boolean reindex;

    @CommandLine.Option(names = "--at", paramLabel = "INSTANT",
            description = "With --dry-run: what would be due at this time (ISO-8601, e.g. 2027-01-15T00:10:00Z; default now).")
    Instant at;

    @CommandLine.Mixin
    AwsOptions aws = new AwsOptions();

    @CommandLine.Option(names = "--export-wait", defaultValue = "PT5H",
            description = "How long to wait for exports this sweep resumed (ISO-8601 duration, default ${DEFAULT-VALUE}).")
    Duration exportWait;

    @Override
    public Integer call() throws Exception {
        if (at != null && !dryRun) {
            System.err.println("--at only goes with --dry-run: a real sweep acts at the present time");
            return 2;
        }
        if (reindex) {
            try (DynamoDbClient dynamo = aws.dynamo()) {
                BotTables tables = aws.botTables();
                tables.createMissing(dynamo);
                System.out.println("reindexed " + new EvictionStore(dynamo, tables).reindex() + " eviction record(s)");
            }
            return migrateOwnerIds();
        }
        if (dryRun) {
            // reads the store only: no GitHub credentials needed, nothing started that could act
            try (DynamoDbClient dynamo = aws.dynamo()) {
                Instant when = at != null ? at : Instant.now();
                return dryRun(new EvictionStore(dynamo, aws.botTables()), new EvictionJourney(Clock.systemUTC()), when);
            }
        }
        Optional<ApplicationContext> context = start("offboard sweep: cannot start: ");
        if (context.isEmpty()) {
            return 2;
        }
        try (ApplicationContext started = context.get()) {
            return sweep(started);
        }
    }

    /**
     * The app's context with the settings of this command, timers off; empty (and one line on stderr, prefixed by
     * {@code failure}) when the configuration is wrong (no GitHub credentials, a bad endpoint): no stack trace.
     */
    private Optional<ApplicationContext> start(String failure) {
        Map<String, Object> properties = new HashMap<>(aws.properties());
        properties.put("offboard.timers.enabled", "false");
        try {
            return Optional.of(ApplicationContext.builder().properties(properties).start());
        } catch (RuntimeException e) {
            System.err.println(failure + CliErrors.explain(e));
            return Optional.empty();
        }
    }

    /** Owners named by login only get their numeric ids (otherwise each record is migrated on first touch). */
    private int migrateOwnerIds() throws Exception {
        Optional<ApplicationContext> started = start(
                "owner ids not migrated (each record is migrated when it is next touched): ");
        if (started.isEmpty()) {
            return 0;
        }
        try (ApplicationContext context = started.get()) {
            EvictionStore store = context.getBean(EvictionStore.class);
            OwnerIds ownerIds = context.getBean(OwnerIds.class);
            int migrated = 0;
            for (Eviction e : store.withOwnersWithoutId()) {
                Eviction after = ownerIds.ensure(e);
                if (after.ownersWithoutId().isEmpty()) {
                    migrated++;
                } else {
                    System.err.println(e.id() + ": no GitHub account for owner(s) " + after.ownersWithoutId()
                            + "; they hold no rights until an operator names them again in the form");
                }
            }
            System.out.println("owner ids stored for " + migrated + " eviction record(s)");
            return 0;
        }
    }

    private int sweep(ApplicationContext context) throws InterruptedException {
        Sweeper.SweepReport report = context.getBean(Sweeper.class).sweep();
        System.out.println("sweep: " + report);
        boolean caughtUp = true;
        try {
            System.out.println("catch-up: " + context.getBean(IntakeCatchUp.class).run());
        } catch (IOException | RuntimeException e) {
            // the journey's own steps are done; issues GitHub never told us of wait for the next sweep
            System.err.println("catch-up failed: " + e.getMessage());
            caughtUp = false;
        }
        redeliver(context.getBean(Redelivery.class));
        ExportRunner exports = context.getBean(ExportRunner.class);
        int resumed = exports.resumeAbandoned();
        if (resumed > 0) {
            System.out.println("resumed " + resumed + " interrupted export(s); waiting for them to finish");
            Instant until = Instant.now().plus(exportWait);
            while (exports.running() > 0 && Instant.now().isBefore(until)) {
                Thread.sleep(500);
            }
        }
        int expired = context.getBean(ExpiredArchiveCleaner.class).deleteExpired();
        System.out.println("expired archives deleted: " + expired);
        // non-zero when a record failed or GitHub refused messages: an Actions run then shows red
        return report.ok() && caughtUp ? 0 : 1;
    }

    /**
     * With App auth, asks GitHub to redeliver what never reached the bot (as {@code offboard redeliver}). A failure
     * here is reported and leaves the sweep's result alone: the next run asks again.
     */
    private static void redeliver(Redelivery redelivery) {
        if (!redelivery.available()) {
            return;
        }
        try {
            System.out.println("redeliver: " + redelivery.run(Redelivery.RETENTION, Redelivery.DEFAULT_MAX).summary());
        } catch (IOException e) {
            System.err.println("redeliver: GitHub's webhook deliveries could not be read (the next sweep tries again): "
                    + GitHubGateway.describe(e));
        } catch (RuntimeException e) {
            System.err.println("redeliver: failed (the next sweep tries again): " + e);
        }
    }

    private int dryRun(EvictionStore store, EvictionJourney journey, Instant now) {
        List<EvictionId> due = store.dueBy(now);
        System.out.println("dry run at " + now + ": " + due.size() + " eviction(s) with something due; nothing changed");
        for (EvictionId id : due) {
            store.find(id).ifPresent(e -> System.out.println("  " + describe(e, journey, now)));
        }
        return 0;
    }

    private static String describe(Eviction e, EvictionJourney journey, Instant now) {
        String step = journey.due(e, now).map(a -> "would " + a.name().toLowerCase()).orElse("no step due");
        String messages = e.outbox().isEmpty() ? "" : ", " + e.outbox().size() + " message(s) to deliver";
        return e.id() + " (" + e.tenant() + ", " + e.state().name().toLowerCase() + "): " + step + messages;
    }
}
