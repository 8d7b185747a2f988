package io.offboard.bot.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Posts a webhook delivery the way GitHub does (event, delivery id, HMAC signature headers). Used by
 * {@code offboard replay}, the demo and the benchmarks. The JDK's HTTP client is enough for one POST and
 * keeps the CLI from starting a Micronaut context just to send a request.
 */
public final class WebhookSender {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String secret;

    public WebhookSender(URI endpoint, String secret) {
        this.endpoint = endpoint;
        this.secret = secret;
    }

    /** Sends one delivery and returns the HTTP status code. */
    public int send(String event, String deliveryId, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("User-Agent", "GitHub-Hookshot/offboard-replay")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", deliveryId)
                .header("X-Hub-Signature-256", SignatureVerifier.sign(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public int send(String event, String deliveryId, String json) throws IOException, InterruptedException {
        return send(event, deliveryId, json.getBytes(StandardCharsets.UTF_8));
    }
}
