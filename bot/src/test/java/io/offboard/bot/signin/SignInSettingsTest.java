package io.offboard.bot.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.value.MapPropertyResolver;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.oauth2.endpoint.authorization.pkce.persistence.cookie.CookiePkcePersistenceConfiguration;
import io.micronaut.security.oauth2.endpoint.authorization.state.persistence.cookie.CookieStatePersistenceConfiguration;
import io.micronaut.security.oauth2.url.OauthRouteUrlBuilder;
import io.micronaut.security.token.cookie.AccessTokenCookieConfiguration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sign-in's settings and the parts of it that do not need a server. */
class SignInSettingsTest {

    private static final String SECRET = "a-session-secret-of-at-least-32-bytes!";

    @Test
    void serveNamesEveryMissingVariableAndNeverItsValue() {
        assertThat(SignInCheck.problems(new MapPropertyResolver(Map.of()))).hasSize(3)
                .anyMatch(p -> p.startsWith("OFFBOARD_GITHUB_CLIENT_ID is not set"))
                .anyMatch(p -> p.startsWith("OFFBOARD_GITHUB_CLIENT_SECRET is not set"))
                .anyMatch(p -> p.startsWith("OFFBOARD_SESSION_SECRET is not set"));
        List<String> shortSecret = SignInCheck.problems(new MapPropertyResolver(Map.of(
                "offboard.github.client-id", "Iv1.abc", "offboard.github.client-secret", "the-client-secret",
                "offboard.session-secret", "too-short-a-secret")));
        assertThat(shortSecret).singleElement().asString().startsWith("OFFBOARD_SESSION_SECRET is shorter than 32 bytes")
                .doesNotContain("too-short-a-secret");
        assertThat(SignInCheck.problems(new MapPropertyResolver(Map.of(
                "offboard.github.client-id", "Iv1.abc", "offboard.github.client-secret", "the-client-secret",
                "offboard.session-secret", SECRET)))).isEmpty();
    }

    @Test
    void everySignInCookieIsSecureWhenThePublicUrlIsHttps() {
        try (ApplicationContext context = context("https://offboard.example.com/")) {
            assertThat(context.getBean(AccessTokenCookieConfiguration.class).isCookieSecure()).hasValue(true);
            assertThat(context.getBean(AccessTokenCookieConfiguration.class).isCookieHttpOnly()).hasValue(true);
            assertThat(context.getBean(AccessTokenCookieConfiguration.class).getCookieSameSite().map(Enum::name))
                    .hasValue("Lax");
            assertThat(context.getBean(CookieStatePersistenceConfiguration.class).isCookieSecure()).hasValue(true);
            assertThat(context.getBean(CookiePkcePersistenceConfiguration.class).isCookieSecure()).hasValue(true);
        }
        try (ApplicationContext context = context("http://localhost:8080")) {
            assertThat(context.getBean(AccessTokenCookieConfiguration.class).isCookieSecure())
                    .as("over http the flag follows the request").isEqualTo(Optional.empty());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRedirectUriSentToGitHubComesFromThePublicUrlNeverFromTheRequestsHost() {
        try (ApplicationContext context = context("https://offboard.example.com/")) {
            OauthRouteUrlBuilder<HttpRequest<?>> urls = context.getBean(OauthRouteUrlBuilder.class);
            HttpRequest<?> spoofed = HttpRequest.GET("/oauth/login/github").header("Host", "evil.example")
                    .header("X-Forwarded-Host", "evil.example").header("Forwarded", "host=evil.example");
            assertThat(urls.buildCallbackUrl(spoofed, "github").toString())
                    .isEqualTo("https://offboard.example.com/oauth/callback/github");
            assertThat(urls.buildCallbackUri("github").getPath()).isEqualTo("/oauth/callback/github");
            assertThat(urls.buildLoginUri("github").getPath()).isEqualTo("/oauth/login/github");
        }
    }

    @Test
    void onlyADownloadsSignInPathIsEverAPlaceToReturnTo() {
        assertThat(DownloadPaths.signInId("/exports/0b6b1c1e-8c1f-4f55-9a7e-4c1f2a3b4c5d/sign-in"))
                .hasValue("0b6b1c1e-8c1f-4f55-9a7e-4c1f2a3b4c5d");
        for (String other : List.of("//evil.example/exports/x/sign-in", "https://evil.example/exports/x/sign-in",
                "/exports/x/sign-in?next=//evil.example", "/exports/a/b/sign-in", "/exports/x/sign-in/",
                "/exports/../metrics/sign-in", "/\\evil.example", "/metrics", "/exports/x%2F..%2Fy/sign-in", "")) {
            assertThat(DownloadPaths.signInId(other)).as(other).isEmpty();
        }
    }

    private static ApplicationContext context(String publicUrl) {
        Map<String, Object> properties = new HashMap<>();
        // only bean definitions and configuration are read; GitHub points at a closed local port
        properties.put("offboard.github.token", "unused");
        properties.put("offboard.github.api-url", "http://127.0.0.1:9");
        properties.put("offboard.public-url", publicUrl);
        properties.put("offboard.session-secret", SECRET);
        properties.put("offboard.github.client-id", "Iv1.abc");
        properties.put("offboard.github.client-secret", "the-client-secret");
        return ApplicationContext.run(properties);
    }
}
