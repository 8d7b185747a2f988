package io.offboard.local.cli;

import io.offboard.bot.cli.ServeCommand;
import io.offboard.local.demo.LocalBot;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code offboard-local serve}: the app on in-process stores (DynamoDB Local, S3-compatible server) with
 * the demo platform seeded once. Without OFFBOARD_GITHUB_API_URL a GitHub stand-in is started too, so
 * {@code offboard replay} works with no network, and the download page signs people in against it.
 */
@CommandLine.Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the GitHub App on the embedded default (in-process DynamoDB Local and S3).",
                "The demo platform is seeded, data is kept under --data-dir, and a GitHub stand-in runs unless",
                "OFFBOARD_GITHUB_API_URL is set."})
public class LocalServeCommand extends ServeCommand {

    static final String DEFAULT_DATA_DIR = "offboard-data";

    @CommandLine.Option(names = "--data-dir", defaultValue = DEFAULT_DATA_DIR,
            description = "where DynamoDB Local keeps its data (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @CommandLine.Option(names = "--dynamodb-port", defaultValue = "0", description = "DynamoDB Local port (0: any free)")
    int dynamoPort;

    @CommandLine.Option(names = "--s3-port", defaultValue = "0", description = "S3 server port (0: any free)")
    int s3Port;

    @CommandLine.Option(names = "--github-port", defaultValue = "0", description = "GitHub stand-in port (0: any free)")
    int githubPort;

    @Override
    protected Map<String, Object> properties() throws Exception {
        Map<String, Object> properties = super.properties();
        // one serve per data dir: a second would open the same DynamoDB Local files and, stopping, remove the
        // first one's record that the one-shot commands beside it rely on
        EmbeddedDefault.recordedByLiveServe(dataDir.toAbsolutePath()).ifPresent(other -> {
            throw new IllegalStateException("another offboard-local serve (pid " + other.pid() + ") uses "
                    + dataDir.toAbsolutePath() + "; stop it, or give this one its own --data-dir");
        });
        EmbeddedStack stack = EmbeddedStack.start(new StackOptions(dataDir.toAbsolutePath(), dynamoPort, s3Port));
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "embedded-stack-shutdown"));
        // DynamoDB data survives a restart, S3 (in memory for versioning) does not: fill in what is missing
        DemoPlatform.seedMissing(stack.dynamo(), stack.s3());
        LocalBot.useStackCredentials(stack);
        properties.putAll(LocalBot.properties(stack));
        System.err.println("DynamoDB Local: " + stack.dynamoEndpoint() + " (data in " + dataDir.toAbsolutePath() + ")");
        System.err.println("S3:             " + stack.s3Endpoint() + " (in memory)");
        if (System.getenv("OFFBOARD_GITHUB_API_URL") == null) {
            GitHubStandIn github = GitHubStandIn.start(githubPort);
            Runtime.getRuntime().addShutdownHook(new Thread(github::close, "github-stand-in-shutdown"));
            properties.put("offboard.github.api-url", github.apiUrl());
            properties.put("offboard.github.token", LocalBot.GITHUB_TOKEN);
            // the download page's sign-in runs against the stand-in too; a session secret from the environment wins
            Map<String, Object> signIn = LocalBot.signIn(github.apiUrl(), null);
            if (System.getenv("OFFBOARD_SESSION_SECRET") != null) {
                signIn.remove("offboard.session-secret");
            }
            properties.putAll(signIn);
            System.err.println("GitHub stand-in: " + github.apiUrl() + " (also the download page's sign-in, for the users it knows)");
        }
        // one-shot commands run beside this serve (export, registry check, sweep) find its stores here
        EmbeddedDefault.record(dataDir.toAbsolutePath(), new EmbeddedDefault.Endpoints(stack.dynamoEndpoint().toString(),
                stack.s3Endpoint().toString(), (String) properties.get("offboard.github.api-url"),
                ProcessHandle.current().pid()));
        return properties;
    }
}
