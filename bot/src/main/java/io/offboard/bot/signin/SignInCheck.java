package io.offboard.bot.signin;

import io.micronaut.core.value.PropertyResolver;
import io.offboard.bot.config.SessionSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code serve} needs for the download page's sign-in, checked before it starts so that a missing setting stops
 * it with the variable's name instead of showing people a page that cannot sign them in. The other commands
 * ({@code sweep}, {@code export}, {@code verify}, ...) serve no pages and need none of it. Values are never printed.
 */
public final class SignInCheck {

    private SignInCheck() {
    }

    /** One line per problem, naming the environment variable; empty when sign-in is configured. */
    public static List<String> problems(PropertyResolver properties) {
        List<String> problems = new ArrayList<>();
        if (blank(properties, "offboard.github.client-id")) {
            problems.add("OFFBOARD_GITHUB_CLIENT_ID is not set (the GitHub App's client ID)");
        }
        if (blank(properties, "offboard.github.client-secret")) {
            problems.add("OFFBOARD_GITHUB_CLIENT_SECRET is not set (a client secret generated in the App's settings)");
        }
        String secret = properties.get("offboard.session-secret", String.class).orElse("");
        if (secret.isBlank()) {
            problems.add("OFFBOARD_SESSION_SECRET is not set (e.g. `openssl rand -base64 48`; the same on every replica)");
        } else if (secret.getBytes(StandardCharsets.UTF_8).length < SessionSettings.MIN_SECRET_BYTES) {
            problems.add("OFFBOARD_SESSION_SECRET is shorter than " + SessionSettings.MIN_SECRET_BYTES
                    + " bytes (e.g. `openssl rand -base64 48`)");
        }
        return problems;
    }

    private static boolean blank(PropertyResolver properties, String name) {
        return properties.get(name, String.class).map(String::isBlank).orElse(true);
    }
}
