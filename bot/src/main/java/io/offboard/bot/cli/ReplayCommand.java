package io.offboard.bot.cli;

import io.offboard.bot.webhook.WebhookSender;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * {@code offboard replay DIR}: signs and posts every webhook JSON file of a directory, in name order, to a
 * running instance, like a recorded conversation. The event comes from a {@code NAME.headers} file beside
 * the JSON ({@code X-GitHub-Event: issues}) or from the file name ({@code 01-issues.opened.json}).
 */
@CommandLine.Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Sign and post every webhook JSON file in DIR (in name order) to a running offboard.")
public class ReplayCommand implements Callable<Integer> {

    private static final Pattern NAMED_EVENT = Pattern.compile("(?:\\d+[-_])?([a-z_]+)(?:\\.[a-z_]+)?\\.json");

    @CommandLine.Parameters(index = "0", paramLabel = "DIR", description = "directory of webhook payloads (*.json)")
    Path directory;

    @CommandLine.Option(names = "--url", defaultValue = "http://localhost:8080/github/webhook",
            description = "webhook endpoint (default: ${DEFAULT-VALUE})")
    URI url;

    @CommandLine.Option(names = "--secret", description = "signing secret (default: first of OFFBOARD_WEBHOOK_SECRETS)")
    String secret;

    @CommandLine.Option(names = "--delay-ms", defaultValue = "0", description = "pause between deliveries")
    long delayMs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String signingSecret = secret != null ? secret : firstEnvSecret()
                .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                        "no signing secret: pass --secret or set OFFBOARD_WEBHOOK_SECRETS"));
        if (!Files.isDirectory(directory)) {
            throw new CommandLine.ParameterException(spec.commandLine(), directory + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) {
            System.err.println("no *.json files in " + directory);
            return 1;
        }
        WebhookSender sender = new WebhookSender(url, signingSecret);
        int failures = 0;
        for (Path file : files) {
            Map<String, String> headers = headers(file);
            String event = headers.getOrDefault("x-github-event", eventFromName(file).orElse(null));
            if (event == null) {
                System.err.printf("%s: skipped, no event type (add %s.headers or name it NN-event.json)%n",
                        file.getFileName(), file.getFileName().toString().replaceAll("\\.json$", ""));
                failures++;
                continue;
            }
            String delivery = headers.getOrDefault("x-github-delivery", UUID.randomUUID().toString());
            int status = sender.send(event, delivery, Files.readAllBytes(file));
            System.out.printf("%s  %-14s %s -> %d%n", file.getFileName(), event, delivery, status);
            if (status / 100 != 2) {
                failures++;
            }
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
        }
        System.out.printf("%d delivered, %d failed%n", files.size() - failures, failures);
        return failures == 0 ? 0 : 1;
    }

    private static Optional<String> firstEnvSecret() {
        String secrets = System.getenv("OFFBOARD_WEBHOOK_SECRETS");
        if (secrets == null) {
            return Optional.empty();
        }
        return Stream.of(secrets.split(",")).map(String::strip).filter(s -> !s.isEmpty()).findFirst();
    }

    static Optional<String> eventFromName(Path file) {
        Matcher m = NAMED_EVENT.matcher(file.getFileName().toString());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Map<String, String> headers(Path json) throws Exception {
        Path headerFile = json.resolveSibling(json.getFileName().toString().replaceAll("\\.json$", ".headers"));
        if (!Files.exists(headerFile)) {
            return Map.of();
        }
        Map<String, String> headers = new java.util.HashMap<>();
        for (String line : Files.readAllLines(headerFile)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        return headers;
    }
}
