package io.offboard.bot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The download page's sessions: a short-lived signed cookie (HS256 JWT) that any replica verifies with the same
 * {@code sessionSecret} (OFFBOARD_SESSION_SECRET, at least 32 bytes, e.g. {@code openssl rand -base64 48}).
 * Micronaut Security reads the secret through {@code application.yml}; only {@code serve} needs it.
 */
// prefix "offboard" so that OFFBOARD_SESSION_SECRET binds as documented
@ConfigurationProperties("offboard")
public record SessionSettings(@Nullable String sessionSecret) {

    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    @Override
    public String toString() {
        return "SessionSettings[sessionSecret=" + GitHubSettings.redacted(sessionSecret) + "]";
    }
}
