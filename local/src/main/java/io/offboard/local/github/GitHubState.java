package io.offboard.local.github;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the GitHub stand-in knows: accounts, repositories, issues, comments, reactions, teams,
 * timeline events and repository dispatches.
 *
 * <p>Every stored value is an immutable record; a change replaces the record under this object's
 * lock, so a snapshot handed out (to render JSON or a transcript) never changes underneath its reader.
 * WireMock serves requests on several threads and the demo acts as humans on another, hence the lock.
 * Logins and repository names are case-insensitive on GitHub, so they are keyed in lower case.
 */
final class GitHubState {

    static final long FIRST_COMMENT_ID = 1001;

    /** Reaction contents GitHub accepts, in the order GitHub lists them. */
    static final List<String> REACTION_CONTENTS =
            List.of("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes");

    record Account(long id, String login, String type, Instant createdAt) {
        boolean isOrganization() {
            return "Organization".equals(type);
        }
    }

    record Repo(long id, Account owner, String name, Instant createdAt) {
        String fullName() {
            return owner.login() + "/" + name;
        }
    }

    record Label(long id, String name, String color) {}

    record Reaction(long id, Account user, String content, Instant createdAt) {}

    record StoredIssue(
            long id,
            Repo repo,
            int number,
            String title,
            String body,
            Account author,
            String authorAssociation,
            List<Label> labels,
            String state,
            String stateReason,
            Instant createdAt,
            Instant updatedAt,
            Instant closedAt,
            Account closedBy,
            int commentCount,
            int edits,
            List<Reaction> reactions) {

        /** A copy with the given values; {@code updatedAt} becomes {@code now}, the rest is kept. */
        StoredIssue with(String newTitle, String newBody, List<Label> newLabels, String newState,
                String newStateReason, Instant newClosedAt, Account newClosedBy, int newCommentCount,
                int newEdits, List<Reaction> newReactions, Instant now) {
            return new StoredIssue(id, repo, number, newTitle, newBody, author, authorAssociation,
                    List.copyOf(newLabels), newState, newStateReason, createdAt, now, newClosedAt, newClosedBy,
                    newCommentCount, newEdits, List.copyOf(newReactions));
        }
    }

    record StoredComment(
            long id,
            long sequence,
            Repo repo,
            int issueNumber,
            Account author,
            String authorAssociation,
            String body,
            Instant createdAt,
            Instant updatedAt,
            int edits,
            List<Reaction> reactions) {

        StoredComment withBody(String newBody, Instant now) {
            return new StoredComment(id, sequence, repo, issueNumber, author, authorAssociation, newBody,
                    createdAt, now, edits + 1, reactions);
        }

        StoredComment withReactions(List<Reaction> newReactions) {
            return new StoredComment(id, sequence, repo, issueNumber, author, authorAssociation, body,
                    createdAt, updatedAt, edits, List.copyOf(newReactions));
        }
    }

    record Team(long id, Account org, String slug, String name, Set<String> members, Instant createdAt) {}

    /** Something GitHub shows between comments on an issue's timeline. */
    record TimelineEvent(long sequence, Account actor, String kind, String detail, Instant at) {}

    record Dispatch(Repo repo, String eventType, String clientPayloadJson, Instant at) {}

    /** The outcome of adding a reaction: GitHub answers 201 for a new one, 200 for an existing one. */
    record ReactionResult(Reaction reaction, boolean created) {}

    record IssueEdit(StoredIssue before, StoredIssue after) {}

    record CommentEdit(StoredComment before, StoredComment after) {}

    /** The issue after labelling, and the label that was asked for last. */
    record LabelChange(StoredIssue issue, Label label) {}

    /** An issue with its comments and timeline, as one consistent snapshot. */
    record Thread(StoredIssue issue, List<StoredComment> comments, List<TimelineEvent> events) {}

    private record IssueKey(String repo, int number) {}

    private final Clock clock;
    private final Account bot;
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, Repo> repos = new HashMap<>();
    private final Map<String, Map<String, Label>> labelsByRepo = new HashMap<>();
    private final Map<IssueKey, StoredIssue> issues = new HashMap<>();
    private final Map<String, Integer> lastIssueNumber = new HashMap<>();
    private final Map<Long, StoredComment> comments = new LinkedHashMap<>();
    private final Map<IssueKey, List<TimelineEvent>> timelines = new HashMap<>();
    private final Map<String, Team> teams = new LinkedHashMap<>();
    private final List<Dispatch> dispatches = new ArrayList<>();

