package io.offboard.local.github;

import java.time.Instant;

/**
 * One attempt of the stand-in's GitHub to deliver an event to the App's webhook URL, as
 * {@code GET /app/hook/deliveries} lists it. Attempts of one event (the original and its redeliveries) share the
 * {@code guid} sent as {@code X-GitHub-Delivery}; each attempt has its own {@code id}.
 *
 * @param statusCode what the webhook URL answered; 0 when it could not be reached
 * @param status     GitHub's words for it: {@code OK}, {@code Invalid HTTP Response: 502}, ...
 */
public record HookDelivery(long id, String guid, Instant deliveredAt, boolean redelivery, long durationMillis,
                           int statusCode, String status, String event, String action, long installationId,
                           Long repositoryId) {

    public boolean succeeded() {
        return statusCode >= 200 && statusCode < 300;
    }
}
