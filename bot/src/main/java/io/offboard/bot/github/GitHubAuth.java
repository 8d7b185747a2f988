package io.offboard.bot.github;

import org.kohsuke.github.authorization.AuthorizationProvider;

/** The bot's GitHub credentials (a token, or the App's installation token), shared by the client and raw calls. */
public record GitHubAuth(AuthorizationProvider provider) {
}
