package io.offboard.bot.command;

import io.offboard.bot.journey.JourneyChanges;
import io.offboard.exporter.platform.TenantAccess;
import io.offboard.lifecycle.access.Audience;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.eviction.EvictionState;
import jakarta.inject.Singleton;

/** {@code /cancel}: ends the eviction, only before cutover (after it the clock is hard). */
@SlashCommand(name = "cancel", usage = "/cancel",
        help = "end this eviction before its cutover; refused after cutover",
        audience = Audience.OPERATORS)
@Singleton
public class CancelCommand extends JourneyCommand {

    private final JourneyChanges changes;
    private final TenantAccess access;

    public CancelCommand(JourneyChanges changes, EvictionJourney journey, JourneyReplies replies, TenantAccess access) {
        super(changes, journey, replies);
        this.changes = changes;
        this.access = access;
    }

    /**
     * Decided under the record's lease, so no sweep can be half-way through a cutover (tenant frozen, record
     * not yet written) when the eviction is canceled; a tenant the platform already holds export-only is not
     * canceled either way.
     */
    @Override
    public Outcome run(Invocation invocation) throws Exception {
        String actor = invocation.actor();
        return answer(invocation, changes.decideExclusively(invocation.eviction().id(), e -> {
            boolean frozen = e.state() == EvictionState.NOTICE
                    && access.mode(e.tenant()).filter(TenantAccess.EXPORT_ONLY::equals).isPresent();
            return frozen
                    ? new EvictionJourney.Decision.Refused("the tenant is already export-only: its cutover is under way "
                            + "and the next sweep records it; after cutover the 30-day clock is hard")
                    : journey.cancel(e, actor);
        }).decision());
    }
}
