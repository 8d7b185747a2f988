package io.offboard.bot.command;

import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every {@link Command} bean, found by name; the source of every command listing the bot shows. */
@Singleton
public class CommandRegistry {

    private final List<Command> commands;

    public CommandRegistry(List<Command> commands) {
        this.commands = commands.stream().sorted(Comparator.comparing(Command::name)).toList();
    }

    public Optional<Command> find(String name) {
        return commands.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<Command> all() {
        return commands;
    }

    /** Rows for the Markdown tables in templates: usage, audience, help. */
    public List<CommandRow> rows() {
        return commands.stream().map(c -> new CommandRow(c.usage(), c.audience().description(), c.help())).toList();
    }

    public record CommandRow(String usage, String audience, String help) {
    }
}
