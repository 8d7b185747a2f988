package io.offboard.bot.cli;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.offboard.bot.github.AppClient;
import io.offboard.bot.github.AppHookDeliveries;
import io.offboard.bot.github.GitHubClientFactory;
import io.offboard.bot.webhook.Redelivery;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kohsuke.github.HttpException;
import picocli.CommandLine;

/**
 * {@code offboard redeliver}: asks GitHub to deliver again the webhook deliveries the bot never answered with a 2xx
 * (the sweep and a timer of {@code serve} do the same). Needs App auth and nothing else: no AWS, no stores, no
 * installation. With token auth there is no such API; it says so in one line and exits 0 (the catch-up sweep covers
 * that mode: nothing is wrong, there is just nothing this command can do).
 */
@CommandLine.Command(name = "redeliver", mixinStandardHelpOptions = true,
        description = {"With App auth, ask GitHub to redeliver the webhook deliveries the bot never got.",
                "",
                "Every event of the window none of whose attempts got a 2xx, once, oldest first, at most --max. "
                        + "Safe to repeat: the bot handles a delivery once. Needs OFFBOARD_GITHUB_APP_ID and "
                        + "OFFBOARD_GITHUB_PRIVATE_KEY (or the options below). GitHub keeps deliveries about three "
                        + "days; older gaps, and token mode, are the catch-up sweep's. Prints one line per delivery "
                        + "asked for and a summary; exits 1 if GitHub refused any."})
public class RedeliverCommand implements Callable<Integer> {

    static final String TOKEN_MODE = "redeliver: GitHub's redelivery API needs App auth (OFFBOARD_GITHUB_APP_ID and "
            + "OFFBOARD_GITHUB_PRIVATE_KEY); with token auth the catch-up sweep (`offboard sweep`) covers missed "
            + "deliveries. Nothing asked.";

    @CommandLine.Option(names = "--since", paramLabel = "DURATION", defaultValue = "P3D",
            description = "Only deliveries made within this long (ISO-8601, e.g. PT6H; default ${DEFAULT-VALUE}, "
                    + "all GitHub keeps).")
    Duration since;

    @CommandLine.Option(names = "--max", paramLabel = "N", defaultValue = "" + Redelivery.DEFAULT_MAX,
            description = "Ask for at most N redeliveries (default ${DEFAULT-VALUE}); the rest wait for the next run.")
    int max;

    @CommandLine.Option(names = "--github-api-url", paramLabel = "URL",
            description = "GitHub REST API (default: OFFBOARD_GITHUB_API_URL, else https://api.github.com).")
    String apiUrl;

    @CommandLine.Option(names = "--app-id", paramLabel = "ID", description = "GitHub App id (default: OFFBOARD_GITHUB_APP_ID).")
    String appId;

    @CommandLine.Option(names = "--private-key-file", paramLabel = "FILE",
            description = "The App's private key, PEM (default: the PEM in OFFBOARD_GITHUB_PRIVATE_KEY).")
    Path privateKeyFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (since.isNegative() || since.isZero()) {
            throw usage("--since must be a positive duration, e.g. P3D or PT6H: " + since);
        }
        if (max < 1) {
            throw usage("--max must be at least 1: " + max);
        }
        Settings settings = settings();
        if (settings.appId() == null && settings.privateKey() == null) {
            if (settings.token()) {
                System.out.println(TOKEN_MODE);
                return 0;
            }
            throw usage("no GitHub App credentials: set OFFBOARD_GITHUB_APP_ID and OFFBOARD_GITHUB_PRIVATE_KEY "
                    + "(or pass --app-id and --private-key-file)");
        }
        if (settings.appId() == null) {
            throw usage("a private key but no App id: set OFFBOARD_GITHUB_APP_ID or pass --app-id");
        }
        if (settings.privateKey() == null) {
            throw usage("an App id but no private key: set OFFBOARD_GITHUB_PRIVATE_KEY or pass --private-key-file");
        }
        PrivateKey key;
        try {
            key = GitHubClientFactory.privateKey(settings.privateKey());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw usage("the App's private key is not an RSA key in PEM (PKCS#1 or PKCS#8): " + e.getMessage());
        }
        AppClient app = GitHubClientFactory.appClient(settings.apiUrl(), settings.appId(), key);
        Redelivery redelivery = new Redelivery(new AppHookDeliveries(app, settings.apiUrl(), settings.attempts()),
                Clock.systemUTC());
        Redelivery.Report report;
        try {
            report = redelivery.run(since, max);
        } catch (IOException e) {
            throw gitHubFailure(e, settings.apiUrl());
        }
        report.asked().forEach(asked -> System.out.println("redelivered " + asked.line()));
        System.out.println("redeliver: " + report.summary());
        return report.ok() ? 0 : CliErrors.FAILED;
    }

    /** The GitHub settings of {@code serve} (Micronaut properties: OFFBOARD_* variables, system properties), overridden by the options. */
    record Settings(String apiUrl, String appId, String privateKey, boolean token, int attempts) {
    }

    private Settings settings() throws IOException {
        // the environment alone, not the app: reading settings starts no client and asks for no AWS credentials
        ApplicationContext context = ApplicationContext.builder().build();
        Environment environment = context.getEnvironment().start();
        try {
            String url = apiUrl != null ? apiUrl : property(environment, "offboard.github.api-url")
                    .orElse("https://api.github.com");
            String id = appId != null ? appId : property(environment, "offboard.github.app-id").orElse(null);
            String pem = privateKeyFile != null ? Files.readString(privateKeyFile)
                    : property(environment, "offboard.github.private-key").orElse(null);
            boolean token = property(environment, "offboard.github.token").isPresent();
            int attempts = environment.getProperty("offboard.github.attempts", Integer.class).orElse(3);
            return new Settings(url, id, pem, token, attempts);
        } finally {
            environment.stop();
        }
    }

    private static Optional<String> property(Environment environment, String name) {
        return environment.getProperty(name, String.class).filter(value -> !value.isBlank());
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** One line a person can act on; the original failure stays attached for --verbose. */
    private static RuntimeException gitHubFailure(IOException e, String apiUrl) {
        String message;
        if (e instanceof HttpException http && http.getResponseCode() == 401) {
            message = "GitHub refused the App's JWT (HTTP 401): check OFFBOARD_GITHUB_APP_ID and the private key, "
                    + "and that the machine's clock is right";
        } else if (e instanceof HttpException http) {
            message = "GitHub answered HTTP " + http.getResponseCode() + " to the App's webhook deliveries at " + apiUrl;
        } else if (e instanceof FileNotFoundException) {
            message = "no App webhook deliveries at " + apiUrl + " (HTTP 404): check --github-api-url / "
                    + "OFFBOARD_GITHUB_API_URL";
        } else if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
            message = "cannot reach GitHub at " + apiUrl + ": check --github-api-url / OFFBOARD_GITHUB_API_URL";
        } else {
            message = "GitHub's webhook deliveries could not be read: " + e;
        }
        IllegalStateException failure = new IllegalStateException(message);
        failure.addSuppressed(e);
        return failure;
    }
}
