package io.offboard.bot.webhook;

import io.offboard.bot.command.CommandHandler;
import io.offboard.bot.intake.IntakeHandler;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The one table from GitHub (event, action) to the handler that deals with it; anything else is ignored. */
@Singleton
public class EventRouter {

    private final Map<String, EventHandler> routes;
    private final Set<String> events;

    public EventRouter(IntakeHandler intake, CommandHandler commands) {
        this.routes = Map.of(
                "issues.opened", intake,
                "issues.labeled", intake,
                "issues.edited", intake,
                "issues.reopened", intake,
                "issue_comment.created", commands,
                "issue_comment.edited", commands);
        this.events = Set.of("issues", "issue_comment");
    }

    /** Cheap check on the event header alone, before the body is parsed. */
    public boolean handlesEvent(String event) {
        return event != null && events.contains(event);
    }

    public Optional<EventHandler> route(String event, String action) {
        return Optional.ofNullable(routes.get(event + "." + action));
    }
}
