package io.offboard.local.cli;

import io.offboard.bot.cli.OffboardCli;
import io.offboard.local.demo.DemoCommand;
import java.nio.file.Path;
import picocli.CommandLine;

/** {@code offboard-local.jar}: the offboard CLI on the embedded default, plus {@code demo}. */
public final class LocalCli {

    private LocalCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The production command line with the embedded default's {@code serve} and {@code demo}. */
    public static CommandLine commandLine() {
        CommandLine cli = OffboardCli.commandLine(new LocalServeCommand());
        cli.addSubcommand("demo", new DemoCommand());
        return OffboardCli.withErrorHandling(cli);
    }

    /** What {@link #main} runs, without exiting the JVM (tests). */
    public static int run(String... args) {
        return commandLine().execute(parses(args)
                ? EmbeddedDefault.apply(args, Path.of(LocalServeCommand.DEFAULT_DATA_DIR)) : args);
    }

    /** Whether the arguments are well formed: a mistyped command is answered at once, no stack started for it. */
    private static boolean parses(String[] args) {
        try {
            commandLine().parseArgs(args);
            return true;
        } catch (CommandLine.ParameterException mistyped) {
            return false;
        }
    }
}
