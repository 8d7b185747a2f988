package io.offboard.bot.signin;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few server-rendered pages of the download (resources {@code pages/*.html}). Mustache's default encoder
 * HTML-escapes every value ({@code & < > " ' ` =}), so archive names, logins and links are text, never markup.
 */
@Singleton
public class Pages {

    private static final MediaType HTML = MediaType.of("text/html;charset=utf-8");

    private final MustacheFactory factory = new DefaultMustacheFactory("pages");
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

    public String render(String name, Map<String, ?> scope) {
        Mustache mustache = compiled.computeIfAbsent(name, n -> factory.compile(n + ".html"));
        StringWriter out = new StringWriter();
        mustache.execute(out, scope);
        return out.toString();
    }

    /** {@code name} rendered as the whole response, with {@code title} added to the scope. */
    public MutableHttpResponse<String> page(HttpStatus status, String name, String title, Map<String, ?> scope) {
        Map<String, Object> all = new HashMap<>(scope);
        all.put("title", title);
        return HttpResponse.<String>status(status).contentType(HTML).body(render(name, all));
    }
}
