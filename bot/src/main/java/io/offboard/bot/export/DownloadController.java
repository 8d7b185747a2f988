package io.offboard.bot.export;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.offboard.bot.access.Authorizer;
import io.offboard.bot.access.OwnerIds;
import io.offboard.bot.config.GitHubSettings;
import io.offboard.bot.signin.DownloadPaths;
import io.offboard.bot.signin.GitHubSignIn;
import io.offboard.bot.signin.Pages;
import io.offboard.bot.template.Templates;
import io.offboard.exporter.storage.ArchiveStorage;
import io.offboard.lifecycle.access.Actor;
import io.offboard.lifecycle.access.Role;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.lifecycle.store.ExportStore;
import io.offboard.lifecycle.store.WriteBudgets;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The link posted in the export comment, {@code GET /exports/{id}/download}, and the way back to it through GitHub's
 * sign-in, {@code GET /exports/{id}/sign-in}.
 *
 * <p>Without a session the download page shows the archive's name, size, SHA-256 and issue, and "Sign in with
 * GitHub" (the sign-in route, which needs a session, so Micronaut sends the person through GitHub and back to it,
 * and it sends them here). With a session the signed-in person's numeric GitHub id decides: an owner of the
 * eviction or an operator gets an audit entry and a 302 to a presigned URL valid {@link
 * ExportRunner#DOWNLOAD_LINK_VALIDITY}; anyone else gets a 403 page that says who may download, an audit entry,
 * and no URL. A replaced or expired archive answers 410 ("run /export again"); once the eviction's purge has begun,
 * 410 ("the data has been deleted"), whatever the archive's record says.
 */
@Controller("/exports")
public class DownloadController {

    private static final Logger LOG = LoggerFactory.getLogger(DownloadController.class);
    /** A refusal is audited once per person, archive and hour: reloading the 403 page does not grow the log. */
    private static final Duration REFUSALS_AUDITED_EVERY = Duration.ofHours(1);

    private final ExportStore exports;
    private final EvictionStore evictions;
    private final ArchiveStorage storage;
    private final Clock clock;
    private final Authorizer authorizer;
    private final OwnerIds ownerIds;
    private final AuditLog audit;
    private final GitHubSettings github;
    private final Pages pages;
    private final WriteBudgets budgets;

    public DownloadController(ExportStore exports, EvictionStore evictions, ArchiveStorage storage, Clock clock,
                              Authorizer authorizer, OwnerIds ownerIds, AuditLog audit, GitHubSettings github,
                              Pages pages, WriteBudgets budgets) {
        this.exports = exports;
        this.evictions = evictions;
        this.storage = storage;
        this.clock = clock;
        this.authorizer = authorizer;
        this.ownerIds = ownerIds;
        this.audit = audit;
        this.github = github;
        this.pages = pages;
        this.budgets = budgets;
    }

    @Get(uri = "/{id}/download", produces = MediaType.TEXT_HTML)
    @Secured(SecurityRule.IS_ANONYMOUS)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> download(@PathVariable String id, @Nullable Authentication authentication)
            throws IOException {
        Optional<ExportJob> found = DownloadPaths.validId(id) ? exports.find(id) : Optional.empty();
        if (found.isEmpty()) {
            return pages.page(HttpStatus.NOT_FOUND, "not-found", "No such export", Map.of());
        }
        ExportJob job = found.get();
        Optional<Eviction> eviction = job.eviction().flatMap(evictions::find);
        Map<String, Object> scope = facts(job);
        EvictionState state = eviction.map(Eviction::state).orElse(null);
        if (state == EvictionState.PURGING || state == EvictionState.PURGED) {
            scope.put("purged", true);
            return pages.page(HttpStatus.GONE, "gone", "The tenant's data has been deleted", scope);
        }
        if (!job.downloadable(clock.instant())) {
            scope.put("purged", false);
            return pages.page(HttpStatus.GONE, "gone", "This archive is no longer available", scope);
        }
        Actor actor = GitHubSignIn.actor(authentication);
        if (actor == null) {
            scope.put("signInPath", DownloadPaths.signIn(id));
            return pages.page(HttpStatus.OK, "download", "Download " + job.archiveName().orElse(id), scope);
        }
        Eviction current = eviction.isPresent() ? ownerIds.ensure(eviction.get()) : null;
        Set<Role> roles = authorizer.roles(actor, current);
        if (roles.isEmpty()) {
            if (budgets.spend("download-refused:" + job.exportId() + ":" + actor.id(), 1, REFUSALS_AUDITED_EVERY)) {
                record(job, actor, "export.download-refused", "");
            }
            scope.put("login", actor.login());
            scope.put("owners", current == null || current.owners().isEmpty() ? "none named"
                    : current.owners().stream().map(o -> "@" + o).collect(Collectors.joining(", ")));
            return pages.page(HttpStatus.FORBIDDEN, "refused", "You cannot download this archive", scope);
        }
        // audited before the URL exists: a download nobody can account for never happens
        record(job, actor, "export.downloaded", " as " + roles.stream().map(r -> r.name().toLowerCase())
                .sorted().collect(Collectors.joining("+")));
        String url = storage.presignedDownload(job.archiveKey().orElseThrow(), job.archiveName().orElseThrow(),
                ExportRunner.DOWNLOAD_LINK_VALIDITY);
        return HttpResponse.status(HttpStatus.FOUND).headers(h -> h.location(URI.create(url)));
    }

    /**
     * Needs a session: an anonymous caller is sent through GitHub's sign-in and returned here (Micronaut's
     * prior-to-login, see {@code SignInRedirects} and {@code DownloadPriorToLogin}); then on to the download.
     */
    @Get(uri = "/{id}/sign-in", produces = MediaType.TEXT_HTML)
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public HttpResponse<?> signIn(@PathVariable String id) {
        if (!DownloadPaths.validId(id)) {
            return pages.page(HttpStatus.NOT_FOUND, "not-found", "No such export", Map.of());
        }
        return HttpResponse.seeOther(URI.create(DownloadPaths.download(id)));
    }

    /** Who, when (the entry's time) and which archive; never the presigned URL. */
    private void record(ExportJob job, Actor actor, String action, String more) {
        String detail = job.exportId() + " " + job.archiveName().orElse("") + " sha256 " + job.sha256().orElse("")
                + more;
        if (job.eviction().isPresent()) {
            audit.append(job.eviction().get(), actor.toString(), action, detail);
        } else {
            LOG.info("{} {} {}", action, actor, detail);
        }
    }

    private Map<String, Object> facts(ExportJob job) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("tenant", job.tenant());
        scope.put("archiveName", job.archiveName().orElse(""));
        scope.put("bytes", job.bytes().map(String::valueOf).orElse(""));
        scope.put("size", job.bytes().map(Sizes::bytes).orElse(""));
        scope.put("sha256", job.sha256().orElse(""));
        scope.put("expiresAt", job.expiresAt().map(Templates::minute).orElse(""));
        job.eviction().ifPresent(e -> {
            scope.put("issue", e.toString());
            scope.put("issueUrl", github.issueUrl(e));
        });
        return scope;
    }
}
