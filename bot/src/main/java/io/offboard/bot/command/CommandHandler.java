package io.offboard.bot.command;

import io.offboard.bot.access.Authorizer;
import io.offboard.bot.access.OwnerIds;
import io.offboard.bot.github.Reaction;
import io.offboard.bot.template.Templates;
import io.offboard.bot.webhook.Attempt;
import io.offboard.bot.webhook.EventHandler;
import io.offboard.bot.webhook.WebhookEvent;
import io.offboard.lifecycle.access.Actor;
import io.offboard.lifecycle.access.Role;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.text.UserText;
import io.offboard.lifecycle.store.DedupeStore;
import io.offboard.lifecycle.store.EvictionStore;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the commands of a new or edited comment on an eviction issue, as the webhook's sender (never the comment's
 * author: an edit by someone else runs nothing). Each command of a comment runs at most once, however often the
 * comment is redelivered or edited. Reactions: 👀 when taken up, then 🚀 if every command ran, 😕 if one was
 * refused or unknown (a reply says why). Someone who is neither an owner nor an operator gets a 😕 and, at most
 * once a day per issue, a polite refusal; every reply and reaction a person causes is within their write budget.
 */
@Singleton
public class CommandHandler implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);
    /** Longer than any eviction lives, so an old comment edited much later still does not rerun. */
    private static final Duration REMEMBER_COMMANDS = Duration.ofDays(400);
    /** A command being run is held this long: a worker that died mid-command blocks its retry no longer. */
    private static final Duration COMMAND_LEASE = Duration.ofMinutes(2);
    /** A stranger's commands get at most one written refusal per issue in this time (the 😕 says the rest). */
    static final Duration ONE_REFUSAL_PER = Duration.ofDays(1);

    private final CommandRegistry registry;
    private final EvictionStore store;
    private final DedupeStore dedupe;
    private final Authorizer authorizer;
    private final OwnerIds ownerIds;
    private final PersonReplies replies;
    private final Templates templates;
    private final AuditLog audit;

    public CommandHandler(CommandRegistry registry, EvictionStore store, DedupeStore dedupe, Authorizer authorizer,
                          OwnerIds ownerIds, PersonReplies replies, Templates templates, AuditLog audit) {
        this.registry = registry;
        this.store = store;
        this.dedupe = dedupe;
        this.authorizer = authorizer;
        this.ownerIds = ownerIds;
        this.replies = replies;
        this.templates = templates;
        this.audit = audit;
    }

    @Override
    public Set<String> routes() {
        return Set.of("issue_comment.created", "issue_comment.edited");
    }

    @Override
    public boolean concerns(WebhookEvent event) {
        return event.comment() != null && event.issue() != null
                && !CommandParser.parse(event.comment().body()).isEmpty();
    }

    @Override
    public void handle(WebhookEvent event, Attempt attempt) throws Exception {
        boolean retry = attempt.retry();
        Actor actor = event.actor();
        EvictionId id = new EvictionId(event.repository().fullName(), event.issue().number());
        if ("edited".equals(event.action()) && (event.comment().user() == null
                || event.comment().user().id() != actor.id())) {
            LOG.info("{} edited a comment of someone else on {}: its commands are not run", actor, id);
            return;
        }
        Optional<Eviction> found = store.find(id);
        if (found.isEmpty()) {
            LOG.debug("commands on {} ignored: not an eviction issue", id);
            return;
        }
        long commentId = event.comment().id();
        Instant postedAt = event.comment().postedAt().orElse(Instant.EPOCH);
        // each command runs once: begun under a lease, finished when done; one begun by a worker that died is run
        // again in retry mode (what it already did is found, not repeated)
        List<ParsedCommand> fresh = new ArrayList<>();
        boolean afterCrash = false;
        for (ParsedCommand c : CommandParser.parse(event.comment().body())) {
            DedupeStore.Start start = dedupe.begin(commandKey(commentId, c), attempt.deliveryId(), COMMAND_LEASE);
            if (start == DedupeStore.Start.RUNNING) {
                throw new IllegalStateException("command " + c.line() + " of comment " + commentId
                        + " is being run by another worker; retried later");
            }
            if (start != DedupeStore.Start.DONE) {
                fresh.add(c);
                afterCrash |= start == DedupeStore.Start.AFTER_CRASH;
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        boolean again = retry || afterCrash;
        List<ParsedCommand> notRun = new ArrayList<>(fresh);
        try {
            Eviction eviction = ownerIds.ensure(found.get());
            Set<Role> roles = authorizer.roles(actor, eviction);
            if (roles.isEmpty()) {
                refuseStranger(id, actor, commentId, fresh);
                fresh.forEach(c -> dedupe.finish(commandKey(commentId, c), REMEMBER_COMMANDS));
                notRun.clear();
                return;
            }
            replies.react(id, actor, commentId, Reaction.RECEIVED);
            boolean anyRefused = false;
            boolean anyStarted = false;
            for (ParsedCommand parsed : fresh) {
                Command.Outcome outcome = runOne(parsed, actor, roles, commentId, id, again, postedAt);
                dedupe.finish(commandKey(commentId, parsed), REMEMBER_COMMANDS);
                notRun.remove(parsed);
                anyRefused |= outcome == Command.Outcome.REFUSED;
                anyStarted |= outcome == Command.Outcome.STARTED;
            }
            if (anyRefused) {
                replies.react(id, actor, commentId, Reaction.REFUSED);
            } else if (!anyStarted) {
                replies.react(id, actor, commentId, Reaction.DONE);
            }
        } catch (Exception e) {
            // let a redelivery retry what did not complete; the commands that did complete stay done
            notRun.forEach(c -> dedupe.release(commandKey(commentId, c)));
            throw e;
        }
    }

    /** A command of a comment, as it is remembered: by its identity, so re-spelling it does not run it again. */
    private static String commandKey(long commentId, ParsedCommand command) {
        return "command:" + commentId + ":" + command.identity();
    }

    /**
     * Neither owner nor operator: nothing runs and nothing they wrote is echoed. A 😕 on their comment, and a
     * polite refusal at most once a day on the issue, so a flood of comments cannot make the bot flood the thread.
     */
    private void refuseStranger(EvictionId id, Actor actor, long commentId, List<ParsedCommand> commands)
            throws Exception {
        audit.append(id, actor.toString(), "command.refused", commands.size() + " command(s) from someone who is "
                + "neither an owner nor an operator");
        replies.react(id, actor, commentId, Reaction.REFUSED);
        if (dedupe.claimFirst("refusal:" + id, ONE_REFUSAL_PER)) {
            replies.comment(id, actor, templates.render("stranger-refused", Map.of("actor", actor.login())));
        }
    }

    private Command.Outcome runOne(ParsedCommand parsed, Actor actor, Set<Role> roles, long commentId, EvictionId id,
                                   boolean retry, Instant postedAt) throws Exception {
        // read now: an earlier command of the same comment may have changed the record
        Eviction current = store.find(id).orElseThrow();
        Invocation invocation = new Invocation(parsed, actor, roles, commentId, current, retry, postedAt);
        Optional<Command> command = registry.find(parsed.name());
        if (command.isEmpty()) {
            audit.append(id, actor.toString(), "command.unknown", parsed.line());
            replies.comment(invocation, templates.render("unknown-command", Map.of(
                    "actor", actor.login(),
                    "line", UserText.quote(parsed.line()),
                    "commands", registry.rows())));
            return Command.Outcome.REFUSED;
        }
        if (!command.get().audience().admits(roles)) {
            audit.append(id, actor.toString(), "command.refused", parsed.line());
            replies.comment(invocation, templates.render("refused", Map.of(
                    "actor", actor.login(),
                    "usage", command.get().usage(),
                    "audience", command.get().audience().description(),
                    "roles", roles.stream().map(r -> r.name().toLowerCase()).collect(Collectors.joining(" and ")))));
            return Command.Outcome.REFUSED;
        }
        Command.Outcome outcome = command.get().run(invocation);
        audit.append(id, actor.toString(), "command." + command.get().name(), parsed.line() + " -> " + outcome);
        return outcome;
    }
}
