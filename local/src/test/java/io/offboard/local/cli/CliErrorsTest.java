package io.offboard.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.local.support.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every subcommand answers a bad input with one line naming what is wrong and what to do, and a non-zero exit
 * code; no stack trace unless {@code --verbose}.
 */
class CliErrorsTest {

    private static final String NOWHERE = "http://127.0.0.1:1";

    /** {@code offboard-local <args>}, stdout and stderr together. */
    private static CliRun run(String... args) {
        return CliRun.capture(true, () -> LocalCli.run(args));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "export --tenant acme | Missing required option: '--out",
        "export --tenant acme --out /tmp/o.tar.gz --format csv --dynamodb-endpoint " + NOWHERE + " | csv",
        "export --tenant acme --out /tmp/o.tar.gz --dynamodb-endpoint " + NOWHERE + " --s3-endpoint " + NOWHERE
                + " | cannot connect",
        "verify /no/such/archive.tar.gz | is not a file",
        "registry check --dynamodb-endpoint " + NOWHERE + " --s3-endpoint " + NOWHERE + " | cannot connect",
        "registry nonsense | Unmatched argument",
        "sweep --at 2027-01-01T00:00:00Z --dynamodb-endpoint " + NOWHERE + " | --at only goes with --dry-run",
        "sweep --dry-run --at yesterday --dynamodb-endpoint " + NOWHERE + " | yesterday",
        "sweep --dry-run --dynamodb-endpoint " + NOWHERE + " | cannot connect",
        "replay /no/such/dir | no signing secret",
        "replay /no/such/dir --secret s | is not a directory",
        "redeliver --max 0 | --max must be at least 1",
        "redeliver --since yesterday | yesterday",
        "redeliver --app-id 77 | an App id but no private key",
        "redeliver --app-id 77 --private-key-file /no/such/key.pem | no such file",
        "serve --port eighty | eighty",
        "demo --no-such-flag | Unknown option",
    })
    void aBadInputIsOneClearLineAndANonZeroExit(String line, String expected) {
        CliRun run = run(line.strip().split("\\s+"));

        assertThat(run.exit()).as(run.out()).isNotZero();
        assertThat(run.out()).contains(expected.strip());
        assertThat(run.out()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(run.out().lines().filter(l -> l.contains(expected.strip()))).hasSize(1);
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun run = run("registry", "check", "--verbose", "--dynamodb-endpoint", NOWHERE, "--s3-endpoint", NOWHERE);
        assertThat(run.exit()).isNotZero();
        assertThat(run.out()).startsWith("offboard registry check: ").contains("\tat ");
    }
}
