package io.offboard.bot.signin;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.security.config.RedirectConfigurationProperties;
import io.micronaut.security.errors.CookiePriorToLoginPersistence;
import io.micronaut.security.config.TokenCookieConfiguration;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Optional;

/**
 * Where a person returns after signing in: Micronaut's prior-to-login cookie, restricted to a download's sign-in
 * path. Only {@code /exports/{id}/sign-in} is ever stored, and a cookie holding anything else (planted by someone
 * else, or edited) is ignored when it is read back, so the login can never redirect off this site
 * ({@code //evil.example}, {@code https://evil.example}, {@code /\evil.example}) or to another route.
 */
@Singleton
@Replaces(CookiePriorToLoginPersistence.class)
@Requires(property = RedirectConfigurationProperties.PREFIX + ".prior-to-login", value = "true")
public class DownloadPriorToLogin extends CookiePriorToLoginPersistence {

    static final String COOKIE_NAME = "ORIGINAL_URI";

    public DownloadPriorToLogin(@Nullable TokenCookieConfiguration cookieConfiguration) {
        super(cookieConfiguration);
    }

    @Override
    public void onUnauthorized(HttpRequest<?> request, MutableHttpResponse<?> response) {
        DownloadPaths.signInId(request.getPath()).ifPresent(id -> {
            Cookie cookie = Cookie.of(COOKIE_NAME, DownloadPaths.signIn(id));
            configure(cookie, request);
            cookie.maxAge(java.time.Duration.ofMinutes(10));
            response.cookie(cookie);
        });
    }

    @Override
    public Optional<URI> getOriginalUri(HttpRequest<?> request, MutableHttpResponse<?> response) {
        Cookie stored = request.getCookies().get(COOKIE_NAME);
        if (stored == null) {
            return Optional.empty();
        }
        Cookie clear = Cookie.of(COOKIE_NAME, "");
        configure(clear, request);
        clear.maxAge(0);
        response.cookie(clear);
        return DownloadPaths.signInId(stored.getValue()).map(DownloadPaths::signIn).map(URI::create);
    }
}
