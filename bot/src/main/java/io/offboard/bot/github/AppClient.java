package io.offboard.bot.github;

import java.util.Optional;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.authorization.AuthorizationProvider;

/**
 * The GitHub App itself (its JWT), present only with App credentials: the App's own endpoints ({@code GET /app},
 * {@code /app/hook/deliveries}) do not accept an installation token. {@code client} is the kohsuke client
 * authenticated with the JWT; {@code jwt} gives the {@code Authorization} value ({@code Bearer <jwt>}, renewed
 * before it expires) for the raw calls the library has no method for.
 */
public record AppClient(Optional<GitHub> client, Optional<AuthorizationProvider> jwt) {

    /** A client without the raw JWT: enough for {@code GET /app}, not for the hook-delivery calls. */
    public AppClient(Optional<GitHub> client) {
        this(client, Optional.empty());
    }

    /** Token auth: no App. */
    public static AppClient none() {
        return new AppClient(Optional.empty(), Optional.empty());
    }
}
