package io.offboard.local.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.offboard.bot.config.GitHubSettings;
import io.offboard.bot.github.AppClient;
import io.offboard.bot.github.BotAccount;
import io.offboard.bot.github.GitHubAuth;
import io.offboard.bot.github.GitHubGateway;
import org.kohsuke.github.authorization.ImmutableAuthorizationProvider;
import java.security.KeyPairGenerator;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.extras.authorization.JWTTokenProvider;

/**
 * As a GitHub App, the bot's installation token has no user (GET /user answers 403): the bot learns its own
 * account from the App's JWT (GET /app → slug → the {@code <slug>[bot]} user) and knows its comments by that
 * account's numeric id, not by a {@code [bot]} suffix another App's login also has.
 */
class GitHubGatewayAppIdentityTest {

    private final WireMockServer github = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    @BeforeEach
    void start() {
        github.start();
        github.stubFor(get(urlPathEqualTo("/user")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Resource not accessible by integration\"}")));
        github.stubFor(get(urlPathEqualTo("/app")).willReturn(okJson("{\"id\":77,\"slug\":\"offboard\",\"name\":\"offboard\"}")));
        github.stubFor(get(urlPathEqualTo("/users/offboard%5Bbot%5D")).willReturn(
                okJson("{\"login\":\"offboard[bot]\",\"id\":4242,\"type\":\"Bot\"}")));
        github.stubFor(get(urlPathEqualTo("/users/other-app%5Bbot%5D")).willReturn(
                okJson("{\"login\":\"other-app[bot]\",\"id\":9999,\"type\":\"Bot\"}")));
        github.stubFor(get(urlPathEqualTo("/repos/platform/infra")).willReturn(okJson(
                "{\"id\":1,\"name\":\"infra\",\"full_name\":\"platform/infra\",\"owner\":{\"login\":\"platform\",\"id\":2},"
                        + "\"url\":\"" + url("/repos/platform/infra") + "\"}")));
        github.stubFor(get(urlPathEqualTo("/repos/platform/infra/issues/7")).willReturn(okJson(
                "{\"id\":70,\"number\":7,\"title\":\"Eviction\",\"state\":\"open\","
                        + "\"url\":\"" + url("/repos/platform/infra/issues/7") + "\"}")));
        github.stubFor(get(urlPathEqualTo("/repos/platform/infra/issues/7/comments")).willReturn(okJson("["
                + comment(501, "other-app[bot]", 9999) + "," + comment(502, "offboard[bot]", 4242) + "]")));
    }

    private String url(String path) {
        return "http://localhost:" + github.port() + path;
    }

    private static String comment(long id, String login, long userId) {
        return "{\"id\":" + id + ",\"body\":\"status\\n<!-- offboard:status v1 -->\",\"user\":{\"login\":\"" + login
                + "\",\"id\":" + userId + ",\"type\":\"Bot\"}}";
    }

    @AfterEach
    void stop() {
        github.stop();
    }

    @Test
    void theBotKnowsItsOwnCommentByItsAppUsersIdAndNotAnotherAppsLookAlike() throws Exception {
        var keys = KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        GitHub jwt = new GitHubBuilder().withEndpoint(url(""))
                .withAuthorizationProvider(new JWTTokenProvider("77", keys.generateKeyPair().getPrivate())).build();
        GitHub installation = new GitHubBuilder().withEndpoint(url("")).withOAuthToken("ghs_installation").build();
        GitHubGateway gateway = new GitHubGateway(installation, new AppClient(Optional.of(jwt)),
                new GitHubAuth(ImmutableAuthorizationProvider.fromOauthToken("ghs_installation")),
                new GitHubSettings(url(""), "ghs_installation", null, null, null, 1, "https://github.com", null, null));

        assertThat(gateway.self()).isEqualTo(new BotAccount(4242, "offboard[bot]"));
        assertThat(gateway.findBotComment("platform/infra", 7, "<!-- offboard:status v1 -->")).contains(502L);
    }
}
