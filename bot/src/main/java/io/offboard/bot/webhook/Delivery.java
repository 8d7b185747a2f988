package io.offboard.bot.webhook;

/** One webhook delivery as received: GitHub's delivery id, the event name and the raw, verified body. */
public record Delivery(String id, String event, byte[] body) {
}
