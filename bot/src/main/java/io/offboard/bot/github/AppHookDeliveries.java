package io.offboard.bot.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offboard.bot.config.GitHubSettings;
import io.offboard.exporter.purge.RetryPolicy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kohsuke.github.authorization.AuthorizationProvider;

/**
 * The GitHub App's webhook deliveries, as GitHub logs them ({@code GET /app/hook/deliveries}), and asking GitHub to
 * deliver one again ({@code POST /app/hook/deliveries/{id}/attempts}). Both need the App's JWT: with token auth
 * there is no such API ({@link #available()} is false). github-api 1.330 has no method for them, so these are raw
 * calls, retried by the same policy as every other GitHub call ({@link GitHubGateway#withRetry}).
 */
@Singleton
public class AppHookDeliveries {

    /** GitHub's page size limit for this list. */
    static final int PAGE_SIZE = 100;

    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"next\"");

    /**
     * One attempt to deliver an event to the App's webhook URL. Attempts of the same event (the original and its
     * redeliveries) share the {@code guid} (the {@code X-GitHub-Delivery} header); each has its own {@code id}.
     *
     * @param statusCode what the webhook URL answered (0 when GitHub could not reach it)
     */
    public record HookDelivery(long id, String guid, Instant deliveredAt, boolean redelivery, int statusCode,
                               String status, String event, String action) {

        public boolean succeeded() {
            return statusCode >= 200 && statusCode < 300;
        }

        /** {@code issues.opened}, or the event alone when it has no action. */
        public String eventAction() {
            return action == null || action.isEmpty() ? event : event + "." + action;
        }
    }

    private final Optional<AuthorizationProvider> jwt;
    private final String apiUrl;
    private final RetryPolicy retry;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public AppHookDeliveries(AppClient app, GitHubSettings settings) {
        this(app, settings.apiUrl(), settings.attempts());
    }

    /** @param attempts tries per call, as {@code offboard.github.attempts} */
    public AppHookDeliveries(AppClient app, String apiUrl, int attempts) {
        this(app, apiUrl, GitHubGateway.retryPolicy(attempts));
    }

    /** With another retry policy (tests record the pauses instead of sleeping). */
    public AppHookDeliveries(AppClient app, String apiUrl, RetryPolicy retry) {
        this.jwt = app.jwt();
        this.apiUrl = apiUrl.replaceAll("/+$", "");
        this.retry = retry;
    }

    /** Whether the bot runs as a GitHub App (only then does GitHub offer this API). */
    public boolean available() {
        return jwt.isPresent();
    }

    /**
     * Every attempt delivered at or after {@code since}, newest first as GitHub lists them; paging stops at the first
     * older one, so the cost follows the window, not GitHub's whole log.
     */
    public List<HookDelivery> since(Instant since) throws IOException {
        List<HookDelivery> found = new ArrayList<>();
        String query = "per_page=" + PAGE_SIZE;
        while (query != null) {
            String path = "/app/hook/deliveries?" + query;
            Page page = GitHubGateway.withRetry(retry, "list the App's webhook deliveries", () -> page(path));
            for (HookDelivery delivery : page.deliveries()) {
                if (delivery.deliveredAt().isBefore(since)) {
                    return found;
                }
                found.add(delivery);
            }
            query = page.nextQuery();
        }
        return found;
    }

    /** Asks GitHub to deliver attempt {@code deliveryId}'s event again (same GUID, a new attempt); GitHub answers 202. */
    public void redeliver(long deliveryId) throws IOException {
        String path = "/app/hook/deliveries/" + deliveryId + "/attempts";
        GitHubGateway.withRetry(retry, "redeliver webhook delivery " + deliveryId, () -> {
            send("POST", path);
            return null;
        });
    }

    /** @param nextQuery the query of the {@code rel="next"} link, or null on the last page */
    private record Page(List<HookDelivery> deliveries, String nextQuery) {
    }

    private Page page(String path) throws IOException {
        HttpResponse<String> response = send("GET", path);
        List<HookDelivery> deliveries = new ArrayList<>();
        for (JsonNode item : json.readTree(response.body())) {
            deliveries.add(new HookDelivery(item.path("id").asLong(), item.path("guid").asText(),
                    OffsetDateTime.parse(item.path("delivered_at").asText()).toInstant(),
                    item.path("redelivery").asBoolean(false), item.path("status_code").asInt(0),
                    item.path("status").asText(""), item.path("event").asText(""),
                    item.path("action").isTextual() ? item.path("action").asText() : null));
        }
        return new Page(deliveries, response.headers().firstValue("Link").map(AppHookDeliveries::nextQuery)
                .orElse(null));
    }

    /**
     * The query (per_page, cursor) of the {@code next} link. Only the query is taken: the JWT is sent to the
     * configured API URL and nowhere else, whatever host a link names.
     */
    static String nextQuery(String link) {
        Matcher next = NEXT.matcher(link);
        if (!next.find()) {
            return null;
        }
        String query = URI.create(next.group(1)).getRawQuery();
        return query == null || query.isEmpty() ? null : query;
    }

    private HttpResponse<String> send(String method, String path) throws IOException {
        String authorization = jwt.orElseThrow(() -> new IllegalStateException(
                "the App's webhook deliveries need App auth (OFFBOARD_GITHUB_APP_ID and OFFBOARD_GITHUB_PRIVATE_KEY)"))
                .getEncodedAuthorization();
        return RestCall.send(http, method, apiUrl + path, authorization, null);
    }
}
