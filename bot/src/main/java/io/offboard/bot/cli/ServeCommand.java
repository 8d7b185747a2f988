package io.offboard.bot.cli;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import io.offboard.bot.signin.SignInCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code offboard serve}: runs the GitHub App (webhook, download page with GitHub sign-in, health, metrics) until
 * stopped. It refuses to start without the sign-in's settings, naming the missing variables.
 */
@CommandLine.Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the GitHub App: POST /github/webhook, GET /exports/{id}/download (GitHub sign-in),",
                "GET /health, GET /metrics (signed-in operators).",
                "Configuration comes from OFFBOARD_* environment variables (see README.md); the sign-in needs",
                "OFFBOARD_GITHUB_CLIENT_ID, OFFBOARD_GITHUB_CLIENT_SECRET and OFFBOARD_SESSION_SECRET."})
public class ServeCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--port", description = "HTTP port (default: MICRONAUT_SERVER_PORT, else 8080)")
    Integer port;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> properties = properties();
        List<String> problems = startProblems(properties);
        if (!problems.isEmpty()) {
            System.err.println("offboard serve: cannot start: it is not configured"
                    + " (see README.md, \"Installing the GitHub App\"):");
            problems.forEach(p -> System.err.println("  " + p));
            return 2;
        }
        ApplicationContext context = start(properties);
        System.err.println("offboard listening on " + context.getBean(EmbeddedServer.class).getURI());
        // Micronaut's own shutdown hook stops the context on SIGTERM/SIGINT; a second hook closing it too deadlocks
        while (context.isRunning()) {
            Thread.sleep(200);
        }
        return 0;
    }

    /**
     * What {@code serve} cannot run without, as the app would read it (these properties over the environment and
     * application.yml): the webhook secret (no delivery could be verified) and the sign-in's settings.
     */
    static List<String> startProblems(Map<String, Object> properties) {
        ApplicationContext probe = ApplicationContext.builder().mainClass(OffboardCli.class).properties(properties).build();
        Environment environment = probe.getEnvironment().start();
        try {
            List<String> problems = new ArrayList<>();
            if (environment.getProperty("offboard.webhook.secrets", String.class).map(String::isBlank).orElse(true)) {
                problems.add("OFFBOARD_WEBHOOK_SECRETS is not set (the GitHub App's webhook secret; while rotating, "
                        + "the old and the new, comma-separated)");
            }
            problems.addAll(SignInCheck.problems(environment));
            return problems;
        } finally {
            environment.stop();
        }
    }

    /** Properties on top of the environment; the embedded default adds its stores' endpoints. */
    protected Map<String, Object> properties() throws Exception {
        Map<String, Object> properties = new HashMap<>();
        if (port != null) {
            properties.put("micronaut.server.port", port);
        }
        return properties;
    }

    /** Starts the Micronaut application (HTTP server included) with extra properties and beans. */
    public static ApplicationContext start(Map<String, Object> properties, Object... singletons) {
        return Micronaut.build(new String[0])
                .mainClass(OffboardCli.class)
                .banner(false)
                .properties(properties)
                .singletons(singletons)
                .start();
    }
}
