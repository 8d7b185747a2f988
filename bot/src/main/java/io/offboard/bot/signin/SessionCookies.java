package io.offboard.bot.signin;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.security.oauth2.endpoint.AbstractCookieConfiguration;
import io.micronaut.security.token.cookie.AbstractAccessTokenCookieConfigurationProperties;
import io.offboard.bot.config.ExportBotSettings;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * The {@code Secure} flag of every cookie of the sign-in (the session, the return-to cookie, the OAuth
 * {@code state} and PKCE cookies): on when {@code OFFBOARD_PUBLIC_URL} is https, whatever the request looked like
 * when it reached the bot (TLS usually ends at a proxy in front of it). Over plain http (local runs) it follows the
 * request.
 */
public final class SessionCookies {

    private SessionCookies() {
    }

    static boolean secure(ExportBotSettings settings) {
        return settings.publicUrl().trim().toLowerCase(Locale.ROOT).startsWith("https://");
    }

    /** The session cookie (and the return-to cookie, which uses its configuration). */
    @Singleton
    static final class SessionCookie implements BeanCreatedEventListener<AbstractAccessTokenCookieConfigurationProperties> {
        private final ExportBotSettings settings;

        SessionCookie(ExportBotSettings settings) {
            this.settings = settings;
        }

        @Override
        public AbstractAccessTokenCookieConfigurationProperties onCreated(
                BeanCreatedEvent<AbstractAccessTokenCookieConfigurationProperties> event) {
            if (secure(settings)) {
                event.getBean().setCookieSecure(true);
            }
            return event.getBean();
        }
    }

    /** The OAuth {@code state} and PKCE cookies. */
    @Singleton
    static final class OAuthCookies implements BeanCreatedEventListener<AbstractCookieConfiguration> {
        private final ExportBotSettings settings;

        OAuthCookies(ExportBotSettings settings) {
            this.settings = settings;
        }

        @Override
        public AbstractCookieConfiguration onCreated(BeanCreatedEvent<AbstractCookieConfiguration> event) {
            if (secure(settings)) {
                event.getBean().setCookieSecure(true);
            }
            return event.getBean();
        }
    }
}
