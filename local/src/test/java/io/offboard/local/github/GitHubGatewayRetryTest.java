package io.offboard.local.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.offboard.bot.github.AppClient;
import io.offboard.bot.github.GitHubAuth;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.exporter.purge.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.authorization.ImmutableAuthorizationProvider;

/**
 * Every GitHub call goes through one retry policy: server errors, 429 and secondary rate limits are retried with
 * backoff (at least as long as Retry-After asks), every other 4xx is final at once.
 */
class GitHubGatewayRetryTest {

    private static final String EDIT = "/repos/platform/infra/issues/comments/42";

    private final WireMockServer github = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private final List<Duration> pauses = new ArrayList<>();
    private GitHubGateway gateway;

    @BeforeEach
    void start() throws Exception {
        github.start();
        String api = "http://localhost:" + github.port();
        var auth = new GitHubAuth(ImmutableAuthorizationProvider.fromOauthToken("t"));
        gateway = new GitHubGateway(new GitHubBuilder().withEndpoint(api).withAuthorizationProvider(auth.provider())
                .build(), new AppClient(Optional.empty()), auth,
                new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5), () -> 0.5, pauses::add));
    }

    @AfterEach
    void stop() {
        github.stop();
    }

    /** The first {@code failures} edits get {@code status} (with {@code headers}), then GitHub takes the edit. */
    private void answer(int failures, int status, String body, String... retryAfter) {
        String state = Scenario.STARTED;
        for (int i = 1; i <= failures; i++) {
            var response = aResponse().withStatus(status).withBody(body);
            if (retryAfter.length > 0) {
                response = response.withHeader("Retry-After", retryAfter[0]);
            }
            github.stubFor(patch(urlPathEqualTo(EDIT)).inScenario("edits").whenScenarioStateIs(state)
                    .willReturn(response).willSetStateTo("after " + i));
            state = "after " + i;
        }
        github.stubFor(patch(urlPathEqualTo(EDIT)).inScenario("edits").whenScenarioStateIs(state)
                .willReturn(aResponse().withStatus(200).withBody("{\"id\":42}")));
    }

    private int edits() {
        return github.findAll(patchRequestedFor(urlPathEqualTo(EDIT))).size();
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() throws Exception {
        answer(2, 502, "bad gateway");

        gateway.editComment("platform/infra", 7, 42, "progress 40%");

        assertThat(edits()).isEqualTo(3);
        assertThat(pauses).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
    }

    @Test
    void aSecondaryRateLimitIsRetriedNoSoonerThanRetryAfterAsks() throws Exception {
        answer(1, 403, "{\"message\":\"You have exceeded a secondary rate limit.\"}", "3");
        gateway.editComment("platform/infra", 7, 42, "x");
        assertThat(edits()).isEqualTo(2);
        assertThat(pauses).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void tooManyRequestsIsRetried() throws Exception {
        answer(1, 429, "slow down", "1");
        gateway.editComment("platform/infra", 7, 42, "x");
        assertThat(pauses).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aMissingPermissionAndOtherClientErrorsAreFinalAtOnce() {
        answer(1, 403, "{\"message\":\"Resource not accessible by integration\"}");
        assertThatThrownBy(() -> gateway.editComment("platform/infra", 7, 42, "x")).isInstanceOf(HttpException.class)
                .satisfies(e -> assertThat(((HttpException) e).getResponseCode()).isEqualTo(403));
        assertThat(edits()).isEqualTo(1);

        github.resetAll();
        answer(1, 422, "{\"message\":\"Validation Failed\"}");
        assertThatThrownBy(() -> gateway.editComment("platform/infra", 7, 42, "x")).isInstanceOf(HttpException.class);
        assertThat(edits()).isEqualTo(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aRetryAfterLongerThanAMinuteIsLeftToTheNextSweep() {
        answer(1, 503, "maintenance", "600");
        assertThatThrownBy(() -> gateway.editComment("platform/infra", 7, 42, "x")).isInstanceOf(HttpException.class);
        assertThat(edits()).isEqualTo(1);
    }
}
