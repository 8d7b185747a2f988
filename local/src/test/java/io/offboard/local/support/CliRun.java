package io.offboard.local.support;

import io.offboard.bot.cli.OffboardCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/** Runs the offboard CLI in this JVM, as a user would from a shell, and keeps what it printed. */
public record CliRun(int exit, String out) {

    /** {@code offboard <args>}; {@code out} is what it printed on stdout. */
    public static CliRun of(String... args) {
        return capture(false, () -> OffboardCli.commandLine().execute(args));
    }

    /** {@code offboard <args>}; {@code out} is stdout and stderr together, as a terminal shows them. */
    public static CliRun withStderr(String... args) {
        return capture(true, () -> OffboardCli.commandLine().execute(args));
    }

    /** Runs {@code command} (a CLI's entry point, returning its exit code) keeping stdout, and stderr if asked. */
    public static CliRun capture(boolean stderr, IntSupplier command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        int exit;
        try {
            PrintStream printed = new PrintStream(out, true, StandardCharsets.UTF_8);
            System.setOut(printed);
            if (stderr) {
                System.setErr(printed);
            }
            exit = command.getAsInt();
        } finally {
            System.setOut(originalOut);
            if (stderr) {
                System.setErr(originalErr);
            }
        }
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8));
    }
}
