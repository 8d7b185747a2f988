package io.offboard.bot.intake;

import io.offboard.bot.access.Authorizer;
import io.offboard.bot.config.OffboardSettings;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.status.StatusCommentPublisher;
import io.offboard.bot.webhook.EventHandler;
import io.offboard.bot.webhook.WebhookEvent;
import io.offboard.exporter.platform.TenantDirectory;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionForm;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.IntakeFacts;
import io.offboard.lifecycle.eviction.IntakeRules;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.lifecycle.store.TenantClaimedException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator opens, labels or edits an eviction issue: read the form, check every rule, store the
 * record (accepted or with its problems) and bring the one status comment up to date.
 */
@Singleton
public class IntakeHandler implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeHandler.class);

    private final OffboardSettings settings;
    private final EvictionStore store;
    private final IntakeRules rules;
    private final TenantDirectory tenants;
    private final Authorizer authorizer;
    private final GitHubGateway github;
    private final StatusCommentPublisher status;
    private final AuditLog audit;
    private final Clock clock;

    public IntakeHandler(OffboardSettings settings, EvictionStore store, IntakeRules rules, TenantDirectory tenants,
                         Authorizer authorizer, GitHubGateway github, StatusCommentPublisher status, AuditLog audit,
                         Clock clock) {
        this.settings = settings;
        this.store = store;
        this.rules = rules;
        this.tenants = tenants;
        this.authorizer = authorizer;
        this.github = github;
        this.status = status;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public boolean concerns(WebhookEvent event) {
        if (event.issue() == null || !event.issue().hasLabel(settings.evictionLabel())) {
            return false;
        }
        // labelling with some other label says nothing new about an eviction
        return !"labeled".equals(event.action())
                || (event.label() != null && settings.evictionLabel().equalsIgnoreCase(event.label().name()));
    }

    @Override
    public void handle(WebhookEvent event) throws IOException {
        WebhookEvent.Issue issue = event.issue();
        EvictionId id = new EvictionId(event.repository().fullName(), issue.number());
        Optional<Eviction> existing = store.find(id);
        if (existing.isPresent() && !existing.get().state().acceptsFormEdits()) {
            LOG.info("{} is {}: the form no longer changes the eviction", id, existing.get().state());
            return;
        }
        IssueForm fields = IssueForm.parse(issue.body());
        EvictionForm form = EvictionForm.parse(fields.tenant(), fields.owners(), fields.evictionDate(), fields.reason());
        String opener = issue.user().login();
        List<String> problems = rules.problems(form, facts(id, form, opener));
        Instant now = clock.instant();

        Eviction stored;
        try {
            stored = save(id, existing, form, problems, opener, now);
        } catch (TenantClaimedException raced) {
            // another issue claimed the tenant between our check and our write
            List<String> withClaim = new ArrayList<>(problems);
            withClaim.add("tenant `" + form.tenant().orElse("?") + "` was just claimed by another open eviction");
            stored = save(id, store.find(id), form, withClaim, opener, now);
        }
        String action = stored.problems().isEmpty() ? "intake.accepted" : "intake.invalid";
        audit.append(id, event.sender() == null ? opener : event.sender().login(), action,
                stored.problems().isEmpty() ? "tenant " + stored.tenant() + ", eviction date " + stored.evictionDate()
                        : String.join("; ", stored.problems()));
        status.publish(stored);
    }

    private Eviction save(EvictionId id, Optional<Eviction> existing, EvictionForm form, List<String> problems,
                          String opener, Instant now) {
        if (existing.isEmpty()) {
            Eviction fresh = problems.isEmpty()
                    ? Eviction.accepted(id, form, opener, now)
                    : Eviction.invalid(id, form, problems, opener, now);
            return store.insert(fresh);
        }
        return store.update(existing.get(), existing.get().revised(form, problems, now));
    }

    private IntakeFacts facts(EvictionId id, EvictionForm form, String opener) throws IOException {
        boolean tenantKnown = form.tenant().map(tenants::exists).orElse(false);
        Optional<EvictionId> otherOpen = form.tenant().flatMap(store::tenantHolder).filter(holder -> !holder.equals(id));
        Set<String> unknownOwners = new LinkedHashSet<>();
        for (String owner : form.owners()) {
            if (!github.userExists(owner)) {
                unknownOwners.add(owner);
            }
        }
        return new IntakeFacts(tenantKnown, unknownOwners, otherOpen, authorizer.isOperator(opener));
    }
}
