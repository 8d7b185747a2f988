package io.offboard.bot.github;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.HttpException;

/**
 * One REST call github-api 1.330 has no method for (a comment by id, a team membership's state, the App's webhook
 * deliveries), with the given credentials; GitHub's refusals are reported as the library reports them
 * ({@link HttpException} with the answer's headers, {@link GHFileNotFoundException} for 404), so the one retry
 * policy of {@link GitHubGateway} decides about them the same way.
 */
final class RestCall {

    private RestCall() {
    }

    static HttpResponse<String> send(HttpClient http, String method, String url, String authorization,
                                     byte[] jsonBody) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("Content-Type", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(jsonBody))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling GitHub: " + method + " " + url, e);
        }
        int status = response.statusCode();
        if (status == 404) {
            throw new GHFileNotFoundException(method + " " + url + ": 404 " + response.body());
        }
        if (status >= 300) {
            throw new Answered(status, response.body(), url, response.headers().map());
        }
        return response;
    }

    /** GitHub's answer to a raw call, with its headers (the library's own exception keeps them package-private). */
    static final class Answered extends HttpException {
        private final transient Map<String, List<String>> headers;

        Answered(int status, String body, String url, Map<String, List<String>> headers) {
            super(status, body, url, null);
            this.headers = headers;
        }

        @Override
        public Map<String, List<String>> getResponseHeaderFields() {
            return headers;
        }
    }
}
