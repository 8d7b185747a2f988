package io.offboard.bot.signin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.oauth2.endpoint.authorization.state.State;
import io.micronaut.security.oauth2.endpoint.token.response.OauthAuthenticationMapper;
import io.micronaut.security.oauth2.endpoint.token.response.TokenResponse;
import io.offboard.bot.access.Authorizer;
import io.offboard.bot.config.GitHubSettings;
import io.offboard.lifecycle.access.Actor;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.kohsuke.github.GHMyself;
import org.kohsuke.github.GitHubBuilder;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who signed in, for Micronaut's OAuth client {@code github}: GitHub's web flow is plain OAuth 2.0, so the person is
 * whoever {@code GET /user} says the user's token belongs to. The session (a signed cookie) carries the login as its
 * name and the numeric id as {@value #GITHUB_ID}; the user's GitHub token is used for this one call and then
 * forgotten (never stored, never in the cookie). Operators get the role {@value #OPERATOR_ROLE}, which opens
 * {@code /metrics}; what someone may download is decided again on every download, by id.
 */
@Singleton
@Named("github")
public class GitHubSignIn implements OauthAuthenticationMapper {

    /** The session attribute holding the signed-in person's numeric GitHub id. */
    public static final String GITHUB_ID = "github_id";
    public static final String OPERATOR_ROLE = "OPERATOR";

    private static final Logger LOG = LoggerFactory.getLogger(GitHubSignIn.class);

    private final GitHubSettings settings;
    private final Authorizer authorizer;
    private final ExecutorService blocking;

    public GitHubSignIn(GitHubSettings settings, Authorizer authorizer,
                        @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.settings = settings;
        this.authorizer = authorizer;
        this.blocking = blocking;
    }

    @Override
    public Publisher<AuthenticationResponse> createAuthenticationResponse(TokenResponse tokenResponse,
                                                                         @Nullable State state) {
        // kohsuke's client blocks: keep it off the event loop
        return Publishers.fromCompletableFuture(
                CompletableFuture.supplyAsync(() -> authenticate(tokenResponse.getAccessToken()), blocking));
    }

    private AuthenticationResponse authenticate(@Nullable String userToken) {
        if (userToken == null || userToken.isBlank()) {
            // GitHub answers a refused code exchange with 200 and an error instead of a token
            return AuthenticationResponse.failure("GitHub issued no token");
        }
        GHMyself me;
        try {
            me = new GitHubBuilder().withEndpoint(settings.apiUrl()).withOAuthToken(userToken).build().getMyself();
        } catch (IOException e) {
            LOG.warn("sign-in: GET /user with the user's token failed: {}", e.getClass().getSimpleName());
            return AuthenticationResponse.failure("GitHub did not say who signed in");
        }
        Actor actor = new Actor(me.getId(), me.getLogin());
        List<String> roles = List.of();
        try {
            if (authorizer.isOperator(actor)) {
                roles = List.of(OPERATOR_ROLE);
            }
        } catch (IOException e) {
            LOG.warn("sign-in of {}: operator membership not known ({}); signed in without the operator role",
                    actor, e.getClass().getSimpleName());
        }
        LOG.info("signed in: {}{}", actor, roles.isEmpty() ? "" : " " + roles);
        return AuthenticationResponse.success(actor.login(), roles, Map.of(GITHUB_ID, actor.id()));
    }

    /** The person a session stands for, or null for a session without a usable id. */
    public static Actor actor(io.micronaut.security.authentication.Authentication authentication) {
        if (authentication == null) {
            return null;
        }
        Object id = authentication.getAttributes().get(GITHUB_ID);
        if (!(id instanceof Number number) || number.longValue() <= 0) {
            return null;
        }
        return new Actor(number.longValue(), authentication.getName());
    }
}
