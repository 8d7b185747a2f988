package io.offboard.local.github;

import io.offboard.local.github.GitHubState.Reaction;
import io.offboard.local.github.GitHubState.StoredComment;
import io.offboard.local.github.GitHubState.StoredIssue;
import io.offboard.local.github.GitHubState.Thread;
import io.offboard.local.github.GitHubState.TimelineEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An issue thread as Markdown, read the way GitHub shows it: the issue (title, state, author, labels,
 * body), then comments and timeline events (labels, closing) in the order they happened. Hidden HTML
 * comments (the bot's markers) are left out, as GitHub's renderer leaves them out.
 */
final class Transcript {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final Pattern HIDDEN = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Map<String, String> EMOJI = Map.of(
            "+1", "👍", "-1", "👎", "laugh", "😄", "confused", "😕",
            "heart", "❤️", "hooray", "🎉", "rocket", "🚀", "eyes", "👀");
    private static final String RULE = "\n---\n\n";

    private Transcript() {}

    static String render(Thread thread) {
        StoredIssue issue = thread.issue();
        StringBuilder out = new StringBuilder();
        out.append("# ").append(issue.title()).append(" · #").append(issue.number()).append("\n\n");
        out.append("**").append(issue.state().equals("open") ? "Open" : "Closed").append("** · @")
                .append(issue.author().login()).append(" opened this issue on ").append(when(issue.createdAt()))
                .append(edited(issue.edits())).append('\n');
        if (!issue.labels().isEmpty()) {
            out.append("Labels: ").append(issue.labels().stream().map(l -> "`" + l.name() + "`")
                    .collect(Collectors.joining(" "))).append('\n');
        }
        out.append('\n').append(body(issue.body(), "_No description provided._")).append('\n');
        appendReactions(out, issue.reactions());

        for (List<Entry> block : blocks(thread)) {
            out.append(RULE);
            for (Entry entry : block) {
                if (entry.comment() != null) {
                    appendComment(out, entry.comment());
                } else {
                    out.append('_').append(describe(entry.event())).append("_\n");
                }
            }
        }
        return out.toString();
    }

    private static void appendComment(StringBuilder out, StoredComment comment) {
        out.append("**@").append(comment.author().login()).append("** commented on ")
                .append(when(comment.createdAt())).append(edited(comment.edits())).append("\n\n")
                .append(body(comment.body(), "_(empty comment)_")).append('\n');
        appendReactions(out, comment.reactions());
    }

    private static void appendReactions(StringBuilder out, List<Reaction> reactions) {
        if (reactions.isEmpty()) {
            return;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        reactions.forEach(r -> counts.merge(r.content(), 1, Integer::sum));
        out.append('\n').append(counts.entrySet().stream()
                .map(e -> EMOJI.getOrDefault(e.getKey(), ":" + e.getKey() + ":") + " " + e.getValue())
                .collect(Collectors.joining(" · "))).append('\n');
    }

    /** Comments stand alone; consecutive timeline events share one block, as GitHub lists them. */
    private static List<List<Entry>> blocks(Thread thread) {
        List<Entry> entries = new ArrayList<>();
        thread.comments().forEach(c -> entries.add(new Entry(c.sequence(), c, null)));
        thread.events().forEach(e -> entries.add(new Entry(e.sequence(), null, e)));
        entries.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        List<List<Entry>> blocks = new ArrayList<>();
        for (Entry entry : entries) {
            List<Entry> last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
            if (entry.event() != null && last != null && last.get(0).event() != null) {
                last.add(entry);
            } else {
                blocks.add(new ArrayList<>(List.of(entry)));
            }
        }
        return blocks;
    }

    private static String describe(TimelineEvent event) {
        String who = "@" + event.actor().login();
        String at = " on " + when(event.at());
        return switch (event.kind()) {
            case "labeled" -> who + " added the `" + event.detail() + "` label" + at;
            case "unlabeled" -> who + " removed the `" + event.detail() + "` label" + at;
            case "closed" -> who + " closed this as " + reason(event.detail()) + at;
            case "reopened" -> who + " reopened this" + at;
            default -> who + " " + event.kind() + at;
        };
    }

    private static String reason(String stateReason) {
        return switch (stateReason == null ? "completed" : stateReason) {
            case "not_planned" -> "not planned";
            case "duplicate" -> "a duplicate";
            default -> "completed";
        };
    }

    private static String body(String markdown, String whenEmpty) {
        String visible = HIDDEN.matcher(markdown == null ? "" : markdown).replaceAll("").strip();
        return visible.isEmpty() ? whenEmpty : visible;
    }

    private static String edited(int edits) {
        return edits == 0 ? "" : " (edited " + edits + (edits == 1 ? " time)" : " times)");
    }

    private static String when(Instant instant) {
        return WHEN.format(instant);
    }

    private record Entry(long sequence, StoredComment comment, TimelineEvent event) {}
}