    // Distinct ranges per kind keep ids readable in a journal dump and make a mix-up visible.
    private long nextAccountId = 100_001;
    private long nextRepoId = 700_001;
    private long nextIssueId = 3_000_001;
    private long nextLabelId = 5_000_001;
    private long nextReactionId = 9_000_001;
    private long nextTeamId = 400_001;
    private long nextCommentId = FIRST_COMMENT_ID;
    private long nextSequence = 1;

    GitHubState(Clock clock, String botLogin) {
        this.clock = clock;
        this.bot = createAccount(botLogin, "Bot");
    }

    Account bot() {
        return bot;
    }

    Instant now() {
        // GitHub's timestamps have second precision.
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    // ---- accounts, organisations, teams -------------------------------------------------------

    synchronized Account addUser(String login) {
        Account existing = accounts.get(key(login));
        if (existing != null) {
            return existing;
        }
        return createAccount(login, "User");
    }

    /** Another GitHub App's bot account ({@code name[bot]}, type Bot): it can comment, and it is not us. */
    synchronized Account addBot(String login) {
        Account existing = accounts.get(key(login));
        return existing != null ? existing : createAccount(login, "Bot");
    }

    /**
     * GitHub lets a person rename their account: the id stays, the old login becomes free for anyone. What the
     * account wrote before keeps showing the login it had then (the stand-in does not rewrite history).
     */
    synchronized Account renameUser(String from, String to) {
        Account old = account(from);
        if (accounts.containsKey(key(to))) {
            throw new ApiException(422, "Validation Failed", "login " + to + " is taken");
        }
        Account renamed = new Account(old.id(), to, old.type(), old.createdAt());
        accounts.remove(key(from));
        accounts.put(key(to), renamed);
        return renamed;
    }

    synchronized Account account(String login) {
        return Optional.ofNullable(accounts.get(key(login)))
                .orElseThrow(() -> ApiException.notFound("no user " + login + " in the GitHub stand-in; call addUser(\""
                        + login + "\") first"));
    }

    synchronized Account organization(String login) {
        Account account = accounts.get(key(login));
        if (account == null || !account.isOrganization()) {
            throw ApiException.notFound("no organization " + login + " in the GitHub stand-in; addTeam or "
                    + "addRepository creates it");
        }
        return account;
    }

    synchronized Team addTeam(String org, String slug, String... members) {
        Account organization = ensureOrganization(org);
        Set<String> logins = new LinkedHashSet<>();
        Team existing = teams.get(teamKey(org, slug));
        if (existing != null) {
            logins.addAll(existing.members());
        }
        for (String member : members) {
            logins.add(addUser(member).login());
        }
        Team team = existing != null
                ? new Team(existing.id(), organization, existing.slug(), existing.name(), Collections.unmodifiableSet(logins),
                        existing.createdAt())
                : new Team(nextTeamId++, organization, slug, slug, Collections.unmodifiableSet(logins), now());
        teams.put(teamKey(org, slug), team);
        return team;
    }

    synchronized Team team(String org, String slug) {
        return Optional.ofNullable(teams.get(teamKey(org, slug)))
                .orElseThrow(() -> ApiException.notFound("no team " + org + "/" + slug + " in the GitHub stand-in"));
    }

    synchronized Team team(long orgId, long teamId) {
        return teams.values().stream()
                .filter(t -> t.org().id() == orgId && t.id() == teamId)
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("no team " + teamId + " in organization " + orgId));
    }

    /** Invitations to a team not accepted yet, by "org/slug:login" (lower case). */
    private final Set<String> pendingInvitations = new LinkedHashSet<>();

    /** Invites {@code login} to team {@code org/slug}: GitHub shows the membership as "pending" until accepted. */
    synchronized void inviteToTeam(String org, String slug, String login) {
        team(org, slug);
        addUser(login);
        pendingInvitations.add((teamKey(org, slug) + ":" + login).toLowerCase(Locale.ROOT));
    }

    synchronized boolean isInvitedToTeam(Team team, String login) {
        return pendingInvitations.contains((teamKey(team.org().login(), team.slug()) + ":" + login)
                .toLowerCase(Locale.ROOT));
    }

    synchronized boolean isTeamMember(Team team, String login) {
        return teams.get(teamKey(team.org().login(), team.slug())).members().stream()
                .anyMatch(m -> m.equalsIgnoreCase(login));
    }

    synchronized List<Account> teamMembers(Team team) {
        return teams.get(teamKey(team.org().login(), team.slug())).members().stream()
                .map(this::account)
                .toList();
    }

