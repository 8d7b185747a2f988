package io.offboard.bot.access;

import io.offboard.bot.config.OffboardSettings;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.lifecycle.access.Role;
import io.offboard.lifecycle.eviction.Eviction;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Who someone is on an eviction: an operator (OFFBOARD_OPERATORS: logins, or {@code @org/team} whose
 * membership is asked of GitHub and remembered for a few minutes) and/or an owner (named on the record).
 */
@Singleton
public class Authorizer {

    private static final Duration TEAM_CACHE = Duration.ofMinutes(5);

    private final Set<String> operatorLogins;
    private final List<String[]> operatorTeams;
    private final GitHubGateway github;
    private final Clock clock;
    private final Map<String, Membership> teamMembership = new ConcurrentHashMap<>();

    private record Membership(Instant checkedAt, boolean member) {
    }

    public Authorizer(OffboardSettings settings, GitHubGateway github, Clock clock) {
        this.github = github;
        this.clock = clock;
        this.operatorLogins = settings.operators().stream()
                .map(String::strip).filter(s -> !s.isEmpty() && !s.contains("/"))
                .map(s -> s.startsWith("@") ? s.substring(1) : s)
                .map(s -> s.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        this.operatorTeams = settings.operators().stream()
                .map(String::strip).filter(s -> s.contains("/"))
                .map(s -> (s.startsWith("@") ? s.substring(1) : s).split("/", 2))
                .toList();
    }

    public Set<Role> roles(String login, Eviction eviction) throws IOException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (isOperator(login)) {
            roles.add(Role.OPERATOR);
        }
        if (eviction != null && eviction.isOwner(login)) {
            roles.add(Role.OWNER);
        }
        return roles;
    }

    public boolean isOperator(String login) throws IOException {
        if (login == null) {
            return false;
        }
        if (operatorLogins.contains(login.toLowerCase(Locale.ROOT))) {
            return true;
        }
        for (String[] team : operatorTeams) {
            if (isMember(team[0], team[1], login)) {
                return true;
            }
        }
        return false;
    }

    private boolean isMember(String org, String slug, String login) throws IOException {
        String key = (org + "/" + slug + ":" + login).toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Membership cached = teamMembership.get(key);
        if (cached != null && cached.checkedAt().plus(TEAM_CACHE).isAfter(now)) {
            return cached.member();
        }
        boolean member = github.isTeamMember(org, slug, login);
        teamMembership.put(key, new Membership(now, member));
        return member;
    }
}
