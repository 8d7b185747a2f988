package io.offboard.bot.command;

import io.offboard.bot.template.Templates;
import io.offboard.lifecycle.access.Audience;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.Map;

/** {@code /help}: replies with every command, who may run it, and what it does. */
@SlashCommand(name = "help", usage = "/help", help = "list the commands you can use on this eviction",
        audience = Audience.OWNERS_AND_OPERATORS)
@Singleton
public class HelpCommand implements Command {

    private final Provider<CommandRegistry> registry;
    private final Templates templates;
    private final PersonReplies replies;

    // the registry is looked up lazily because it contains this command too
    public HelpCommand(Provider<CommandRegistry> registry, Templates templates, PersonReplies replies) {
        this.registry = registry;
        this.templates = templates;
        this.replies = replies;
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        replies.comment(invocation, templates.render("help", Map.of(
                "actor", invocation.actor(),
                "commands", registry.get().rows())));
        return Outcome.DONE;
    }
}
