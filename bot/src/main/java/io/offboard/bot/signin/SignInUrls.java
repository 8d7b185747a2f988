package io.offboard.bot.signin;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.uri.UriTemplate;
import io.micronaut.security.oauth2.configuration.OauthConfiguration;
import io.micronaut.security.oauth2.url.DefaultOauthRouteUrlBuilder;
import io.micronaut.security.oauth2.url.OauthRouteUrlBuilder;
import io.offboard.bot.config.ExportBotSettings;
import jakarta.inject.Singleton;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.Map;

/**
 * The OAuth login and callback URLs, absolute on {@code OFFBOARD_PUBLIC_URL}: the {@code redirect_uri} sent to
 * GitHub never comes from the request's Host or X-Forwarded-* headers, so nobody can steer it elsewhere. Routes
 * stay {@code /oauth/login/github} and {@code /oauth/callback/github}.
 */
@Singleton
@Replaces(DefaultOauthRouteUrlBuilder.class)
public class SignInUrls implements OauthRouteUrlBuilder<HttpRequest<?>> {

    private final String base;
    private final String loginTemplate;
    private final String callbackTemplate;

    public SignInUrls(ExportBotSettings settings, OauthConfiguration oauth) {
        this.base = settings.publicUrl().replaceAll("/+$", "");
        this.loginTemplate = oauth.getLoginUri();
        this.callbackTemplate = oauth.getCallbackUri();
    }

    @Override
    public URL buildLoginUrl(@Nullable HttpRequest<?> originating, String providerName) {
        return buildUrl(originating, path(loginTemplate, providerName));
    }

    @Override
    public URL buildCallbackUrl(@Nullable HttpRequest<?> originating, String providerName) {
        return buildUrl(originating, path(callbackTemplate, providerName));
    }

    @Override
    public URI buildLoginUri(@Nullable String providerName) {
        return URI.create(path(loginTemplate, providerName));
    }

    @Override
    public URI buildCallbackUri(@Nullable String providerName) {
        return URI.create(path(callbackTemplate, providerName));
    }

    @Override
    public URL buildUrl(@Nullable HttpRequest<?> current, String path) {
        try {
            return URI.create(path.startsWith("/") ? base + path : base + "/" + path).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("OFFBOARD_PUBLIC_URL is not a URL: " + base, e);
        }
    }

    private static String path(String template, @Nullable String provider) {
        return UriTemplate.of(template).expand(provider == null ? Map.of() : Map.of("provider", provider));
    }
}
