package io.offboard.bot.command;

import io.offboard.bot.status.StatusCommentPublisher;
import io.offboard.lifecycle.access.Audience;
import jakarta.inject.Singleton;

/** {@code /status}: brings the status comment up to date with the stored record. */
@SlashCommand(name = "status", usage = "/status", help = "refresh the status comment (dates, phase, what happens next)",
        audience = Audience.OWNERS_AND_OPERATORS)
@Singleton
public class StatusCommand implements Command {

    private final StatusCommentPublisher publisher;

    public StatusCommand(StatusCommentPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        publisher.publish(invocation.eviction());
        return Outcome.DONE;
    }
}
