package io.offboard.local.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The App's webhook as GitHub keeps it: where events are delivered and the secret they are signed with, and the log
 * of every attempt (what {@code GET /app/hook/deliveries} lists). A redelivery sends the original payload again with
 * the same GUID and a signature computed afresh with the configured secret (the stand-in signs on its own, see
 * {@link Webhook#signature256}, never with the bot's verifier), and is logged as a new attempt.
 *
 * <p>Sending happens outside the lock, so the App may call the stand-in's API while it handles a delivery.
 */
final class AppWebhook {

    /** GitHub gives a webhook URL 10 seconds to answer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private record Attempt(HookDelivery delivery, Webhook webhook) {
    }

    private final Supplier<Instant> now;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<Attempt> attempts = new ArrayList<>();
    private URI url;
    private String secret;
    private long nextId = 81_000_001;

    AppWebhook(Supplier<Instant> now) {
        this.now = now;
    }

    synchronized void configure(URI webhookUrl, String webhookSecret) {
        this.url = webhookUrl;
        this.secret = webhookSecret;
    }

    /** Delivers {@code webhook} now and logs the attempt with the answer. */
    HookDelivery deliver(Webhook webhook) {
        return send(webhook, false);
    }

    /** Delivers attempt {@code id}'s event again (same GUID, same body) and logs the new attempt. */
    HookDelivery redeliver(long id) {
        Webhook webhook;
        synchronized (this) {
            webhook = attempts.stream().filter(a -> a.delivery().id() == id).findFirst()
                    .orElseThrow(() -> ApiException.notFound("no webhook delivery " + id + " of this App"))
                    .webhook();
        }
        return send(webhook, true);
    }

    /** Logs an attempt that failed without making a request (GitHub could not reach the App, or it answered badly). */
    HookDelivery recordFailure(Webhook webhook, int statusCode, Instant at) {
        if (statusCode >= 200 && statusCode < 300) {
            throw new IllegalArgumentException(statusCode + " is a success, not a failed delivery");
        }
        return log(webhook, at, false, 0, statusCode, status(statusCode, null));
    }

    /** Every attempt, newest first (GitHub's order). */
    synchronized List<HookDelivery> deliveries() {
        return attempts.stream().map(Attempt::delivery)
                .sorted(Comparator.comparing(HookDelivery::deliveredAt).thenComparingLong(HookDelivery::id).reversed())
                .toList();
    }

    private HookDelivery send(Webhook webhook, boolean redelivery) {
        URI target;
        String key;
        synchronized (this) {
            target = url;
            key = secret;
        }
        if (target == null) {
            throw new ApiException(422, "Validation Failed", "the App has no webhook URL: call configureAppWebhook");
        }
        Instant at = now.get();
        long started = System.nanoTime();
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(webhook.json(), StandardCharsets.UTF_8));
        webhook.headers(key).forEach(request::header);
        int code;
        String failure = null;
        try {
            code = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpTimeoutException e) {
            code = 0;
            failure = "timed out";
        } catch (IOException e) {
            code = 0;
            failure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = 0;
            failure = "interrupted";
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        return log(webhook, at, redelivery, millis, code, status(code, failure));
    }

    private static String status(int code, String failure) {
        if (code >= 200 && code < 300) {
            return "OK";
        }
        if (code == 0) {
            return "We couldn't deliver this payload: " + (failure == null ? "failed to connect to host" : failure);
        }
        return "Invalid HTTP Response: " + code;
    }

    private synchronized HookDelivery log(Webhook webhook, Instant at, boolean redelivery, long millis, int code,
                                          String status) {
        JsonNode body = parse(webhook.json());
        JsonNode repository = body.path("repository").path("id");
        HookDelivery delivery = new HookDelivery(nextId++, webhook.deliveryId(), at, redelivery, millis, code, status,
                webhook.event(), body.path("action").isTextual() ? body.path("action").asText() : null,
                body.path("installation").path("id").asLong(), repository.isNumber() ? repository.asLong() : null);
        attempts.add(new Attempt(delivery, webhook));
        return delivery;
    }

    private static JsonNode parse(String json) {
        try {
            return GitHubJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("a webhook body is JSON: " + e.getMessage(), e);
        }
    }
}