    synchronized boolean isOrganizationMember(String org, String login) {
        return teams.values().stream()
                .anyMatch(t -> t.org().login().equalsIgnoreCase(org)
                        && t.members().stream().anyMatch(m -> m.equalsIgnoreCase(login)));
    }

    // ---- repositories -------------------------------------------------------------------------

    synchronized Repo addRepository(String fullName) {
        String[] parts = fullName.split("/");
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("repository " + fullName + " is not owner/name; use e.g. acme/evictions");
        }
        Repo existing = repos.get(key(fullName));
        if (existing != null) {
            return existing;
        }
        Account known = accounts.get(key(parts[0]));
        // An App is installed on organisations in practice, so an owner not registered as a user is an org.
        Account owner = known != null ? known : ensureOrganization(parts[0]);
        Repo repo = new Repo(nextRepoId++, owner, parts[1], now());
        repos.put(key(fullName), repo);
        labelsByRepo.put(key(fullName), new LinkedHashMap<>());
        return repo;
    }

    synchronized Repo repository(String fullName) {
        return Optional.ofNullable(repos.get(key(fullName)))
                .orElseThrow(() -> ApiException.notFound("no repository " + fullName
                        + " in the GitHub stand-in; call addRepository(\"" + fullName + "\") first"));
    }

    synchronized int openIssueCount(Repo repo) {
        return (int) issues.values().stream()
                .filter(i -> i.repo().id() == repo.id() && "open".equals(i.state()))
                .count();
    }

    synchronized Dispatch dispatch(String fullName, String eventType, String clientPayloadJson) {
        Dispatch dispatch = new Dispatch(repository(fullName), eventType, clientPayloadJson, now());
        dispatches.add(dispatch);
        return dispatch;
    }

    synchronized List<Dispatch> dispatches(String fullName) {
        Repo repo = repository(fullName);
        return dispatches.stream().filter(d -> d.repo().id() == repo.id()).toList();
    }

    // ---- issues -------------------------------------------------------------------------------

    synchronized StoredIssue openIssue(String fullName, String authorLogin, String title, String body,
            Collection<String> labelNames) {
        Repo repo = repository(fullName);
        Account author = actor(authorLogin);
        int number = lastIssueNumber.merge(key(fullName), 1, Integer::sum);
        Instant now = now();
        List<Label> labels = labelNames.stream().distinct().map(name -> label(repo, name)).toList();
        StoredIssue issue = new StoredIssue(nextIssueId++, repo, number, title, body == null ? "" : body, author,
                association(repo, author), labels, "open", null, now, now, null, null, 0, 0, List.of());
        issues.put(new IssueKey(key(fullName), number), issue);
        timelines.put(new IssueKey(key(fullName), number), new ArrayList<>());
        // as on GitHub, an issue opened with labels (an issue form's) has a "labeled" event by its author for each
        labels.forEach(label -> event(fullName, number, author, "labeled", label.name(), now));
        return issue;
    }

    /** The repository's issues in {@code state} ("open", "closed" or "all") carrying {@code label}, by number. */
    synchronized List<StoredIssue> issues(String fullName, String state, String label) {
        repository(fullName);
        return issues.entrySet().stream().filter(e -> e.getKey().repo().equals(key(fullName)))
                .map(Map.Entry::getValue)
                .filter(i -> state.equals("all") || i.state().equals(state))
                .filter(i -> label == null || i.labels().stream().anyMatch(l -> l.name().equalsIgnoreCase(label)))
                .sorted(java.util.Comparator.comparingInt(StoredIssue::number))
                .toList();
    }

    /** The issue's events (labelled, closed, ...), oldest first, as {@code GET .../issues/n/events} lists them. */
    synchronized List<TimelineEvent> events(String fullName, int number) {
        issue(fullName, number);
        return List.copyOf(timelines.get(new IssueKey(key(fullName), number)));
    }

    synchronized StoredIssue issue(String fullName, int number) {
        repository(fullName);
        return Optional.ofNullable(issues.get(new IssueKey(key(fullName), number)))
                .orElseThrow(() -> ApiException.notFound("no issue #" + number + " in " + fullName));
    }

    /**
     * Applies an issue update as {@code PATCH /repos/o/r/issues/n} does: only the given fields change.
     * {@code labels} replaces the label set when not null.
     */
    synchronized IssueEdit editIssue(String fullName, int number, String actorLogin, String title, String body,
            String state, String stateReason, List<String> labels) {
        StoredIssue before = issue(fullName, number);
        Account actor = actor(actorLogin);
        Instant now = now();
        String newState = state == null ? before.state() : state;
        if (!newState.equals("open") && !newState.equals("closed")) {
            throw ApiException.validation("state must be open or closed, not " + state);
        }
        boolean closing = newState.equals("closed") && !before.state().equals("closed");
        boolean reopening = newState.equals("open") && before.state().equals("closed");
        String newReason = closing ? (stateReason == null ? "completed" : stateReason)
                : reopening ? "reopened" : (stateReason == null ? before.stateReason() : stateReason);
        List<Label> newLabels = before.labels();
        if (labels != null) {
            newLabels = labels.stream().distinct().map(n -> label(before.repo(), n)).toList();
            recordLabelDifference(fullName, number, actor, before.labels(), newLabels, now);
        }
        boolean bodyChanged = body != null && !body.equals(before.body());
        StoredIssue after = before.with(
                title == null ? before.title() : title,
                body == null ? before.body() : body,
                newLabels,
                newState,
                newReason,
                closing ? now : reopening ? null : before.closedAt(),
                closing ? actor : reopening ? null : before.closedBy(),
                before.commentCount(),
                before.edits() + (bodyChanged ? 1 : 0),
                before.reactions(),
                now);
        store(after);
        if (closing) {
            event(fullName, number, actor, "closed", newReason, now);
        } else if (reopening) {
            event(fullName, number, actor, "reopened", null, now);
        }
        return new IssueEdit(before, after);
    }

    synchronized LabelChange addLabels(String fullName, int number, String actorLogin, List<String> names) {
        StoredIssue before = issue(fullName, number);
        List<Label> labels = new ArrayList<>(before.labels());
        Label last = null;
        for (String name : names) {
            Label label = label(before.repo(), name);
            last = label;
            if (labels.stream().noneMatch(l -> l.name().equalsIgnoreCase(name))) {
                labels.add(label);
            }
        }
        Instant now = now();
        recordLabelDifference(fullName, number, actor(actorLogin), before.labels(), labels, now);
        StoredIssue after = labels.size() != before.labels().size() ? relabel(before, labels, now) : before;
        store(after);
        return new LabelChange(after, last);
    }

    synchronized StoredIssue removeLabel(String fullName, int number, String actorLogin, String name) {
        StoredIssue before = issue(fullName, number);
        List<Label> labels = new ArrayList<>(before.labels());
        if (!labels.removeIf(l -> l.name().equalsIgnoreCase(name))) {
            throw new ApiException(404, "Label does not exist",
                    "issue #" + number + " in " + fullName + " has no label " + name);
        }
        Instant now = now();
        recordLabelDifference(fullName, number, actor(actorLogin), before.labels(), labels, now);
        StoredIssue after = relabel(before, labels, now);
        store(after);
        return after;
    }

    synchronized ReactionResult reactToIssue(String fullName, int number, String userLogin, String content) {
        StoredIssue issue = issue(fullName, number);
        List<Reaction> reactions = new ArrayList<>(issue.reactions());
        ReactionResult result = react(reactions, actor(userLogin), content);
        if (result.created()) {
            store(issue.with(issue.title(), issue.body(), issue.labels(), issue.state(), issue.stateReason(),
                    issue.closedAt(), issue.closedBy(), issue.commentCount(), issue.edits(), reactions,
                    issue.updatedAt()));
        }
        return result;
    }

    // ---- comments -----------------------------------------------------------------------------

    synchronized StoredComment addComment(String fullName, int number, String authorLogin, String body) {
        StoredIssue issue = issue(fullName, number);
        Account author = actor(authorLogin);
        Instant now = now();
        StoredComment comment = new StoredComment(nextCommentId++, nextSequence++, issue.repo(), number, author,
                association(issue.repo(), author), body, now, now, 0, List.of());
        comments.put(comment.id(), comment);
        store(issue.with(issue.title(), issue.body(), issue.labels(), issue.state(), issue.stateReason(),
                issue.closedAt(), issue.closedBy(), issue.commentCount() + 1, issue.edits(), issue.reactions(), now));
        return comment;
    }

    synchronized StoredComment comment(String fullName, long id) {
        Repo repo = repository(fullName);
        StoredComment comment = comments.get(id);
        if (comment == null || comment.repo().id() != repo.id()) {
            throw ApiException.notFound("no comment " + id + " in " + fullName);
        }
        return comment;
    }

    synchronized List<StoredComment> comments(String fullName, int number) {
        issue(fullName, number);
        return comments.values().stream()
                .filter(c -> c.repo().fullName().equalsIgnoreCase(fullName) && c.issueNumber() == number)
                .toList();
    }

    synchronized CommentEdit editComment(String fullName, long id, String body) {
        StoredComment before = comment(fullName, id);
        // GitHub keeps no edit history entry when the text does not change.
        StoredComment after = before.body().equals(body) ? before : before.withBody(body, now());
        comments.put(id, after);
        return new CommentEdit(before, after);
    }

    synchronized ReactionResult reactToComment(String fullName, long id, String userLogin, String content) {
        StoredComment comment = comment(fullName, id);
        List<Reaction> reactions = new ArrayList<>(comment.reactions());
        ReactionResult result = react(reactions, actor(userLogin), content);
        if (result.created()) {
            comments.put(id, comment.withReactions(reactions));
        }
        return result;
    }

    synchronized void deleteCommentReaction(String fullName, long commentId, long reactionId) {
        StoredComment comment = comment(fullName, commentId);
        List<Reaction> reactions = new ArrayList<>(comment.reactions());
        if (!reactions.removeIf(r -> r.id() == reactionId)) {
            throw ApiException.notFound("no reaction " + reactionId + " on comment " + commentId);
        }
        comments.put(commentId, comment.withReactions(reactions));
    }

    synchronized Thread thread(String fullName, int number) {
        return new Thread(issue(fullName, number), comments(fullName, number),
                List.copyOf(timelines.get(new IssueKey(key(fullName), number))));
    }

    // ---- internals ----------------------------------------------------------------------------

    private Account createAccount(String login, String type) {
        Account account = new Account(nextAccountId++, login, type, now());
        accounts.put(key(login), account);
        return account;
    }

    private Account ensureOrganization(String login) {
        Account existing = accounts.get(key(login));
        if (existing != null) {
            if (!existing.isOrganization()) {
                throw new IllegalArgumentException(login + " is a " + existing.type().toLowerCase(Locale.ROOT)
                        + " in the GitHub stand-in, not an organization; pick another owner name");
            }
            return existing;
        }
        return createAccount(login, "Organization");
    }

    /** Whoever acts through the stand-in exists on GitHub; humans named in a scenario are created on first use. */
    private Account actor(String login) {
        Account existing = accounts.get(key(login));
        return existing != null ? existing : createAccount(login, "User");
    }

    private String association(Repo repo, Account account) {
        if (account.type().equals("Bot")) {
            return "NONE";
        }
        if (repo.owner().id() == account.id()) {
            return "OWNER";
        }
        return isOrganizationMember(repo.owner().login(), account.login()) ? "MEMBER" : "NONE";
    }

    /** GitHub creates a label on the repository the first time an issue is given it. */
    private Label label(Repo repo, String name) {
        Map<String, Label> labels = labelsByRepo.get(key(repo.fullName()));
        return labels.computeIfAbsent(key(name), k -> new Label(nextLabelId++, name, "ededed"));
    }

    private StoredIssue relabel(StoredIssue issue, List<Label> labels, Instant now) {
        return issue.with(issue.title(), issue.body(), labels, issue.state(), issue.stateReason(), issue.closedAt(),
                issue.closedBy(), issue.commentCount(), issue.edits(), issue.reactions(), now);
    }

    private void recordLabelDifference(String fullName, int number, Account actor, List<Label> before,
            List<Label> after, Instant now) {
        for (Label label : after) {
            if (!before.contains(label)) {
                event(fullName, number, actor, "labeled", label.name(), now);
            }
        }
        for (Label label : before) {
            if (!after.contains(label)) {
                event(fullName, number, actor, "unlabeled", label.name(), now);
            }
        }
    }

    private void event(String fullName, int number, Account actor, String kind, String detail, Instant at) {
        timelines.get(new IssueKey(key(fullName), number))
                .add(new TimelineEvent(nextSequence++, actor, kind, detail, at));
    }

    private void store(StoredIssue issue) {
        issues.put(new IssueKey(key(issue.repo().fullName()), issue.number()), issue);
    }

    private ReactionResult react(List<Reaction> reactions, Account user, String content) {
        if (!REACTION_CONTENTS.contains(content)) {
            throw ApiException.validation("content " + content + " is not one of " + REACTION_CONTENTS);
        }
        Optional<Reaction> existing = reactions.stream()
                .filter(r -> r.user().id() == user.id() && r.content().equals(content))
                .findFirst();
        if (existing.isPresent()) {
            return new ReactionResult(existing.get(), false);
        }
        Reaction reaction = new Reaction(nextReactionId++, user, content, now());
        reactions.add(reaction);
        return new ReactionResult(reaction, true);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String teamKey(String org, String slug) {
        return key(org) + "/" + key(slug);
    }
}
