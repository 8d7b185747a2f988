package io.offboard.bot.intake;

import io.offboard.bot.access.Authorizer;
import io.offboard.bot.access.WriteBudget;
import io.offboard.bot.config.OffboardSettings;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.github.Reaction;
import io.offboard.bot.status.StatusCommentPublisher;
import io.offboard.bot.webhook.Attempt;
import io.offboard.bot.webhook.EventHandler;
import io.offboard.bot.webhook.WebhookEvent;
import io.offboard.exporter.platform.TenantDirectory;
import io.offboard.lifecycle.access.Actor;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionForm;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.eviction.FormFields;
import io.offboard.lifecycle.eviction.IntakeFacts;
import io.offboard.lifecycle.eviction.IntakeRules;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.DedupeStore;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.lifecycle.store.TenantClaimedException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eviction issues, as operators file and edit them. Only an operator's action (the webhook's sender) is taken:
 * opening the issue from the form, or labelling someone else's issue (which adopts it: the operator is its filer),
 * and editing the form. Anyone else's issue gets no comment at all (no problems list that would tell them which
 * tenants exist), at most one 😕; anyone else's edit changes nothing. An operator's edit changes only the fields
 * that edit changed ({@code changes.body}), so what someone else wrote in between is never taken; once accepted,
 * the tenant and eviction date are fixed ({@link IntakeRules#amend}).
 */
@Singleton
public class IntakeHandler implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeHandler.class);
    /** Remember that a stranger's eviction issue got its 😕 for longer than anyone would keep at it. */
    private static final Duration REMEMBER_STRANGER_ISSUE = Duration.ofDays(400);

    private final OffboardSettings settings;
    private final EvictionStore store;
    private final IntakeRules rules;
    private final TenantDirectory tenants;
    private final Authorizer authorizer;
    private final GitHubGateway github;
    private final StatusCommentPublisher status;
    private final AuditLog audit;
    private final DedupeStore dedupe;
    private final WriteBudget budget;
    private final Clock clock;

    public IntakeHandler(OffboardSettings settings, EvictionStore store, IntakeRules rules, TenantDirectory tenants,
                         Authorizer authorizer, GitHubGateway github, StatusCommentPublisher status, AuditLog audit,
                         DedupeStore dedupe, WriteBudget budget, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.rules = rules;
        this.tenants = tenants;
        this.authorizer = authorizer;
        this.github = github;
        this.status = status;
        this.audit = audit;
        this.dedupe = dedupe;
        this.budget = budget;
        this.clock = clock;
    }

    @Override
    public java.util.Set<String> routes() {
        return java.util.Set.of("issues.opened", "issues.labeled", "issues.edited", "issues.reopened");
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
    public void handle(WebhookEvent event, Attempt attempt) throws IOException {
        boolean retry = attempt.retry();
        Actor sender = event.actor();
        EvictionId id = new EvictionId(event.repository().fullName(), event.issue().number());
        Optional<Eviction> existing = store.find(id);
        if (!authorizer.isOperator(sender)) {
            ignoreNonOperator(event, sender, id, existing);
            return;
        }
        Optional<Eviction> changed = switch (event.action()) {
            // a record is created only by an operator opening the issue, or labelling it (adopting it); reopening
            // a stranger's closed issue adopts nothing
            case "opened", "labeled" -> existing.isEmpty()
                    ? Optional.of(file(id, IssueForm.parse(event.issue().body()), sender))
                    : revalidate(existing.get());
            case "reopened" -> existing.isEmpty() ? Optional.empty() : revalidate(existing.get());
            case "edited" -> existing.isEmpty() ? Optional.empty() : edit(existing.get(), event, sender);
            default -> Optional.empty();
        };
        // on a retry after a crash the record may be stored and its status comment not yet posted (publishing is
        // idempotent: the comment is found again by its marker, an unchanged text is not edited)
        Optional<Eviction> toPublish = changed.isPresent() || !retry ? changed : store.find(id);
        if (toPublish.isPresent()) {
            status.publish(toPublish.get());
        }
    }

    /** A new record: the operator opened the issue from the form, or adopted someone else's by labelling it. */
    private Eviction file(EvictionId id, FormFields answers, Actor operator) throws IOException {
        Instant now = clock.instant();
        EvictionForm form = answers.parse();
        IntakeFacts facts = facts(id, form);
        List<String> problems = rules.problems(form, facts);
        Eviction stored;
        try {
            stored = store.insert(problems.isEmpty()
                    ? Eviction.accepted(id, answers, facts.ownerIds(), operator.login(), now)
                    : Eviction.invalid(id, answers, problems, operator.login(), now));
        } catch (TenantClaimedException raced) {
            // another issue claimed the tenant between our check and our write
            List<String> withClaim = new ArrayList<>(problems);
            withClaim.add(claimedMeanwhile(form));
            stored = store.insert(Eviction.invalid(id, answers, withClaim, operator.login(), now));
        }
        auditIntake(stored, operator);
        return stored;
    }

    /** An operator's edit: only the fields this edit changed are taken, on top of what the record holds. */
    private Optional<Eviction> edit(Eviction record, WebhookEvent event, Actor operator) throws IOException {
        Optional<String> before = event.bodyBefore();
        if (before.isEmpty()) {
            return Optional.empty(); // the title or something else changed, not the form
        }
        FormFields after = IssueForm.parse(event.issue().body());
        Set<FormFields.Field> edited = after.changedFrom(IssueForm.parse(before.get()));
        if (edited.isEmpty()) {
            return Optional.empty();
        }
        // an edit GitHub delivers late (or a replay) must not undo a newer one: only edits newer than the last
        // applied one are taken, by the issue's own update time
        Optional<java.time.Instant> editedAt = event.issue().lastUpdate();
        if (editedAt.isPresent() && !dedupe.advance("form-edit:" + record.id(), editedAt.get().toEpochMilli())) {
            LOG.info("an edit of {} older than one already applied arrived late: ignored", record.id());
            return Optional.empty();
        }
        if (record.state() == EvictionState.INVALID) {
            return Optional.of(validate(record, record.answers().taking(after, edited), operator));
        }
        if (!record.state().holdsTenant()) {
            LOG.info("{} is {}: the form no longer changes the eviction", record.id(), record.state());
            return Optional.empty();
        }
        IntakeFacts facts = facts(record.id(), record.answers().taking(after, edited).parse());
        // applied to the freshest record: the fields of this edit on top of what is stored now
        Eviction amended = store.modify(record, current -> Optional.of(
                rules.amend(current, current.answers().taking(after, edited), facts)));
        audit.append(record.id(), operator.toString(), "intake.amended", "changed " + edited + "; owners "
                + amended.owners() + (amended.formNotes().isEmpty() ? "" : "; not taken: " + amended.formNotes()));
        return Optional.of(amended);
    }

    /** A record not yet accepted, labelled or reopened by an operator: its stored answers are checked again. */
    private Optional<Eviction> revalidate(Eviction record) throws IOException {
        return record.state() == EvictionState.INVALID
                ? Optional.of(validate(record, record.answers(), null)) : Optional.empty();
    }

    private Eviction validate(Eviction record, FormFields answers, Actor operator) throws IOException {
        EvictionForm form = answers.parse();
        IntakeFacts facts = facts(record.id(), form);
        List<String> problems = rules.problems(form, facts);
        Instant now = clock.instant();
        Eviction stored;
        try {
            stored = store.update(record, record.revalidated(answers, problems, facts.ownerIds(), now));
        } catch (TenantClaimedException raced) {
            List<String> withClaim = new ArrayList<>(problems);
            withClaim.add(claimedMeanwhile(form));
            stored = store.update(record, record.revalidated(answers, withClaim, facts.ownerIds(), now));
        }
        auditIntake(stored, operator);
        return stored;
    }

    private static String claimedMeanwhile(EvictionForm form) {
        return "tenant `" + form.tenant().orElse("?") + "` was just claimed by another open eviction";
    }

    private void auditIntake(Eviction stored, Actor operator) {
        boolean accepted = stored.problems().isEmpty();
        audit.append(stored.id(), operator == null ? stored.filedBy() : operator.toString(),
                accepted ? "intake.accepted" : "intake.invalid",
                accepted ? "tenant " + stored.tenant() + ", eviction date " + stored.evictionDate() + ", owners "
                        + stored.ownerIds() : String.join("; ", stored.problems()));
    }

    /**
     * Someone who is not an operator opened, labelled or edited an eviction issue: nothing changes. Their own new
     * issue gets one 😕 (no comment: a problems list would tell them which tenants exist); an attempt on an
     * existing eviction is audited.
     */
    private void ignoreNonOperator(WebhookEvent event, Actor sender, EvictionId id, Optional<Eviction> existing)
            throws IOException {
        LOG.info("{} {} {}, but is not an operator: ignored", sender, event.action(), id);
        if (existing.isPresent()) {
            audit.append(id, sender.toString(), "intake.ignored", event.action() + " by someone who is not an operator");
            return;
        }
        if ("opened".equals(event.action()) && event.issue().user() != null
                && event.issue().user().id() == sender.id()
                && dedupe.claimFirst("stranger-issue:" + id, REMEMBER_STRANGER_ISSUE)
                && budget.allow(id, sender, "reaction")) {
            github.reactToIssue(id.repository(), id.issueNumber(), Reaction.REFUSED);
        }
    }

    private IntakeFacts facts(EvictionId id, EvictionForm form) throws IOException {
        boolean tenantKnown = form.tenant().map(tenants::exists).orElse(false);
        Optional<EvictionId> otherOpen = form.tenant().flatMap(store::tenantHolder).filter(holder -> !holder.equals(id));
        Set<String> unknownOwners = new LinkedHashSet<>();
        Map<String, Long> ownerIds = new HashMap<>();
        for (String owner : form.owners()) {
            Optional<Long> ownerId = github.userId(owner);
            if (ownerId.isPresent()) {
                ownerIds.put(owner.toLowerCase(Locale.ROOT), ownerId.get());
            } else {
                unknownOwners.add(owner);
            }
        }
        return new IntakeFacts(tenantKnown, unknownOwners, ownerIds, otherOpen);
    }
}
