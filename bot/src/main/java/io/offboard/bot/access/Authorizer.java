package io.offboard.bot.access;

import io.offboard.bot.config.OffboardSettings;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.lifecycle.access.Actor;
import io.offboard.lifecycle.access.OperatorEntries;
import io.offboard.lifecycle.access.Role;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.store.LoginPins;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who someone is on an eviction, by numeric GitHub id: an operator (OFFBOARD_OPERATORS: {@code id:NNN}, logins
 * resolved to ids and pinned the first time, or {@code @org/team} whose membership is asked of GitHub and
 * remembered for a few minutes) and/or an owner (ids stored on the record at intake). Logins are for display:
 * a renamed or re-registered login gains nothing.
 */
@Singleton
public class Authorizer {

    private static final Logger LOG = LoggerFactory.getLogger(Authorizer.class);
    private static final Duration TEAM_CACHE = Duration.ofMinutes(5);

    private final OperatorEntries operators;
    private final GitHubGateway github;
    private final LoginPins pins;
    private final Clock clock;
    /** Operator logins resolved so far: login → pinned id; looked up once per process. */
    private final Map<String, Long> operatorIds = new ConcurrentHashMap<>();
    private final Map<String, Membership> teamMembership = new ConcurrentHashMap<>();

    private record Membership(Instant checkedAt, boolean member) {
    }

    public Authorizer(OffboardSettings settings, GitHubGateway github, LoginPins pins, Clock clock) {
        this.operators = OperatorEntries.parse(settings.operators());
        this.github = github;
        this.pins = pins;
        this.clock = clock;
    }

    public Set<Role> roles(Actor actor, Eviction eviction) throws IOException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (isOperator(actor)) {
            roles.add(Role.OPERATOR);
        }
        if (eviction != null && eviction.isOwner(actor)) {
            roles.add(Role.OWNER);
        }
        return roles;
    }

    public boolean isOperator(Actor actor) throws IOException {
        if (operators.ids().contains(actor.id())) {
            return true;
        }
        for (String login : operators.logins()) {
            if (operatorId(login).filter(id -> id == actor.id()).isPresent()) {
                return true;
            }
        }
        for (OperatorEntries.Team team : operators.teams()) {
            if (isMember(team, actor)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The id an operator login stands for: pinned the first time any replica resolved it. If GitHub now gives the
     * login to another account, the pin holds and the settings should name the operator by {@code id:NNN}.
     */
    private Optional<Long> operatorId(String login) throws IOException {
        Long known = operatorIds.get(login);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Long> now = github.userId(login);
        if (now.isEmpty()) {
            LOG.warn("operator login {} is not a GitHub account; it grants nothing (use id:NNN)", login);
            return Optional.empty();
        }
        long pinned = pins.pin(login, now.get());
        if (pinned != now.get()) {
            LOG.warn("operator login {} now belongs to GitHub id {}, not to id {} it was first resolved to: the "
                    + "operator stays id {}; name them as id:{} in OFFBOARD_OPERATORS", login, now.get(), pinned,
                    pinned, pinned);
        }
        operatorIds.put(login, pinned);
        return Optional.of(pinned);
    }

    /** GitHub answers team membership by login; the actor's login is the one the webhook or sign-in gave for its id. */
    private boolean isMember(OperatorEntries.Team team, Actor actor) throws IOException {
        String key = team + ":" + actor.id();
        Instant now = clock.instant();
        Membership cached = teamMembership.get(key);
        if (cached != null && cached.checkedAt().plus(TEAM_CACHE).isAfter(now)) {
            return cached.member();
        }
        boolean member = github.isTeamMember(team.org(), team.slug(), actor.login());
        teamMembership.put(key, new Membership(now, member));
        return member;
    }
}
