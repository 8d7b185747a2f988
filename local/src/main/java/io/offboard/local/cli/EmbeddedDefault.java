package io.offboard.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.local.demo.LocalBot;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded default for one-shot commands ({@code export}, {@code registry check}, {@code sweep}) run from
 * {@code offboard-local} with no endpoint set: the stores of a running {@code offboard-local serve} (it records
 * them under its data dir), or else an in-process stack seeded with the demo platform. A user's own endpoint
 * (option or OFFBOARD_* variable) always wins.
 */
final class EmbeddedDefault {

    static final String ENDPOINTS_FILE = "endpoints.json";
    private static final Set<String> ONE_SHOT = Set.of("export", "registry", "sweep");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@code offboard-local serve} records for the commands run beside it. */
    record Endpoints(String dynamodb, String s3, String github, long pid) {
    }

    private EmbeddedDefault() {
    }

    /** Writes the endpoints of a starting {@code serve} under its data dir, removed when it stops. */
    static void record(Path dataDir, Endpoints endpoints) {
        Path file = dataDir.resolve(ENDPOINTS_FILE);
        try {
            Files.createDirectories(dataDir);
            JSON.writeValue(file.toFile(), endpoints);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> file.toFile().delete(), "endpoints-file-removal"));
    }

    /**
     * {@code args} with the embedded default's endpoints added when the command is a one-shot one that names none;
     * otherwise {@code args} unchanged.
     */
    static String[] apply(String[] args, Path dataDir) {
        if (args.length == 0 || !ONE_SHOT.contains(args[0]) || namesAnEndpoint(args)
                || List.of(args).contains("--help") || List.of(args).contains("-h")) {
            return args;
        }
        Endpoints endpoints = running(dataDir).orElseGet(EmbeddedDefault::inProcess);
        if (endpoints.github() != null && System.getenv("OFFBOARD_GITHUB_API_URL") == null) {
            // Micronaut reads system properties: the sweep's GitHub is the stand-in beside these stores
            System.setProperty("offboard.github.api-url", endpoints.github());
            System.setProperty("offboard.github.token", LocalBot.GITHUB_TOKEN);
        }
        List<String> with = new ArrayList<>(List.of(args));
        int at = args[0].equals("registry") && args.length > 1 ? 2 : 1;
        with.addAll(at, List.of("--dynamodb-endpoint", endpoints.dynamodb(), "--s3-endpoint", endpoints.s3()));
        return with.toArray(String[]::new);
    }

    /** Whether the user set either store's endpoint (option or variable): then they choose the stores, not us. */
    private static boolean namesAnEndpoint(String[] args) {
        return names(args, "--dynamodb-endpoint") || names(args, "--s3-endpoint")
                || System.getenv("OFFBOARD_DYNAMODB_ENDPOINT") != null || System.getenv("OFFBOARD_S3_ENDPOINT") != null;
    }

    private static boolean names(String[] args, String option) {
        for (String a : args) {
            if (a.equals(option) || a.startsWith(option + "=")) {
                return true;
            }
        }
        return false;
    }

    /** The endpoints a live {@code offboard-local serve} recorded; a file left by one that died is ignored. */
    static Optional<Endpoints> running(Path dataDir) {
        Optional<Endpoints> live = recordedByLiveServe(dataDir);
        live.ifPresent(recorded -> {
            System.err.println("using the stores of offboard-local serve (pid " + recorded.pid() + "): DynamoDB "
                    + recorded.dynamodb() + ", S3 " + recorded.s3());
            useCredentials();
        });
        return live;
    }

    /** What a {@code serve} that is still running recorded under {@code dataDir}, if one is; nothing else is done. */
    static Optional<Endpoints> recordedByLiveServe(Path dataDir) {
        Path file = dataDir.resolve(ENDPOINTS_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Endpoints recorded = JSON.readValue(file.toFile(), Endpoints.class);
            boolean alive = ProcessHandle.of(recorded.pid()).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Optional.of(recorded) : Optional.empty();
        } catch (IOException unreadable) {
            return Optional.empty(); // not ours, or half-written: as if none ran
        }
    }

    /** An in-process stack with the demo platform, for as long as this command runs. */
    private static Endpoints inProcess() {
        EmbeddedStack stack = EmbeddedStack.start(StackOptions.inMemory());
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "embedded-stack-shutdown"));
        DemoPlatform.seed(stack.dynamo(), stack.s3());
        new BotTables(BotTables.DEFAULT_PREFIX).createMissing(stack.dynamo());
        stack.s3().createBucket(b -> b.bucket("offboard-exports"));
        LocalBot.useStackCredentials(stack);
        GitHubStandIn github = GitHubStandIn.start(0);
        Runtime.getRuntime().addShutdownHook(new Thread(github::close, "github-stand-in-shutdown"));
        System.err.println("no endpoint set: using an in-process stack with the demo platform (tenants "
                + String.join(", ", DemoPlatform.TENANTS) + "); set --dynamodb-endpoint/--s3-endpoint or "
                + "OFFBOARD_DYNAMODB_ENDPOINT/OFFBOARD_S3_ENDPOINT for real stores");
        return new Endpoints(stack.dynamoEndpoint().toString(), stack.s3Endpoint().toString(), github.apiUrl(),
                ProcessHandle.current().pid());
    }

    /** The embedded stores accept the fixed demo key pair; set only when no real credentials are configured. */
    private static void useCredentials() {
        if (System.getProperty("aws.accessKeyId") == null && System.getenv("AWS_ACCESS_KEY_ID") == null) {
            System.setProperty("aws.accessKeyId", EmbeddedStack.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", EmbeddedStack.SECRET_KEY);
        }
    }
}
