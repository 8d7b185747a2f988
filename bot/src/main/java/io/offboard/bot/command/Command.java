package io.offboard.bot.command;

import io.offboard.lifecycle.access.Audience;

/**
 * One slash-command: its declaration ({@link SlashCommand} on the class: name, who may run it, usage,
 * help line) and its handler, in one class. The {@code /help} reply, the status comment's command table
 * and docs/operations.md come from these declarations. Handlers are idempotent: running one twice
 * changes nothing the second time.
 */
public interface Command {

    Outcome run(Invocation invocation) throws Exception;

    default SlashCommand declaration() {
        SlashCommand declaration = getClass().getAnnotation(SlashCommand.class);
        if (declaration == null) {
            throw new IllegalStateException(getClass().getName() + " lacks its @SlashCommand declaration");
        }
        return declaration;
    }

    default String name() {
        return declaration().name();
    }

    default String usage() {
        return declaration().usage();
    }

    default Audience audience() {
        return declaration().audience();
    }

    enum Outcome {
        DONE,
        /** Accepted and running in the background; the final reaction comes when it ends. */
        STARTED,
        /** Not run; the handler has replied why. */
        REFUSED
    }
}
