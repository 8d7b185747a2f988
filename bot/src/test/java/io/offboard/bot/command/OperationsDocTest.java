package io.offboard.bot.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.BeanDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md's command table is generated from the commands' declarations, never written by hand.
 * Run with {@code -Doffboard.docs.update=true} to rewrite it after adding or changing a command.
 */
class OperationsDocTest {

    private static final Path DOC = Path.of("..", "docs", "operations.md");
    private static final String START = "<!-- commands:start";
    private static final String END = "<!-- commands:end -->";

    @Test
    void theCommandTableListsEveryDeclaredCommand() throws Exception {
        String table;
        // only bean definitions are read; GitHub points at a closed local port so start-up makes no real call
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of("offboard.github.token", "unused", "offboard.github.api-url", "http://127.0.0.1:9"))
                .start()) {
            table = "| command | who | what it does |\n|---|---|---|\n"
                    + context.getBeanDefinitions(Command.class).stream()
                    .map(BeanDefinition::getBeanType)
                    .map(type -> type.getAnnotation(SlashCommand.class))
                    .sorted(Comparator.comparing(SlashCommand::name))
                    .map(declaration -> CommandRegistry.CommandRow.of(declaration).markdown())
                    .collect(Collectors.joining("\n")) + "\n";
        }
        String doc = Files.readString(DOC);
        int start = doc.indexOf('\n', doc.indexOf(START)) + 1;
        int end = doc.indexOf(END);
        assertThat(start).as("docs/operations.md has the commands markers").isPositive();
        String current = doc.substring(start, end);
        if (Boolean.getBoolean("offboard.docs.update") && !current.equals(table)) {
            Files.writeString(DOC, doc.substring(0, start) + table + doc.substring(end));
            current = table;
        }
        assertThat(current).as("docs/operations.md command table (rerun with -Doffboard.docs.update=true)")
                .isEqualTo(table);
    }
}
