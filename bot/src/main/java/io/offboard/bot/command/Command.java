package io.offboard.bot.command;

import io.offboard.lifecycle.access.Audience;

/**
 * One slash-command: its name, who may run it, its usage and help line, and its handler, in one class.
 * The {@code /help} reply, the status comment's command table and docs/operations.md come from these
 * declarations. Handlers are idempotent: running one twice changes nothing the second time.
 */
public interface Command {

    /** Name without the slash, e.g. {@code status}. */
    String name();

    /** How to write it, e.g. {@code /export [jsonl|parquet] [gzip|zstd]}. */
    String usage();

    /** What it does, one line. */
    String help();

    Audience audience();

    Outcome run(Invocation invocation) throws Exception;

    enum Outcome {
        DONE,
        /** Not run; the handler has replied why. */
        REFUSED
    }
}
