package io.offboard.bot.command;

import io.offboard.bot.status.CommandListing;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every {@link Command} bean, found by name; the source of every command listing the bot shows. */
@Singleton
public class CommandRegistry implements CommandListing {

    private final List<Command> commands;

    public CommandRegistry(List<Command> commands) {
        this.commands = commands.stream().sorted(Comparator.comparing(Command::name)).toList();
    }

    public Optional<Command> find(String name) {
        return commands.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Rows for the Markdown tables in templates: usage, audience, help. */
    @Override
    public List<CommandRow> rows() {
        return commands.stream().map(c -> CommandRow.of(c.declaration())).toList();
    }

    /** @param usage as written in a Markdown table cell: a {@code |} escaped, or it would split the cell */
    public record CommandRow(String usage, String audience, String help) {
        public static CommandRow of(SlashCommand declaration) {
            return new CommandRow(declaration.usage().replace("|", "\\|"), declaration.audience().description(),
                    declaration.help());
        }

        /** The row as in the Markdown tables of the comments and of docs/operations.md. */
        public String markdown() {
            return "| `" + usage + "` | " + audience + " | " + help + " |";
        }
    }
}
