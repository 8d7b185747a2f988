package io.offboard.bot.template;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders the Markdown comment templates under {@code templates/} (packaged as {@code templates/*.md}).
 * Mustache keeps the templates logic-less and previewable; HTML escaping is off because the output is
 * Markdown, and text people typed is neutralised before it gets here, by
 * {@link io.offboard.lifecycle.text.UserText#quote} or {@link io.offboard.lifecycle.text.UserText#prose}.
 */
@Singleton
public class Templates {

    private final MustacheFactory factory = new DefaultMustacheFactory("templates") {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

    /** Renders {@code templates/<name>.md} with the given values. */
    public String render(String name, Object scope) {
        Mustache mustache = compiled.computeIfAbsent(name, n -> factory.compile(n + ".md"));
        StringWriter out = new StringWriter();
        mustache.execute(out, scope);
        return out.toString().strip() + "\n";
    }

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** A time as every comment shows it: to the minute, in UTC, e.g. {@code 2027-01-15 00:07 UTC}. */
    public static String minute(Instant at) {
        return MINUTE.format(at);
    }

    /** A span of days as comments show it, e.g. {@code 3 days 0 hours}. */
    public static String daysAndHours(Duration d) {
        return d.toDays() + " days " + d.toHoursPart() + " hours";
    }
}
