package io.offboard.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.ApplicationContext;
import io.offboard.bot.export.ExpiredArchiveCleaner;
import io.offboard.bot.journey.Sweeper;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.local.demo.LocalBot;
import io.offboard.local.demo.SignInClient;
import io.offboard.local.support.BotFixture;
import io.offboard.local.support.ExportComment;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The download link at the HTTP level, with the JDK client and no browser: whoever asks without a session, with a
 * stranger's session, with a forged, unsigned or expired session cookie, or through a tampered sign-in, never gets a
 * presigned URL (nor the S3 endpoint) in any header or body, on any route; an owner who signs in through the GitHub
 * stand-in gets a 302 to a presigned URL valid at most 5 minutes, and the audit log records it by numeric id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DownloadSignInHttpTest {

    private static final String SESSION_SECRET = "download-test-session-secret/at-least-32-bytes-long";
    private static final Pattern EXPIRES = Pattern.compile("X-Amz-Expires=(\\d+)");

    private final HttpClient noCookies = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private BotFixture f;
    private int issue;
    private URI link;
    private String exportId;
    private String sha;
    private String s3Authority;

    @BeforeAll
    void start() throws Exception {
        f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "download-test-secret",
                List.of("alice", "bob", "mallory"), Map.of("offboard.session-secret", SESSION_SECRET));
        issue = f.file("acme", "@alice, @bob", "2027-01-15");
        f.comment(issue, "alice", "/export");
        ExportComment result = ExportComment.of(f.botComment(issue, "is ready"));
        link = result.link();
        exportId = result.exportId();
        sha = result.sha256();
        s3Authority = f.stack.s3Endpoint().getAuthority();
    }

    @AfterAll
    void stop() {
        f.close();
    }

    @Test
    @Order(1)
    void withoutASessionEveryRouteAnswersWithoutAPresignedUrlAndOnlyThePublicOnesServe() throws Exception {
        HttpResponse<String> page = get(link, Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("offboard-acme-").contains(sha)
                .contains(f.id(issue).toString()).contains(" bytes (")
                .contains("href=\"/exports/" + exportId + "/sign-in\"").contains("Sign in with GitHub");
        assertNoStoreNoReferrer(page);

        HttpResponse<String> signIn = get(bot("/exports/" + exportId + "/sign-in"), Map.of());
        assertThat(signIn.statusCode()).as("the sign-in route sends an anonymous caller to GitHub").isEqualTo(303);
        assertThat(signIn.headers().firstValue("Location")).hasValue("/oauth/login/github");
        assertThat(signIn.headers().allValues("Set-Cookie"))
                .anyMatch(c -> c.startsWith("ORIGINAL_URI=/exports/" + exportId + "/sign-in;"));

        HttpResponse<String> health = get(bot("/health"), Map.of());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body().replaceAll("\\s", "")).isEqualTo("{\"status\":\"UP\"}");

        assertThat(get(bot("/metrics"), Map.of()).statusCode()).isEqualTo(401);
        assertThat(get(bot("/metrics/jvm.memory.used"), Map.of()).statusCode()).isEqualTo(401);
        assertThat(get(bot("/no/such/route"), Map.of()).statusCode()).isEqualTo(401);
        assertThat(get(bot("/exports/" + UUID.randomUUID() + "/download"), Map.of()).statusCode()).isEqualTo(404);
        assertThat(get(bot("/oauth/login/github"), Map.of()).headers().firstValue("Location").orElseThrow())
                .as("the login route is public and goes to GitHub's authorize page")
                .startsWith(f.github.webUrl() + "/login/oauth/authorize?");

        for (String path : probes()) {
            for (String accept : List.of("text/html", "application/json", "*/*")) {
                HttpResponse<String> r = get(bot(path), Map.of("Accept", accept));
                assertNoPresignedUrl(r);
                assertThat(r.statusCode()).as("%s (%s) is not served to an anonymous caller", path, accept)
                        .isNotEqualTo(302);
            }
        }
        // a path that would make an open redirect of the return-to cookie: refused, and no cookie is set
        HttpResponse<String> evil = get(bot("//evil.example/exports/" + exportId + "/sign-in"), Map.of());
        assertThat(evil.statusCode()).isNotIn(301, 302, 303, 307, 308);
        assertThat(evil.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("ORIGINAL_URI="));
    }

    @Test
    @Order(2)
    void aStrangerWhoSignsInIsRefusedWithoutAPresignedUrlAndTheRefusalIsAudited(@TempDir Path dir) throws Exception {
        SignInClient mallory = client();
        SignInClient.Outcome outcome = mallory.open(link, "mallory", dir.resolve("never"));

        assertThat(outcome.status()).isEqualTo(403);
        assertThat(outcome.file()).isNull();
        assertThat(outcome.last().body()).contains("signed in as <strong>@mallory</strong>")
                .contains("capability owners of this eviction (@alice, @bob) and the platform's operators");
        outcome.steps().forEach(DownloadSignInHttpTest.this::assertNoPresignedUrl);
        assertNoStoreNoReferrer(outcome.last());
        long malloryId = f.github.userId("mallory");
        assertThat(f.audit(issue)).anyMatch(e -> e.action().equals("export.download-refused")
                && e.actor().equals("mallory (" + malloryId + ")") && e.detail().contains(exportId));

        // the session: a signed cookie, HttpOnly, SameSite=Lax, not Secure over http, an hour at most; no GitHub token
        String session = outcome.steps().stream().flatMap(s -> s.headers().allValues("Set-Cookie").stream())
                .filter(c -> c.startsWith("offboard_session=")).findFirst().orElseThrow();
        assertThat(session).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax")
                .doesNotContainIgnoringCase("Secure");
        assertThat(Long.parseLong(group(Pattern.compile("(?i)Max-Age=(\\d+)"), session))).isBetween(1L, 3600L);
        String jwt = session.substring("offboard_session=".length(), session.indexOf(';'));
        String claims = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"sub\":\"mallory\"").contains("\"github_id\":" + malloryId)
                .doesNotContain("gho_").doesNotContainIgnoringCase("accessToken");

        // the same session elsewhere: nothing more
        for (String path : probes()) {
            SignInClient.Step step = mallory.get(bot(path));
            assertNoPresignedUrl(step);
            assertThat(step.status()).as(path).isNotEqualTo(302);
        }
        assertThat(mallory.get(bot("/metrics")).status()).isEqualTo(403);
        assertThat(mallory.get(link).status()).isEqualTo(403);
        assertThat(f.audit(issue)).as("reloading the refusal does not grow the audit log")
                .filteredOn(e -> e.action().equals("export.download-refused")).hasSize(1);
    }

    @Test
    @Order(3)
    void forgedUnsignedAndExpiredSessionCookiesCountAsNoSession() throws Exception {
        long aliceId = f.github.userId("alice");
        Instant now = Instant.now();
        String forged = jwt("another-secret-that-is-also-32-bytes-or-more", "alice", aliceId, now.plusSeconds(3600));
        String expired = jwt(SESSION_SECRET, "alice", aliceId, now.minusSeconds(60));
        String unsigned = new PlainJWT(claims("alice", aliceId, now.plusSeconds(3600))).serialize();
        for (String cookie : List.of(forged, expired, unsigned, "not-a-jwt")) {
            Map<String, String> headers = Map.of("Cookie", "offboard_session=" + cookie);
            HttpResponse<String> page = get(link, headers);
            assertThat(page.statusCode()).as("the download page as for nobody").isEqualTo(200);
            assertThat(page.body()).contains("Sign in with GitHub");
            assertThat(get(bot("/exports/" + exportId + "/sign-in"), headers).statusCode()).isEqualTo(303);
            for (String path : probes()) {
                HttpResponse<String> r = get(bot(path), headers);
                assertNoPresignedUrl(r);
                assertThat(r.statusCode()).as(path).isNotEqualTo(302);
            }
        }
        // the control: the same cookie signed with the bot's secret and still valid is a session (any replica
        // holding the secret accepts it), so the refusals above are about the signature and the expiry
        HttpResponse<String> valid = get(link, Map.of("Cookie",
                "offboard_session=" + jwt(SESSION_SECRET, "alice", aliceId, now.plusSeconds(600))));
        assertThat(valid.statusCode()).isEqualTo(302);
    }

    @Test
    @Order(4)
    void anOwnerWhoSignsInIsSentToAPresignedUrlValidAtMostFiveMinutesAndItIsAudited(@TempDir Path dir)
            throws Exception {
        SignInClient alice = client();
        SignInClient.Outcome outcome = alice.open(link, "alice", dir.resolve("archive.tar.gz"));

        assertThat(outcome.steps()).extracting(s -> s.method() + " " + s.uri().getPath() + " " + s.status())
                .containsExactly(
                        "GET /exports/" + exportId + "/download 200",
                        "GET /exports/" + exportId + "/sign-in 303",
                        "GET /oauth/login/github 302",
                        "GET /login/oauth/authorize 200",
                        "POST /login/oauth/authorize 302",
                        "GET /oauth/callback/github 303",
                        "GET /exports/" + exportId + "/sign-in 303",
                        "GET /exports/" + exportId + "/download 302");
        SignInClient.Step redirect = outcome.last();
        String location = redirect.location().orElseThrow();
        assertThat(location).contains(s3Authority).contains("X-Amz-Signature=");
        assertThat(Integer.parseInt(group(EXPIRES, location))).isBetween(1, 300);
        assertNoStoreNoReferrer(redirect);
        assertThat(ExportComment.sha256Of(outcome.file())).isEqualTo(sha);
        // the presigned URL appears in that one Location header and nowhere before it
        outcome.steps().subList(0, outcome.steps().size() - 1).forEach(this::assertNoPresignedUrl);
        assertThat(redirect.body()).doesNotContain("X-Amz-");

        long aliceId = f.github.userId("alice");
        assertThat(f.audit(issue)).anyMatch(e -> e.action().equals("export.downloaded")
                && e.actor().equals("alice (" + aliceId + ")") && e.detail().contains(exportId)
                && e.detail().contains(sha) && !e.detail().contains("X-Amz"));

        assertThat(alice.get(bot("/metrics")).status()).as("owners are not operators").isEqualTo(403);
        assertThat(alice.get(bot("/no/such/route")).status()).isIn(401, 403, 404);
    }

    @Test
    @Order(5)
    void anOperatorWhoSignsInMayDownloadAndReadTheMetrics(@TempDir Path dir) throws Exception {
        SignInClient olivia = client();
        SignInClient.Outcome outcome = olivia.open(link, BotFixture.OPERATOR, dir.resolve("archive.tar.gz"));

        assertThat(outcome.last().status()).isEqualTo(302);
        assertThat(ExportComment.sha256Of(outcome.file())).isEqualTo(sha);
        SignInClient.Step metrics = olivia.get(bot("/metrics"));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("\"names\"");
        HttpResponse<String> health = get(bot("/health"), Map.of());
        assertThat(health.body().replaceAll("\\s", "")).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    @Order(6)
    void aTamperedOrForeignStateIsRefusedAndLeavesNoSession(@TempDir Path dir) throws Exception {
        // the state edited on GitHub's page before authorizing
        SignInClient tampered = client().editingForm(fields -> {
            Map<String, String> edited = new HashMap<>(fields);
            String state = fields.get("state");
            edited.put("state", state.substring(0, state.length() / 2) + "A" + state.substring(state.length() / 2 + 1));
            return edited;
        });
        SignInClient.Outcome refused = tampered.open(link, "alice", dir.resolve("never"));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.last().uri().getPath()).isEqualTo("/oauth/callback/github");
        assertThat(refused.last().body()).contains("Sign-in did not complete");
        assertThat(refused.file()).isNull();
        assertThat(sessionCookies(tampered)).isEmpty();
        refused.steps().forEach(this::assertNoPresignedUrl);
        assertThat(tampered.get(link).body()).as("still nobody").contains("Sign in with GitHub");

        // a whole other state, well formed (JSON in Base64) but not the one this browser was given
        SignInClient swapped = client().editingForm(fields -> {
            Map<String, String> edited = new HashMap<>(fields);
            edited.put("state", Base64.getEncoder().encodeToString(
                    ("{\"nonce\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8)));
            return edited;
        });
        assertThat(swapped.open(link, "alice", dir.resolve("never")).status()).isEqualTo(401);
        assertThat(sessionCookies(swapped)).isEmpty();

        // login CSRF: the callback of someone else's sign-in (code and state), opened in another browser
        SignInClient attacker = client().editingForm(fields -> fields);
        List<SignInClient.Step> attackerSteps = new ArrayList<>();
        SignInClient.Step step = attacker.get(bot("/oauth/login/github"));
        attackerSteps.add(step);
        step = attacker.get(URI.create(step.location().orElseThrow()));
        String callback = submitAuthorize(step, "mallory");
        SignInClient victim = client();
        SignInClient.Step landed = victim.get(URI.create(callback));
        assertThat(landed.status()).isEqualTo(401);
        assertThat(sessionCookies(victim)).isEmpty();

        // the right state with a code GitHub never issued (GitHub answers 200 with an error, no token)
        SignInClient.Step forgedCode = attacker.get(URI.create(callback.replaceAll("code=[^&]+", "code=forged")));
        assertThat(forgedCode.status()).isEqualTo(401);
        assertThat(forgedCode.body()).contains("Sign-in did not complete");
        assertThat(sessionCookies(attacker)).isEmpty();
    }

    @Test
    @Order(7)
    void aPlantedReturnToCookieCannotSendTheSignInElsewhere(@TempDir Path dir) throws Exception {
        for (String target : List.of("//evil.example/x", "https://evil.example/x", "/\\evil.example",
                "/metrics", "/exports/" + exportId + "/sign-in/../../../metrics")) {
            SignInClient planted = client();
            HttpCookie cookie = new HttpCookie("ORIGINAL_URI", target);
            cookie.setPath("/");
            planted.cookies().getCookieStore().add(bot("/"), cookie);
            SignInClient.Outcome outcome = planted.open(bot("/oauth/login/github"), "alice", dir.resolve("never"));
            assertThat(outcome.status()).as(target).isEqualTo(200);
            assertThat(outcome.last().body()).contains("You are signed in");
            assertThat(outcome.steps()).allSatisfy(s -> assertThat(s.location().orElse("")).doesNotContain("evil"));
        }
    }

    @Test
    @Order(8)
    void aReplacedArchiveAnswersGoneAndSaysToExportAgain() throws Exception {
        f.comment(issue, "alice", "/export");
        HttpResponse<String> gone = get(link, Map.of());
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.body()).contains("no longer available").contains("Run <code>/export</code> again");
        assertNoPresignedUrl(gone);
        assertNoStoreNoReferrer(gone);
    }

    @Test
    @Order(9)
    void onceThePurgeHasBegunTheLinkSaysTheDataIsGoneEvenToAnOwner() throws Exception {
        URI current = ExportComment.of(f.botComment(issue, "is ready")).link();
        Eviction e = f.eviction(issue);
        f.store().update(e, new Eviction(e.id(), EvictionState.PURGING, e.tenant(), e.owners(), e.evictionDate(),
                e.reason(), e.filedBy(), e.problems(), e.ownerIds(), e.form(), e.formNotes(), e.statusCommentId(),
                e.statusCommentDigest(), e.createdAt(), e.updatedAt(), e.timeline(), e.outbox(), e.revision()));
        String session = jwt(SESSION_SECRET, "alice", f.github.userId("alice"), Instant.now().plusSeconds(600));
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Cookie", "offboard_session=" + session))) {
            HttpResponse<String> gone = get(current, headers);
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(gone.body()).contains("The tenant&#39;s data has been deleted");
            assertNoPresignedUrl(gone);
        }
    }

    @Test
    @Order(0)
    void theCommandsThatServeNoPagesStartWithoutAnySignInSetting() throws Exception {
        Map<String, Object> properties = new HashMap<>(LocalBot.properties(f.stack));
        properties.put("offboard.github.api-url", f.github.apiUrl());
        properties.put("offboard.github.token", LocalBot.GITHUB_TOKEN);
        properties.put("offboard.timers.enabled", "false");
        // what `offboard sweep` starts: no client id, no client secret, no session secret
        try (ApplicationContext context = ApplicationContext.builder().properties(properties)
                .singletons(f.clock).start()) {
            assertThat(context.getBean(Sweeper.class).sweep().ok()).isTrue();
            context.getBean(ExpiredArchiveCleaner.class).deleteExpired();
        }
    }

    // ---- helpers

    private SignInClient client() {
        return new SignInClient(f.bot.url().toString(), f.github.webUrl());
    }

    private URI bot(String path) {
        return URI.create(f.bot.url().toString().replaceAll("/+$", "") + path);
    }

    /** Routes a caller might try: the download's own, management endpoints, library endpoints, unknown ones. */
    private List<String> probes() {
        return List.of("/exports/" + exportId + "/download", "/exports/" + exportId + "/sign-in",
                "/exports/" + exportId + "/download?redirect_uri=https://evil.example",
                "/exports/" + exportId, "/exports/" + UUID.randomUUID() + "/download", "/exports/..%2F..%2Fmetrics/download",
                "/metrics", "/metrics/jvm.memory.used", "/health", "/health/liveness", "/no/such/route", "/",
                "/login", "/logout", "/keys", "/token_info", "/oauth/access_token", "/oauth/callback/github",
                "/routes", "/env", "/beans", "/loggers", "/info", "/stop", "/.well-known/oauth-protected-resource",
                "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server");
    }

    private HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        request.header("Accept", "text/html");
        headers.forEach(request::setHeader);
        return noCookies.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertNoPresignedUrl(HttpResponse<String> r) {
        assertNoPresignedUrl(r.request().method() + " " + r.uri() + "\n" + r.statusCode() + "\n" + r.headers().map()
                + "\n" + r.body());
    }

    private void assertNoPresignedUrl(SignInClient.Step step) {
        assertNoPresignedUrl(step.everything());
    }

    private void assertNoPresignedUrl(String everything) {
        assertThat(everything).doesNotContain("X-Amz-Signature").doesNotContain("X-Amz-Credential")
                .doesNotContain(s3Authority);
    }

    private static void assertNoStoreNoReferrer(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    private static void assertNoStoreNoReferrer(SignInClient.Step step) {
        assertThat(step.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(step.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    private List<HttpCookie> sessionCookies(SignInClient client) {
        return client.cookies().getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("offboard_session")).toList();
    }

    /** Submits the stand-in's authorize page as {@code login}; returns the callback URL it redirects to. */
    private String submitAuthorize(SignInClient.Step page, String login) throws Exception {
        Matcher hidden = Pattern.compile("name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(page.body());
        StringBuilder form = new StringBuilder("login=" + login);
        while (hidden.find()) {
            form.append('&').append(hidden.group(1)).append('=').append(java.net.URLEncoder.encode(
                    hidden.group(2).replace("&#61;", "=").replace("&amp;", "&"), StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = noCookies.send(HttpRequest.newBuilder(URI.create(f.github.webUrl() + "/login/oauth/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(302);
        return r.headers().firstValue("Location").orElseThrow();
    }

    private static JWTClaimsSet claims(String login, long id, Instant expires) {
        return new JWTClaimsSet.Builder().subject(login).claim("github_id", id).claim("roles", List.of())
                .issueTime(Date.from(Instant.now().minusSeconds(5))).notBeforeTime(Date.from(Instant.now().minusSeconds(5)))
                .expirationTime(Date.from(expires)).build();
    }

    private static String jwt(String secret, String login, long id, Instant expires) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(login, id, expires));
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(pattern + " in\n" + text).isTrue();
        return m.group(1);
    }
}
