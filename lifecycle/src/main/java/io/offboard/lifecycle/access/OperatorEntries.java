package io.offboard.lifecycle.access;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who the operators are, as configured ({@code OFFBOARD_OPERATORS}, comma-separated): numeric ids {@code id:NNN}
 * (the robust form: an id never changes hands), logins (resolved to ids and pinned the first time), and
 * {@code @org/team} (membership asked of GitHub).
 */
public record OperatorEntries(Set<Long> ids, Set<String> logins, List<Team> teams) {

    private static final Pattern ID = Pattern.compile("id:(\\d{1,19})");
    private static final Pattern LOGIN = Pattern.compile("@?([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})");
    private static final Pattern TEAM = Pattern.compile("@?([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9][A-Za-z0-9_.-]*)");

    public record Team(String org, String slug) {
        @Override
        public String toString() {
            return "@" + org + "/" + slug;
        }
    }

    public OperatorEntries {
        ids = Set.copyOf(ids);
        logins = Set.copyOf(logins);
        teams = List.copyOf(teams);
    }

    /** Parses the entries; a malformed one stops the bot at start with its text, rather than being ignored. */
    public static OperatorEntries parse(List<String> entries) {
        Set<Long> ids = new LinkedHashSet<>();
        Set<String> logins = new LinkedHashSet<>();
        List<Team> teams = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            Matcher id = ID.matcher(entry);
            Matcher team = TEAM.matcher(entry);
            Matcher login = LOGIN.matcher(entry);
            if (id.matches()) {
                ids.add(Long.parseLong(id.group(1)));
            } else if (team.matches()) {
                teams.add(new Team(team.group(1), team.group(2)));
            } else if (login.matches()) {
                logins.add(login.group(1).toLowerCase(Locale.ROOT));
            } else {
                bad.add(entry);
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("OFFBOARD_OPERATORS: " + String.join(", ", bad)
                    + " is neither a login, id:NNN nor @org/team");
        }
        return new OperatorEntries(ids, logins, teams);
    }
}
