package io.offboard.bot.webhook;

import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one table from GitHub (event, action) to the handler that deals with it, built from what each
 * {@link EventHandler} says it handles; anything else is ignored.
 */
@Singleton
public class EventRouter {

    private final Map<String, EventHandler> routes = new HashMap<>();
    private final Set<String> events;

    public EventRouter(List<EventHandler> handlers) {
        for (EventHandler handler : handlers) {
            for (String route : handler.routes()) {
                EventHandler clash = routes.put(route, handler);
                if (clash != null) {
                    throw new IllegalStateException(route + " is handled by both " + clash.getClass().getSimpleName()
                            + " and " + handler.getClass().getSimpleName());
                }
            }
        }
        this.events = routes.keySet().stream().map(r -> r.substring(0, r.indexOf('.'))).collect(Collectors.toSet());
    }

    /** Cheap check on the event header alone, before the body is parsed. */
    public boolean handlesEvent(String event) {
        return event != null && events.contains(event);
    }

    public Optional<EventHandler> route(String event, String action) {
        return Optional.ofNullable(routes.get(event + "." + action));
    }
}
