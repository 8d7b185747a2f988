package io.offboard.bot.signin;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.micronaut.security.config.RedirectConfiguration;
import io.micronaut.security.config.RedirectService;
import io.micronaut.security.errors.PriorToLoginPersistence;
import io.micronaut.security.authentication.WwwAuthenticateChallengeProvider;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Micronaut's refusal of an unauthenticated request, narrowed: only {@code GET /exports/{id}/sign-in} sends the
 * caller to GitHub's sign-in (whatever it accepts: it is the link on the download page); {@code /metrics}, unknown
 * paths and the rest answer a plain 401 or 403 and never start a sign-in or set a return-to cookie.
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class SignInRedirects extends DefaultAuthorizationExceptionHandler {

    public SignInRedirects(ErrorResponseProcessor<?> errorResponseProcessor,
                           RedirectConfiguration redirectConfiguration,
                           RedirectService redirectService,
                           List<WwwAuthenticateChallengeProvider<HttpRequest<?>>> wwwAuthenticateChallengeProviders,
                           @Nullable PriorToLoginPersistence priorToLoginPersistence) {
        super(errorResponseProcessor, redirectConfiguration, redirectService, wwwAuthenticateChallengeProviders,
                priorToLoginPersistence);
    }

    @Override
    protected boolean shouldRedirect(HttpRequest<?> request, AuthorizationException exception) {
        return !exception.isForbidden() && DownloadPaths.signInId(request.getPath()).isPresent();
    }
}
