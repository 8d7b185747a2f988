package io.offboard.bot.signin;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.config.RedirectConfiguration;
import io.micronaut.security.config.RedirectService;
import io.micronaut.security.config.SecurityConfigurationProperties;
import io.micronaut.security.errors.PriorToLoginPersistence;
import io.micronaut.security.token.cookie.AccessTokenCookieConfiguration;
import io.micronaut.security.token.cookie.LoginCookieProvider;
import io.micronaut.security.token.cookie.RefreshTokenCookieConfiguration;
import io.micronaut.security.token.cookie.TokenCookieLoginHandler;
import io.micronaut.security.token.generator.AccessRefreshTokenGenerator;
import io.micronaut.security.token.generator.AccessTokenConfiguration;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micronaut's cookie login handler (it issues the signed session cookie) with the answers a person sees: back to
 * the download they started from (303), or a page when there is none; a sign-in GitHub's answer did not
 * complete (wrong or missing {@code state}, a refused code) gets a 401 page and no session.
 */
@Singleton
@Replaces(TokenCookieLoginHandler.class)
@Requires(property = SecurityConfigurationProperties.PREFIX + ".authentication", value = "cookie")
public class SignInLoginHandler extends TokenCookieLoginHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SignInLoginHandler.class);

    private final Pages pages;

    public SignInLoginHandler(RedirectService redirectService,
                              RedirectConfiguration redirectConfiguration,
                              AccessTokenCookieConfiguration accessTokenCookieConfiguration,
                              RefreshTokenCookieConfiguration refreshTokenCookieConfiguration,
                              AccessTokenConfiguration accessTokenConfiguration,
                              AccessRefreshTokenGenerator accessRefreshTokenGenerator,
                              @Nullable PriorToLoginPersistence<HttpRequest<?>, MutableHttpResponse<?>> priorToLoginPersistence,
                              List<LoginCookieProvider<HttpRequest<?>>> loginCookieProviders,
                              Pages pages) {
        super(redirectService, redirectConfiguration, accessTokenCookieConfiguration, refreshTokenCookieConfiguration,
                accessTokenConfiguration, accessRefreshTokenGenerator, priorToLoginPersistence, loginCookieProviders);
        this.pages = pages;
    }

    @Override
    protected MutableHttpResponse<?> createSuccessResponse(HttpRequest<?> request) {
        MutableHttpResponse<?> response = HttpResponse.status(HttpStatus.SEE_OTHER);
        Optional<URI> back = priorToLoginPersistence == null ? Optional.empty()
                : priorToLoginPersistence.getOriginalUri(request, response);
        if (back.isPresent()) {
            return response.headers(h -> h.location(back.get()));
        }
        MutableHttpResponse<String> page = pages.page(HttpStatus.OK, "signed-in", "Signed in", Map.of());
        // the return-to cookie's removal, if getOriginalUri set one
        response.getCookies().forEach((name, cookie) -> page.cookie(cookie));
        return page;
    }

    @Override
    public MutableHttpResponse<?> loginFailed(AuthenticationResponse failed, HttpRequest<?> request) {
        LOG.info("sign-in refused: {}", failed.getMessage().orElse("no reason given"));
        return pages.page(HttpStatus.UNAUTHORIZED, "sign-in-failed", "Sign-in did not complete", Map.of());
    }
}
