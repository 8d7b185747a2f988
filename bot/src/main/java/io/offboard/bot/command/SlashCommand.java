package io.offboard.bot.command;

import io.offboard.lifecycle.access.Audience;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The declaration of a command, on its class: read by the registry for {@code /help} and the status
 * comment, and by the documentation check for docs/operations.md, without creating the command.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SlashCommand {
    /** Name without the slash, e.g. {@code status}. */
    String name();

    /** How to write it, e.g. {@code /export [jsonl|parquet] [gzip|zstd]}. */
    String usage();

    /** What it does, one line. */
    String help();

    /** Who may run it. */
    Audience audience();
}
