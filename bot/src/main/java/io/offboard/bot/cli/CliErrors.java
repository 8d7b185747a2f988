package io.offboard.bot.cli;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * What a person at a terminal sees when a command fails: one line naming what is wrong and what to do, and a
 * non-zero exit code; the stack trace only with {@code --verbose}. Parameter mistakes exit 2, failures 1.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    static final int FAILED = 1;
    static final int USAGE = 2;

    /** Installs both handlers on {@code cli} (and its subcommands). */
    static CommandLine install(CommandLine cli) {
        CliErrors errors = new CliErrors();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println(cli.getCommandName() + ": " + e.getMessage() + " (see `" + qualifiedName(cli) + " --help`)");
        if (verbose(args)) {
            e.printStackTrace(err);
        }
        err.flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        err.println(qualifiedName(cli) + ": " + explain(e));
        if (parsed.originalArgs().contains("--verbose")) {
            e.printStackTrace(err);
        } else {
            err.println("(run again with --verbose for the details)");
        }
        err.flush();
        return e instanceof IllegalArgumentException ? USAGE : FAILED;
    }

    /** The cause a person can act on, in the words of this tool. */
    static String explain(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("Unable to load credentials")) {
                return "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or run "
                        + "where an instance or OIDC role provides them";
            }
            if (t instanceof ConnectException || message.contains("Connection refused")) {
                return "cannot connect: " + message + "; check --dynamodb-endpoint / --s3-endpoint (or "
                        + "OFFBOARD_DYNAMODB_ENDPOINT / OFFBOARD_S3_ENDPOINT) and that the service runs";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host " + message + "; check the endpoint settings";
            }
            if (t instanceof NoSuchFileException) {
                return "no such file: " + message;
            }
            if (t instanceof AccessDeniedException) {
                return "permission denied: " + message;
            }
            if (message.contains("ResourceNotFoundException") || message.contains("Cannot do operations on a "
                    + "non-existent table")) {
                return "a table does not exist: " + firstLine(message) + "; check --table-prefix and the endpoint";
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : firstLine(root.getMessage());
        return message;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static boolean verbose(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static String qualifiedName(CommandLine cli) {
        StringBuilder name = new StringBuilder(cli.getCommandName());
        for (CommandLine parent = cli.getParent(); parent != null; parent = parent.getParent()) {
            name.insert(0, parent.getCommandName() + " ");
        }
        return name.toString();
    }
}
