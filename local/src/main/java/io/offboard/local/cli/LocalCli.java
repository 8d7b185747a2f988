package io.offboard.local.cli;

import io.offboard.bot.cli.OffboardCli;
import io.offboard.local.demo.DemoCommand;
import picocli.CommandLine;

/** {@code offboard-local.jar}: the offboard CLI on the embedded default, plus {@code demo}. */
public final class LocalCli {

    private LocalCli() {
    }

    public static void main(String[] args) {
        CommandLine cli = OffboardCli.commandLine(new LocalServeCommand());
        cli.addSubcommand("demo", new DemoCommand());
        System.exit(cli.execute(args));
    }
}
