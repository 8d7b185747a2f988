package io.offboard.bot.status;

import io.offboard.bot.config.OffboardSettings;
import io.offboard.bot.template.Templates;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.eviction.RetentionWindow;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.eviction.Timeline;
import io.offboard.lifecycle.text.UserText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders the one status comment of an eviction from its stored record. */
@Singleton
public class StatusRenderer {

    /** Hidden, versioned marker that identifies the status comment among the issue's comments. */
    public static final String MARKER = "<!-- offboard:status v1 -->";

    private final Templates templates;
    // looked up lazily: the registry holds /status, which needs this renderer
    private final Provider<CommandListing> commands;
    private final OffboardSettings settings;

    private final EvictionJourney journey;
    private final Clock clock;

    public StatusRenderer(Templates templates, Provider<CommandListing> commands, OffboardSettings settings,
                          EvictionJourney journey, Clock clock) {
        this.templates = templates;
        this.commands = commands;
        this.settings = settings;
        this.journey = journey;
        this.clock = clock;
    }

    public String render(Eviction eviction) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("marker", MARKER);
        scope.put("filedBy", eviction.filedBy());
        scope.put("updatedAt", Templates.minute(eviction.updatedAt()));
        if (eviction.state() == EvictionState.INVALID) {
            scope.put("problems", eviction.problems());
            scope.put("problemCount", eviction.problems().size() == 1 ? "one problem" : eviction.problems().size() + " problems");
            return templates.render("intake-problems", scope);
        }
        Timeline timeline = eviction.timeline();
        scope.put("tenant", eviction.tenant() == null ? "?" : eviction.tenant());
        scope.put("owners", eviction.owners().stream().map(o -> "@" + o).collect(Collectors.joining(", ")));
        scope.put("reason", UserText.prose(eviction.reason()));
        scope.put("phase", phase(eviction.state()));
        scope.put("formNotes", eviction.formNotes());
        scope.put("hasFormNotes", !eviction.formNotes().isEmpty());
        scope.put("endedAt", timeline.endedAt().map(Templates::minute).orElse(null));
        scope.put("canceled", eviction.state() == EvictionState.CANCELED);
        // what happens next, the timeline and the commands only while the eviction is under way
        scope.put("open", eviction.state().holdsTenant());
        if (eviction.evictionDate() == null) {
            // canceled while its form still had problems: there never was a date to show
            return templates.render("status", scope);
        }
        // while paused, the deletion time shown is the earliest possible: as if the pause ended now
        Instant deletion = journey.deletionDue(eviction, clock.instant()).orElseThrow();
        scope.put("evictionDate", eviction.evictionDate().toString());
        scope.put("cutoverAt", Templates.minute(timeline.cutoverAt()
                .orElse(RetentionWindow.scheduledCutover(eviction.evictionDate()))));
        scope.put("frozen", timeline.cutoverAt().isPresent());
        scope.put("cutoverDate", eviction.evictionDate().toString());
        scope.put("paused", timeline.pause().map(p -> Map.of(
                "since", Templates.minute(p.since()),
                "lasted", Templates.daysAndHours(Duration.between(p.since(), clock.instant())),
                "reason", UserText.prose(p.reason()),
                "resumesWhen", p.declared() && p.fixedAt().isEmpty()
                        ? "an operator says `/export-fixed` and a clean export completes"
                        : "a clean export completes")).orElse(null));
        Duration paused = timeline.pausedTotal();
        scope.put("pausedTotal", paused.isZero() ? null : Templates.daysAndHours(paused));
        scope.put("hold", timeline.legalHold().map(h -> Map.of("by", h.by(), "reason", UserText.prose(h.reason()),
                "since", Templates.minute(h.since()))).orElse(null));
        scope.put("done", timeline.ownerDone().map(d -> Map.of("by", d.by(), "at", Templates.minute(d.at()))).orElse(null));
        scope.put("deletionAt", Templates.minute(deletion));
        scope.put("deletionDate", deletion.atOffset(ZoneOffset.UTC).toLocalDate().toString());
        scope.put("filedDate", eviction.createdAt().atOffset(ZoneOffset.UTC).toLocalDate().toString());
        scope.put("docsUrl", settings.docsUrl());
        scope.put("commands", commands.get().rows());
        return templates.render("status", scope);
    }

    private static String phase(EvictionState state) {
        return switch (state) {
            case NOTICE -> "Phase A: notice period, tenant live";
            case CUTOVER -> "Phase C: frozen, export-only retention window";
            case PURGING -> "day 30: deleting";
            case PURGED -> "deleted";
            case CANCELED -> "canceled";
            case INVALID -> "not accepted";
        };
    }
}
