package io.offboard.local.github;

import java.time.Instant;

/** A {@code POST /repos/o/r/dispatches} the stand-in received: the event type and the client payload as JSON. */
public record RepositoryDispatch(String eventType, String clientPayload, Instant at) {}
