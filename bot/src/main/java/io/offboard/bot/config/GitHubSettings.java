package io.offboard.bot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.offboard.lifecycle.eviction.EvictionId;

/**
 * How the bot reaches GitHub: a token (OFFBOARD_GITHUB_TOKEN) or a GitHub App (OFFBOARD_GITHUB_APP_ID and
 * OFFBOARD_GITHUB_PRIVATE_KEY, installed on {@code installationOrg}). {@code webUrl} is where people read
 * issues (links in comments) and where they sign in: GitHub's OAuth web flow runs under it with the App's
 * {@code clientId} and {@code clientSecret} (OFFBOARD_GITHUB_CLIENT_ID, OFFBOARD_GITHUB_CLIENT_SECRET), which
 * only {@code serve} needs.
 */
@ConfigurationProperties("offboard.github")
public record GitHubSettings(
        @Bindable(defaultValue = "https://api.github.com") String apiUrl,
        @Nullable String token,
        @Nullable String appId,
        @Nullable String privateKey,
        @Nullable String installationOrg,
        @Bindable(defaultValue = "3") int attempts,
        @Bindable(defaultValue = "https://github.com") String webUrl,
        @Nullable String clientId,
        @Nullable String clientSecret) {

    /** Where people read the eviction's issue. */
    public String issueUrl(EvictionId eviction) {
        return webUrl.replaceAll("/+$", "") + "/" + eviction.repository() + "/issues/" + eviction.issueNumber();
    }

    /** Never the credentials themselves: a record's default {@code toString} would print them into a log. */
    @Override
    public String toString() {
        return "GitHubSettings[apiUrl=" + apiUrl + ", webUrl=" + webUrl + ", appId=" + appId + ", installationOrg="
                + installationOrg + ", clientId=" + clientId + ", token=" + redacted(token) + ", privateKey="
                + redacted(privateKey) + ", clientSecret=" + redacted(clientSecret) + "]";
    }

    static String redacted(String secret) {
        return secret == null || secret.isEmpty() ? "(unset)" : "(set)";
    }
}
