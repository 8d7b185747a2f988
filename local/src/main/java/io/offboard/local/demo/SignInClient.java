package io.offboard.local.demo;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person's browser does with a download link, with the JDK HTTP client: keeps cookies, follows redirects
 * one at a time (each is recorded), clicks the download page's "Sign in with GitHub" link and submits the GitHub
 * stand-in's authorize form as a given login. It stops at a page that is none of those, or at a redirect that
 * leaves the bot and the stand-in (the presigned archive URL), which it then fetches to a file without cookies.
 */
public final class SignInClient {

    /** One response on the way, as received. */
    public record Step(String method, URI uri, int status, HttpHeaders headers, String body) {
        public Optional<String> location() {
            return headers.firstValue("Location");
        }

        /** Every header and the body, for asserting what a response never contains. */
        public String everything() {
            return method + " " + uri + "\n" + status + "\n" + headers.map() + "\n" + body;
        }
    }

    /** Where the walk ended: {@code last} is the bot's final answer; {@code file} is set when it was a download. */
    public record Outcome(List<Step> steps, Step last, Path file) {
        public int status() {
            return last.status();
        }
    }

    private static final Pattern SIGN_IN_LINK = Pattern.compile("<a id=\"sign-in\"[^>]*href=\"([^\"]+)\"");
    private static final Pattern AUTHORIZE_FORM = Pattern.compile("<form id=\"authorize-form\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern HIDDEN = Pattern.compile(
            "<input type=\"hidden\" id=\"[^\"]*\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<String> sites;
    private UnaryOperator<Map<String, String>> formEdit = UnaryOperator.identity();

    /** @param sites the origins this client walks within (the bot's and the stand-in's URLs) */
    public SignInClient(String... sites) {
        this.sites = List.of(sites).stream().map(s -> URI.create(s).resolve("/").toString()).toList();
    }

    /** The cookie jar, e.g. to plant or read a cookie. */
    public CookieManager cookies() {
        return cookies;
    }

    /** Changes the authorize form's fields before it is submitted, as a person editing the page could. */
    public SignInClient editingForm(UnaryOperator<Map<String, String>> edit) {
        this.formEdit = edit;
        return this;
    }

    /** Opens {@code link} and walks on, signing in as {@code login} when asked to; a download lands in {@code file}. */
    public Outcome open(URI link, String login, Path file) throws IOException, InterruptedException {
        List<Step> steps = new ArrayList<>();
        Step step = get(link);
        steps.add(step);
        for (int hops = 0; hops < 20; hops++) {
            Optional<String> location = step.location();
            if (step.status() / 100 == 3 && location.isPresent()) {
                URI next = step.uri().resolve(location.get());
                if (!within(next)) {
                    // the presigned URL: the archive itself, fetched without the bot's cookies
                    HttpResponse<Path> archive = plain.send(HttpRequest.newBuilder(next).build(),
                            HttpResponse.BodyHandlers.ofFile(file));
                    if (archive.statusCode() != 200) {
                        throw new IOException("the archive URL answered " + archive.statusCode());
                    }
                    return new Outcome(steps, step, file);
                }
                step = get(next);
            } else if (step.status() == 200 && SIGN_IN_LINK.matcher(step.body()).find()) {
                Matcher m = SIGN_IN_LINK.matcher(step.body());
                m.find();
                step = get(step.uri().resolve(unescape(m.group(1))));
            } else if (step.status() == 200 && AUTHORIZE_FORM.matcher(step.body()).find()) {
                step = authorize(step, login);
            } else {
                return new Outcome(steps, step, null);
            }
            steps.add(step);
        }
        throw new IOException("more than 20 steps from " + link);
    }

    public Step get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        return new Step("GET", uri, r.statusCode(), r.headers(), r.body());
    }

    private Step authorize(Step page, String login) throws IOException, InterruptedException {
        Matcher action = AUTHORIZE_FORM.matcher(page.body());
        action.find();
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(page.body());
        while (hidden.find()) {
            fields.put(hidden.group(1), unescape(hidden.group(2)));
        }
        fields.put("login", login);
        fields = formEdit.apply(fields);
        StringBuilder form = new StringBuilder();
        fields.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        URI target = page.uri().resolve(unescape(action.group(1)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(target)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Step("POST", target, r.statusCode(), r.headers(), r.body());
    }

    private boolean within(URI uri) {
        String origin = uri.resolve("/").toString();
        return sites.contains(origin);
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#61;", "=").replace("&#96;", "`").replace("&amp;", "&");
    }
}
