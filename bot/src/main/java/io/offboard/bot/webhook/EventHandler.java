package io.offboard.bot.webhook;

/** Reacts to one kind of GitHub event; registered in {@link EventRouter}. */
public interface EventHandler {

    /**
     * A cheap look at the payload, before anything is stored: false means the event cannot concern this
     * handler (a comment without commands, an issue without the eviction label) and is dropped.
     */
    default boolean concerns(WebhookEvent event) {
        return true;
    }

    void handle(WebhookEvent event, Attempt attempt) throws Exception;

    /** The deliveries this handler takes, as {@code event.action}, e.g. {@code issue_comment.created}. */
    java.util.Set<String> routes();
}
