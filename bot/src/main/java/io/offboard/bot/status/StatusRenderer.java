package io.offboard.bot.status;

import io.offboard.bot.command.CommandRegistry;
import io.offboard.bot.config.OffboardSettings;
import io.offboard.bot.template.Templates;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.eviction.RetentionWindow;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders the one status comment of an eviction from its stored record. */
@Singleton
public class StatusRenderer {

    /** Hidden, versioned marker that identifies the status comment among the issue's comments. */
    public static final String MARKER = "<!-- offboard:status v1 -->";
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Templates templates;
    // looked up lazily: the registry holds /status, which needs this renderer
    private final Provider<CommandRegistry> commands;
    private final OffboardSettings settings;

    public StatusRenderer(Templates templates, Provider<CommandRegistry> commands, OffboardSettings settings) {
        this.templates = templates;
        this.commands = commands;
        this.settings = settings;
    }

    public String render(Eviction eviction) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("marker", MARKER);
        scope.put("filedBy", eviction.filedBy());
        scope.put("updatedAt", MINUTE.format(eviction.updatedAt()));
        if (eviction.state() == EvictionState.INVALID) {
            scope.put("problems", eviction.problems());
            scope.put("problemCount", eviction.problems().size() == 1 ? "one problem" : eviction.problems().size() + " problems");
            return templates.render("intake-problems", scope);
        }
        Instant deletion = RetentionWindow.plannedDeletion(eviction.evictionDate());
        scope.put("tenant", eviction.tenant());
        scope.put("owners", eviction.owners().stream().map(o -> "@" + o).collect(Collectors.joining(", ")));
        scope.put("evictionDate", eviction.evictionDate().toString());
        scope.put("cutoverAt", MINUTE.format(RetentionWindow.scheduledCutover(eviction.evictionDate())));
        scope.put("deletionAt", MINUTE.format(deletion));
        scope.put("deletionDate", deletion.atOffset(ZoneOffset.UTC).toLocalDate().toString());
        scope.put("filedDate", eviction.createdAt().atOffset(ZoneOffset.UTC).toLocalDate().toString());
        scope.put("reason", Templates.userText(eviction.reason()));
        scope.put("docsUrl", settings.docsUrl());
        scope.put("phase", phase(eviction.state()));
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
