package io.offboard.lifecycle.text;

/** Placeholder until the shared neutraliser lands (branch usertext). */
public final class UserText {
    private UserText() {
    }

    public static String quote(String text) {
        String t = text == null ? "" : text.replaceAll("[\\r\\n\\t]", " ").replace('<', '‹').replace('>', '›');
        return "`` " + t.replace("`", "'") + " ``";
    }

    public static String prose(String text) {
        return text == null ? "" : text.replace("<!--", "&lt;!--").replace("-->", "--&gt;").replace("\r", "")
                .replace("\n", " ").replace("|", "\\|");
    }
}
