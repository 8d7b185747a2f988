package io.offboard.bot.cli;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** {@code offboard serve}: runs the GitHub App (webhook, health, metrics) until stopped. */
@CommandLine.Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the GitHub App: POST /github/webhook, GET /health, GET /metrics.",
                "Configuration comes from OFFBOARD_* environment variables (see README.md)."})
public class ServeCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--port", description = "HTTP port (default: MICRONAUT_SERVER_PORT, else 8080)")
    Integer port;

    @Override
    public Integer call() throws Exception {
        ApplicationContext context = start(properties());
        System.err.println("offboard listening on " + context.getBean(EmbeddedServer.class).getURI());
        // Micronaut's own shutdown hook stops the context on SIGTERM/SIGINT; a second hook closing it too deadlocks
        while (context.isRunning()) {
            Thread.sleep(200);
        }
        return 0;
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
