package io.offboard.bot.command;

import io.offboard.bot.status.StatusCommentPublisher;
import io.offboard.lifecycle.access.Audience;
import jakarta.inject.Singleton;

/** {@code /status}: brings the status comment up to date with the stored record. */
@Singleton
public class StatusCommand implements Command {

    private final StatusCommentPublisher publisher;

    public StatusCommand(StatusCommentPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String usage() {
        return "/status";
    }

    @Override
    public String help() {
        return "refresh the status comment (dates, phase, what happens next)";
    }

    @Override
    public Audience audience() {
        return Audience.OWNERS_AND_OPERATORS;
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        publisher.publish(invocation.eviction());
        return Outcome.DONE;
    }
}
