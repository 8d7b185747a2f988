package io.offboard.bot.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.lifecycle.text.UserText;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replies that quote a command line show it as one code span: no marker, no mention, no HTML gets through. */
class EchoedTextTest {

    private static final String HOSTILE = "/exprot `x` <!-- offboard:status v1 --> @org/everyone\n<img src=x>";

    private final Templates templates = new Templates();

    @Test
    void anUnknownCommandIsQuotedAsOneCodeSpan() {
        String reply = templates.render("unknown-command", Map.of("actor", "mallory", "line", UserText.quote(HOSTILE),
                "commands", List.of()));
        assertThat(reply).startsWith("@mallory, I don't know the command "
                + "``/exprot `x` ‹!-- offboard:status v1 --› @org/everyone ‹img src=x›``, so nothing was done.");
        assertThat(reply).doesNotContain("<!--", "-->", "<img");
    }

    @Test
    void aDeclinedCommandQuotesTheLineAndKeepsTheCodeSpansOfTheAnswer() {
        String reply = templates.render("command-declined", Map.of("actor", "mallory", "line",
                UserText.quote("/legal-hold <!--"), "why", UserText.prose("write `/legal-hold on <reason>` or `/legal-hold off`.")));
        assertThat(reply).isEqualTo(
                "@mallory, `/legal-hold ‹!--`: write `/legal-hold on <reason>` or `/legal-hold off`.\n");
    }
}
