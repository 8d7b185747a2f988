package io.offboard.local.support;

import io.offboard.bot.cli.OffboardCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the offboard CLI in this JVM, as a user would from a shell, and keeps what it printed. */
public record CliRun(int exit, String out) {

    public static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = OffboardCli.commandLine().execute(args);
        } finally {
            System.setOut(original);
        }
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8));
    }
}
