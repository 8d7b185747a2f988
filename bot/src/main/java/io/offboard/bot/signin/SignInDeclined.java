package io.offboard.bot.signin;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.oauth2.endpoint.authorization.response.AuthorizationErrorResponseException;
import io.micronaut.security.oauth2.endpoint.authorization.response.AuthorizationErrorResponseExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitHub called back with an error (the person declined, or the App is misconfigured): the sign-in-failed page,
 * never GitHub's own {@code error_description} (a caller can put anything there).
 */
@Singleton
@Replaces(AuthorizationErrorResponseExceptionHandler.class)
public class SignInDeclined implements ExceptionHandler<AuthorizationErrorResponseException, MutableHttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(SignInDeclined.class);

    private final Pages pages;

    public SignInDeclined(Pages pages) {
        this.pages = pages;
    }

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationErrorResponseException exception) {
        LOG.info("sign-in: GitHub answered {}", exception.getAuthorizationErrorResponse().getError());
        return pages.page(HttpStatus.UNAUTHORIZED, "sign-in-failed", "Sign-in did not complete", Map.of());
    }
}
