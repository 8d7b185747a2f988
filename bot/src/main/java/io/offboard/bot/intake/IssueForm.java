package io.offboard.bot.intake;

import io.offboard.lifecycle.eviction.FormFields;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the body GitHub writes for an issue form ({@code .github/ISSUE_TEMPLATE/eviction.yml}): one
 * {@code ### Label} heading per field followed by the answer. Fields are recognised by words in their
 * label so that rewording the form's labels slightly does not break intake.
 */
public final class IssueForm {

    private IssueForm() {
    }

    /** The form's four answers as typed in {@code body} (null for a field that is not there). */
    public static FormFields parse(String body) {
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        StringBuilder current = null;
        if (body != null) {
            for (String line : body.split("\r\n|\r|\n", -1)) {
                if (line.startsWith("### ")) {
                    current = new StringBuilder();
                    sections.put(line.substring(4).strip().toLowerCase(Locale.ROOT), current);
                } else if (current != null) {
                    current.append(line).append('\n');
                }
            }
        }
        return new FormFields(
                field(sections, "tenant"),
                field(sections, "owner"),
                field(sections, "date"),
                field(sections, "reason"));
    }

    private static String field(Map<String, StringBuilder> sections, String word) {
        return sections.entrySet().stream()
                .filter(e -> e.getKey().contains(word))
                .map(e -> e.getValue().toString().strip())
                .findFirst()
                .orElse(null);
    }
}
