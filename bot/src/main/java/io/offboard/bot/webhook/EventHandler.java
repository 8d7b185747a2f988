package io.offboard.bot.webhook;

/** Reacts to one kind of GitHub event; registered in {@link EventRouter}. */
public interface EventHandler {
    void handle(WebhookEvent event) throws Exception;
}
