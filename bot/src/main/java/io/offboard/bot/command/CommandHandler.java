package io.offboard.bot.command;

import io.offboard.bot.access.Authorizer;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.github.Reaction;
import io.offboard.bot.template.Templates;
import io.offboard.bot.webhook.EventHandler;
import io.offboard.bot.webhook.WebhookEvent;
import io.offboard.lifecycle.access.Role;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.DedupeStore;
import io.offboard.lifecycle.store.EvictionStore;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the commands of a new or edited comment on an eviction issue. Each command of a comment runs at
 * most once, however often the comment is redelivered or edited. Reactions: 👀 when taken up, then 🚀 if
 * every command ran, 😕 if one was refused or unknown (a reply says why).
 */
@Singleton
public class CommandHandler implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);
    /** Longer than any eviction lives, so an old comment edited much later still does not rerun. */
    private static final Duration REMEMBER_COMMANDS = Duration.ofDays(400);

    private final CommandRegistry registry;
    private final EvictionStore store;
    private final DedupeStore dedupe;
    private final Authorizer authorizer;
    private final GitHubGateway github;
    private final Templates templates;
    private final AuditLog audit;

    public CommandHandler(CommandRegistry registry, EvictionStore store, DedupeStore dedupe, Authorizer authorizer,
                          GitHubGateway github, Templates templates, AuditLog audit) {
        this.registry = registry;
        this.store = store;
        this.dedupe = dedupe;
        this.authorizer = authorizer;
        this.github = github;
        this.templates = templates;
        this.audit = audit;
    }

    @Override
    public boolean concerns(WebhookEvent event) {
        return event.comment() != null && event.issue() != null
                && !CommandParser.parse(event.comment().body()).isEmpty();
    }

    @Override
    public void handle(WebhookEvent event) throws Exception {
        List<ParsedCommand> commands = CommandParser.parse(event.comment().body());
        EvictionId id = new EvictionId(event.repository().fullName(), event.issue().number());
        Optional<Eviction> eviction = store.find(id);
        if (eviction.isEmpty()) {
            LOG.debug("commands on {} ignored: not an eviction issue", id);
            return;
        }
        long commentId = event.comment().id();
        List<ParsedCommand> fresh = commands.stream()
                .filter(c -> dedupe.claimFirst("command:" + commentId + ":" + c.line(), REMEMBER_COMMANDS))
                .toList();
        if (fresh.isEmpty()) {
            return;
        }
        String actor = event.comment().user().login();
        String repo = id.repository();
        List<ParsedCommand> notRun = new java.util.ArrayList<>(fresh);
        try {
            github.react(repo, id.issueNumber(), commentId, Reaction.RECEIVED);
            Set<Role> roles = authorizer.roles(actor, eviction.get());
            boolean anyRefused = false;
            boolean anyStarted = false;
            for (ParsedCommand parsed : fresh) {
                Command.Outcome outcome = runOne(parsed, actor, roles, commentId, id);
                notRun.remove(parsed);
                anyRefused |= outcome == Command.Outcome.REFUSED;
                anyStarted |= outcome == Command.Outcome.STARTED;
            }
            if (anyRefused) {
                github.react(repo, id.issueNumber(), commentId, Reaction.REFUSED);
            } else if (!anyStarted) {
                github.react(repo, id.issueNumber(), commentId, Reaction.DONE);
            }
        } catch (Exception e) {
            // let a redelivery retry what did not complete; the commands that did complete stay done
            notRun.forEach(c -> dedupe.release("command:" + commentId + ":" + c.line()));
            throw e;
        }
    }

    private Command.Outcome runOne(ParsedCommand parsed, String actor, Set<Role> roles, long commentId, EvictionId id)
            throws Exception {
        Optional<Command> command = registry.find(parsed.name());
        if (command.isEmpty()) {
            audit.append(id, actor, "command.unknown", parsed.line());
            github.postComment(id.repository(), id.issueNumber(), templates.render("unknown-command", Map.of(
                    "actor", actor,
                    "line", io.offboard.lifecycle.text.UserText.quote(parsed.line()),
                    "commands", registry.rows())));
            return Command.Outcome.REFUSED;
        }
        if (!command.get().audience().admits(roles)) {
            audit.append(id, actor, "command.refused", parsed.line());
            github.postComment(id.repository(), id.issueNumber(), templates.render("refused", Map.of(
                    "actor", actor,
                    "usage", command.get().usage(),
                    "audience", command.get().audience().description(),
                    "roles", roles.isEmpty() ? "neither an owner nor an operator"
                            : roles.stream().map(r -> r.name().toLowerCase()).collect(Collectors.joining(" and ")))));
            return Command.Outcome.REFUSED;
        }
        // re-read: an earlier command of the same comment may have changed the record
        Eviction current = store.find(id).orElseThrow();
        Command.Outcome outcome = command.get().run(new Invocation(parsed, actor, roles, commentId, current));
        audit.append(id, actor, "command." + command.get().name(), parsed.line() + " -> " + outcome);
        return outcome;
    }
}
