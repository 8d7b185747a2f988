package io.offboard.bot.cli;

import picocli.CommandLine;

/** The {@code offboard} command line: {@code offboard --help} lists every subcommand. */
@CommandLine.Command(
        name = "offboard",
        mixinStandardHelpOptions = true,
        versionProvider = OffboardCli.Version.class,
        description = "Gets an evicted tenant off the platform cleanly: data out, verified, then gone for good.",
        subcommands = CommandLine.HelpCommand.class)
public class OffboardCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Read by the error handler: a failure then prints its stack trace after the one-line explanation. */
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "on failure, also print the stack trace")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The production command line; the embedded default adds its own subcommands to it. */
    public static CommandLine commandLine() {
        return commandLine(new ServeCommand());
    }

    public static CommandLine commandLine(ServeCommand serve) {
        CommandLine cli = new CommandLine(new OffboardCli());
        cli.addSubcommand("serve", serve);
        cli.addSubcommand("sweep", new SweepCommand());
        cli.addSubcommand("redeliver", new RedeliverCommand());
        cli.addSubcommand("replay", new ReplayCommand());
        cli.addSubcommand("registry", new RegistryCommand());
        cli.addSubcommand("export", new ExportToFileCommand());
        cli.addSubcommand("verify", new VerifyCommand());
        return withErrorHandling(cli);
    }

    /**
     * One-line errors for {@code cli} and every subcommand it has now (call again after adding more): what is
     * wrong and what to do, exit code non-zero, the stack trace only with {@code --verbose}.
     */
    public static CommandLine withErrorHandling(CommandLine cli) {
        return CliErrors.install(cli);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = OffboardCli.class.getPackage().getImplementationVersion();
            return new String[] {"offboard " + (version == null ? "(development build)" : version)};
        }
    }
}
