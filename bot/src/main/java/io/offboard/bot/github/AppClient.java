package io.offboard.bot.github;

import java.util.Optional;
import org.kohsuke.github.GitHub;

/**
 * A client authenticated as the GitHub App itself (its JWT), present only with App credentials: the App's own
 * endpoints ({@code GET /app}) do not accept an installation token.
 */
public record AppClient(Optional<GitHub> client) {
}
