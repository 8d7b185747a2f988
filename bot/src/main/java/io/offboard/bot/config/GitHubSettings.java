package io.offboard.bot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * How the bot reaches GitHub: a token (OFFBOARD_GITHUB_TOKEN) or a GitHub App (OFFBOARD_GITHUB_APP_ID and
 * OFFBOARD_GITHUB_PRIVATE_KEY, installed on {@code installationOrg}). {@code webUrl} is where people read
 * issues (links in comments).
 */
@ConfigurationProperties("offboard.github")
public record GitHubSettings(
        @Bindable(defaultValue = "https://api.github.com") String apiUrl,
        @Nullable String token,
        @Nullable String appId,
        @Nullable String privateKey,
        @Nullable String installationOrg,
        @Bindable(defaultValue = "3") int attempts,
        @Bindable(defaultValue = "https://github.com") String webUrl) {
}
