package io.offboard.local.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.offboard.local.github.GitHubState.Account;
import io.offboard.local.github.GitHubState.ReactionResult;
import io.offboard.local.github.GitHubState.StoredComment;
import io.offboard.local.github.GitHubState.StoredIssue;
import io.offboard.local.github.GitHubState.Team;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The REST routes of the GitHub stand-in: one WireMock transformer behind a single catch-all stub, so
 * the answers come from {@link GitHubState} and every request still lands in WireMock's journal.
 *
 * <p>The routes are the ones kohsuke {@code github-api} 1.330 calls for what the bot does (read a
 * repository, issue, user, organisation, team and membership; comment, edit a comment, react, label,
 * unlabel, close, dispatch) plus their obvious read-backs, GitHub's OAuth web flow (the authorize page, the
 * code-for-token exchange, {@code GET /user} for the tokens it issued) and the App's webhook deliveries (list, redeliver;
 * JWT only). Anything else answers GitHub's 404.
 * Every change is made as the bot token's identity, {@link GitHubState#bot()}.
 */
final class GitHubApi implements ResponseDefinitionTransformerV2 {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GitHubApi.class);

    static final String NAME = "github-stand-in";

    private static final int DEFAULT_PAGE_SIZE = 30;
    private static final int MAX_PAGE_SIZE = 100;

    private final GitHubState state;
    private final OAuthApps oauth;
    private final AppWebhook appWebhook;
    private final List<Route> routes;
    // Known only once WireMock has bound its port, which happens after the extension is registered.
    private volatile String baseUrl;
    private volatile GitHubJson json;

    GitHubApi(GitHubState state, OAuthApps oauth, AppWebhook appWebhook) {
        this.state = state;
        this.oauth = oauth;
        this.appWebhook = appWebhook;
        // Literal segments are listed before placeholders that could also match them
        // (".../issues/comments/{id}" before ".../issues/{number}/...").
        this.routes = List.of(
                route("GET", "/repos/{owner}/{repo}", this::getRepository),
                route("POST", "/repos/{owner}/{repo}/dispatches", this::dispatch),
                route("GET", "/repos/{owner}/{repo}/issues/comments/{id}", c -> ok(json.comment(comment(c)))),
                route("PATCH", "/repos/{owner}/{repo}/issues/comments/{id}", this::editComment),
                route("GET", "/repos/{owner}/{repo}/issues/comments/{id}/reactions",
                        c -> ok(reactions(comment(c).reactions(), c))),
                route("POST", "/repos/{owner}/{repo}/issues/comments/{id}/reactions", this::reactToComment),
                route("DELETE", "/repos/{owner}/{repo}/issues/comments/{id}/reactions/{reaction}",
                        this::deleteCommentReaction),
                route("GET", "/repos/{owner}/{repo}/issues", this::listIssues),
                route("GET", "/repos/{owner}/{repo}/issues/{number}", c -> ok(json.issue(issue(c)))),
                route("GET", "/repos/{owner}/{repo}/issues/{number}/events", this::listEvents),
                route("PATCH", "/repos/{owner}/{repo}/issues/{number}", this::editIssue),
                route("GET", "/repos/{owner}/{repo}/issues/{number}/comments", this::listComments),
                route("POST", "/repos/{owner}/{repo}/issues/{number}/comments", this::addComment),
                route("GET", "/repos/{owner}/{repo}/issues/{number}/labels",
                        c -> ok(json.labels(issue(c).repo(), issue(c).labels()))),
                route("POST", "/repos/{owner}/{repo}/issues/{number}/labels", this::addLabels),
                route("PUT", "/repos/{owner}/{repo}/issues/{number}/labels", this::setLabels),
                route("DELETE", "/repos/{owner}/{repo}/issues/{number}/labels/{name}", this::removeLabel),
                route("GET", "/repos/{owner}/{repo}/issues/{number}/reactions",
                        c -> ok(reactions(issue(c).reactions(), c))),
                route("POST", "/repos/{owner}/{repo}/issues/{number}/reactions", this::reactToIssue),
                // the bot's token stands for a machine user (the bot's account): GET /user tells who it is; a token
                // issued through the OAuth web flow stands for the user who signed in
                route("GET", "/user", this::currentUser),
                // GitHub's OAuth web flow, served under the web URL (the same server here)
                route("GET", "/login/oauth/authorize", this::authorizePage),
                route("POST", "/login/oauth/authorize", this::authorize),
                route("POST", "/login/oauth/access_token", this::accessToken),
                route("GET", "/users/{login}", c -> ok(json.fullUser(state.account(c.param("login"))))),
                route("GET", "/orgs/{org}", c -> ok(json.organization(state.organization(c.param("org"))))),
                route("GET", "/orgs/{org}/members/{login}", this::organizationMember),
                route("GET", "/orgs/{org}/teams/{slug}", c -> ok(team(teamBySlug(c)))),
                route("GET", "/orgs/{org}/teams/{slug}/members", c -> ok(members(teamBySlug(c)))),
                route("GET", "/orgs/{org}/teams/{slug}/memberships/{login}", c -> membership(teamBySlug(c), c)),
                // the App's own webhook log: its JWT only
                route("GET", "/app/hook/deliveries", this::listHookDeliveries),
                route("POST", "/app/hook/deliveries/{id}/attempts", this::redeliver),
                route("GET", "/organizations/{orgId}/team/{teamId}/members", c -> ok(members(teamById(c)))),
                route("GET", "/organizations/{orgId}/team/{teamId}/memberships/{login}",
                        c -> membership(teamById(c), c)));
    }

    /** Sets where the API is served; every {@code url} in a response points there. */
    void serveAt(String baseUrl, GitHubJson json) {
        this.baseUrl = baseUrl;
        this.json = json;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    /**
     * GitHub's answer to the request. A delay the matched stub asks for (a test's own stub naming this transformer,
     * e.g. a slow GitHub) is kept.
     */
    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        ResponseDefinition answer = answer(serveEvent);
        Integer delay = serveEvent.getResponseDefinition() == null ? null
                : serveEvent.getResponseDefinition().getFixedDelayMilliseconds();
        return delay == null ? answer : ResponseDefinitionBuilder.like(answer).withFixedDelay(delay).build();
    }

    private ResponseDefinition answer(ServeEvent serveEvent) {
        var request = serveEvent.getRequest();
        String url = request.getUrl();
        int query = url.indexOf('?');
        List<String> segments = segments(query < 0 ? url : url.substring(0, query));
        Map<String, String> parameters = queryParameters(query < 0 ? "" : url.substring(query + 1));
        String method = request.getMethod().getName();
        try {
            for (Route route : routes) {
                Optional<Map<String, String>> params = route.match(method, segments);
                if (params.isPresent()) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    for (String name : List.of("Authorization", "Accept", "Content-Type")) {
                        if (request.containsHeader(name)) {
                            headers.put(name.toLowerCase(java.util.Locale.ROOT), request.getHeader(name));
                        }
                    }
                    return route.handler()
                            .handle(new Call(params.get(), parameters, request.getBodyAsString(), pathOf(url),
                                    headers, query < 0 ? "" : url.substring(query + 1)))
                            .toResponse();
                }
            }
            return error(ApiException.notFound("no route " + method + " " + url)).toResponse();
        } catch (ApiException e) {
            return error(e).toResponse();
        } catch (RuntimeException e) {
            // A bug in the stand-in, not a GitHub answer: make it loud in the log and in the caller's exception.
            LOG.error("GitHub stand-in failed on {} {}", method, url, e);
            return new Reply(500, errorBody("GitHub stand-in failed on " + method + " " + url + ": " + e), Map.of())
                    .toResponse();
        }
    }

    // ---- handlers -----------------------------------------------------------------------------

    private Reply getRepository(Call c) {
        var repo = state.repository(c.repo());
        return ok(json.repository(repo, state.openIssueCount(repo)));
    }

    private Reply dispatch(Call c) {
        JsonNode body = c.json();
        JsonNode eventType = body.path("event_type");
        if (!eventType.isTextual() || eventType.asText().isEmpty() || eventType.asText().length() > 100) {
            throw ApiException.validation("event_type must be a string of 1 to 100 characters");
        }
        JsonNode payload = body.path("client_payload");
        if (!payload.isMissingNode() && !payload.isNull() && !payload.isObject()) {
            throw ApiException.validation("client_payload must be an object");
        }
        state.dispatch(c.repo(), eventType.asText(), payload.isObject() ? GitHubJson.write(payload) : "{}");
        return new Reply(204, null, Map.of());
    }

    private Reply editIssue(Call c) {
        JsonNode body = c.json();
        List<String> labels = body.has("labels") ? labelNames(body.get("labels")) : null;
        StoredIssue after = state.editIssue(c.repo(), c.number(), state.bot().login(),
                text(body, "title"), text(body, "body"), text(body, "state"), text(body, "state_reason"), labels)
                .after();
        return ok(json.issue(after));
    }

    private Reply listIssues(Call c) {
        String wanted = c.query("state").orElse("open");
        List<StoredIssue> all = state.issues(c.repo(), wanted, c.query("labels").orElse(null));
        return page(c, all.stream().map(json::issue).toList());
    }

    private Reply listEvents(Call c) {
        StoredIssue issue = issue(c);
        return page(c, state.events(c.repo(), issue.number()).stream()
                .map(event -> json.issueEvent(issue, event)).toList());
    }

    /** The page size a list request asks for: per_page, 30 by default, at most 100. */
    private static int perPage(Call c) {
        return Math.max(1, Math.min(MAX_PAGE_SIZE, c.query("per_page").map(GitHubApi::integer).orElse(DEFAULT_PAGE_SIZE)));
    }

    /** One page of {@code items} as GitHub pages a list: per_page (30, at most 100), page, a Link header. */
    private Reply page(Call c, List<? extends com.fasterxml.jackson.databind.JsonNode> items) {
        int perPage = perPage(c);
        int page = Math.max(1, c.query("page").map(GitHubApi::integer).orElse(1));
        int lastPage = Math.max(1, (items.size() + perPage - 1) / perPage);
        ArrayNode array = GitHubJson.MAPPER.createArrayNode();
        items.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(array::add);
        Map<String, String> headers = new LinkedHashMap<>();
        if (lastPage > 1) {
            headers.put("Link", links(c, page, lastPage, perPage));
        }
        return new Reply(200, GitHubJson.write(array), headers);
    }

    private Reply listComments(Call c) {
        StoredIssue issue = issue(c);
        Instant since = c.query("since").map(GitHubApi::instant).orElse(Instant.MIN);
        return page(c, state.comments(c.repo(), issue.number()).stream()
                .filter(comment -> !comment.updatedAt().isBefore(since))
                .map(json::comment).toList());
    }

    private Reply addComment(Call c) {
        String body = text(c.json(), "body");
        if (body == null) {
            throw ApiException.validation("\"body\" wasn't supplied");
        }
        ObjectNode comment = json.comment(state.addComment(c.repo(), c.number(), state.bot().login(), body));
        return new Reply(201, GitHubJson.write(comment), Map.of("Location", comment.get("url").asText()));
    }

    private Reply editComment(Call c) {
        String body = text(c.json(), "body");
        if (body == null) {
            throw ApiException.validation("\"body\" wasn't supplied");
        }
        return ok(json.comment(state.editComment(c.repo(), c.id("id"), body).after()));
    }

    private Reply addLabels(Call c) {
        JsonNode body = c.json();
        List<String> names = labelNames(body.isArray() ? body : body.path("labels"));
        StoredIssue issue = state.addLabels(c.repo(), c.number(), state.bot().login(), names).issue();
        return ok(json.labels(issue.repo(), issue.labels()));
    }

    private Reply setLabels(Call c) {
        JsonNode body = c.json();
        List<String> names = labelNames(body.isArray() ? body : body.path("labels"));
        StoredIssue issue = state.editIssue(c.repo(), c.number(), state.bot().login(), null, null, null, null, names)
                .after();
        return ok(json.labels(issue.repo(), issue.labels()));
    }

    private Reply removeLabel(Call c) {
        StoredIssue issue = state.removeLabel(c.repo(), c.number(), state.bot().login(), c.param("name"));
        return ok(json.labels(issue.repo(), issue.labels()));
    }

    private Reply reactToComment(Call c) {
        return reaction(state.reactToComment(c.repo(), c.id("id"), state.bot().login(), text(c.json(), "content")));
    }

    private Reply reactToIssue(Call c) {
        return reaction(state.reactToIssue(c.repo(), c.number(), state.bot().login(), text(c.json(), "content")));
    }

    private Reply deleteCommentReaction(Call c) {
        state.deleteCommentReaction(c.repo(), c.id("id"), c.id("reaction"));
        return new Reply(204, null, Map.of());
    }

    private Reply organizationMember(Call c) {
        state.organization(c.param("org"));
        if (!state.isOrganizationMember(c.param("org"), c.param("login"))) {
            throw ApiException.notFound(c.param("login") + " is not a member of " + c.param("org"));
        }
        return new Reply(204, null, Map.of());
    }

    private Reply membership(Team team, Call c) {
        Account member = state.account(c.param("login"));
        if (state.isInvitedToTeam(team, member.login()) && !state.isTeamMember(team, member.login())) {
            // as GitHub: an invitation not accepted yet is a membership in state "pending"
            return ok(json.membership(team, member).put("state", "pending"));
        }
        if (!state.isTeamMember(team, member.login())) {
            throw ApiException.notFound(member.login() + " is not a member of team " + team.slug());
        }
        return ok(json.membership(team, member));
    }

    // ---- the App's webhook deliveries ---------------------------------------------------------

    /** {@code GET /app/hook/deliveries}: newest first, paged by an opaque {@code cursor} named in the Link header. */
    private Reply listHookDeliveries(Call c) {
        requireJwt(c);
        List<HookDelivery> all = appWebhook.deliveries();
        int perPage = perPage(c);
        int from = 0;
        Optional<String> cursor = c.query("cursor");
        if (cursor.isPresent()) {
            long id = cursor.get().startsWith("v1_") ? cursorId(cursor.get()) : -1;
            from = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id() == id) {
                    from = i;
                }
            }
            if (from < 0) {
                throw new ApiException(400, "Invalid cursor", cursor.get() + " names no delivery of this App");
            }
        }
        ArrayNode array = GitHubJson.MAPPER.createArrayNode();
        all.stream().skip(from).limit(perPage).forEach(d -> array.add(json.hookDelivery(d)));
        Map<String, String> headers = new LinkedHashMap<>();
        if (from + perPage < all.size()) {
            headers.put("Link", "<" + baseUrl + "/app/hook/deliveries?per_page=" + perPage + "&cursor=v1_"
                    + all.get(from + perPage).id() + ">; rel=\"next\"");
        }
        return new Reply(200, GitHubJson.write(array), headers);
    }

    /** {@code POST /app/hook/deliveries/{id}/attempts}: sends the event again (before answering, unlike GitHub). */
    private Reply redeliver(Call c) {
        requireJwt(c);
        appWebhook.redeliver(c.id("id"));
        return new Reply(202, "{}", Map.of());
    }

    private static long cursorId(String cursor) {
        try {
            return Long.parseLong(cursor.substring(3));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The App's routes take {@code Authorization: Bearer <JWT>} and nothing else, as GitHub does; a token (the bot's
     * installation or personal token) is refused with GitHub's 401. The stand-in checks only that it is shaped like a
     * JWT (three parts, a header naming an algorithm): it holds no App public key and does not verify signatures.
     */
    private static void requireJwt(Call c) {
        String authorization = c.headers().get("authorization");
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        if (!bearer || !looksLikeJwt(authorization.substring(7).trim())) {
            throw new ApiException(401, "A JSON web token could not be decoded",
                    "the App's routes need Authorization: Bearer <the App's JWT>");
        }
    }

    private static boolean looksLikeJwt(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        try {
            return GitHubJson.MAPPER.readTree(java.util.Base64.getUrlDecoder().decode(parts[0])).path("alg").isTextual();
        } catch (IllegalArgumentException | java.io.IOException e) {
            return false;
        }
    }

    // ---- the OAuth web flow -------------------------------------------------------------------

    private Reply currentUser(Call c) {
        String token = c.token();
        if (token != null && token.startsWith(OAuthApps.TOKEN_PREFIX)) {
            String login = oauth.login(token).orElseThrow(() -> new ApiException(401, "Bad credentials",
                    "the token was not issued by the stand-in's OAuth flow"));
            return ok(json.fullUser(state.account(login)));
        }
        return ok(json.fullUser(state.bot()));
    }

    /** {@code GET /login/oauth/authorize}: the page where a person says who they are and authorizes the app. */
    private Reply authorizePage(Call c) {
        Map<String, String> p = formParameters(c.rawQuery());
        Optional<OAuthApps.App> app = oauth.app(p.get("client_id"));
        if (app.isEmpty()) {
            return page(404, "Not found", "<p id=\"error\">No OAuth app with client_id <code>"
                    + html(p.getOrDefault("client_id", "")) + "</code> is registered with this stand-in.</p>");
        }
        Optional<String> redirect = OAuthApps.redirectUri(app.get(), p.get("redirect_uri"));
        if (redirect.isEmpty()) {
            return page(400, "Redirect URI mismatch", "<p id=\"error\">The redirect_uri is not this app's"
                    + " callback URL.</p>");
        }
        StringBuilder form = new StringBuilder();
        form.append("<p>Authorize <strong>").append(html(app.get().clientId()))
                .append("</strong> to know who you are on GitHub.</p>\n")
                .append("<form id=\"authorize-form\" method=\"post\" action=\"/login/oauth/authorize\">\n");
        for (String name : List.of("client_id", "redirect_uri", "state", "scope", "code_challenge",
                "code_challenge_method")) {
            String value = name.equals("redirect_uri") ? redirect.get() : p.get(name);
            if (value != null) {
                form.append("<input type=\"hidden\" id=\"").append(name).append("\" name=\"").append(name)
                        .append("\" value=\"").append(html(value)).append("\">\n");
            }
        }
        form.append("<label for=\"login\">Username</label>\n")
                .append("<input type=\"text\" id=\"login\" name=\"login\" autocomplete=\"username\" autofocus>\n")
                .append("<button type=\"submit\" id=\"authorize\">Authorize</button>\n</form>");
        return page(200, "Sign in to GitHub (stand-in)", form.toString());
    }

    /** The authorize form's submission: a single-use code for that user, back to the app's redirect URI. */
    private Reply authorize(Call c) {
        Map<String, String> p = formParameters(c.body());
        Optional<OAuthApps.App> app = oauth.app(p.get("client_id"));
        if (app.isEmpty()) {
            return page(404, "Not found", "<p id=\"error\">No OAuth app with this client_id.</p>");
        }
        Optional<String> redirect = OAuthApps.redirectUri(app.get(), p.get("redirect_uri"));
        if (redirect.isEmpty()) {
            return page(400, "Redirect URI mismatch", "<p id=\"error\">The redirect_uri is not this app's"
                    + " callback URL.</p>");
        }
        String login = p.getOrDefault("login", "").trim();
        Account user;
        try {
            user = login.isEmpty() ? null : state.account(login);
        } catch (ApiException unknown) {
            user = null;
        }
        if (user == null || user.isOrganization() || user.equals(state.bot())) {
            return page(404, "Sign in to GitHub (stand-in)", "<p id=\"error\">There is no user <code>" + html(login)
                    + "</code> in this GitHub stand-in.</p>");
        }
        String code = oauth.issueCode(app.get().clientId(), redirect.get(), user.login(), p.get("code_challenge"),
                p.get("code_challenge_method"), p.get("scope"));
        StringBuilder location = new StringBuilder(redirect.get())
                .append(redirect.get().contains("?") ? '&' : '?').append("code=").append(formEncode(code));
        if (p.get("state") != null) {
            location.append("&state=").append(formEncode(p.get("state")));
        }
        return new Reply(302, null, Map.of("Location", location.toString()));
    }

    /**
     * {@code POST /login/oauth/access_token}: a code for a token, as GitHub does it: client credentials by Basic
     * auth or in the form, answers (errors too) with 200, JSON when asked for, else form-encoded.
     */
    private Reply accessToken(Call c) {
        Map<String, String> p = new LinkedHashMap<>(formParameters(c.rawQuery()));
        String contentType = c.headers().getOrDefault("content-type", "");
        if (contentType.contains("json")) {
            c.json().fields().forEachRemaining(f -> p.put(f.getKey(), f.getValue().asText()));
        } else {
            p.putAll(formParameters(c.body()));
        }
        String clientId = p.get("client_id");
        String clientSecret = p.get("client_secret");
        String authorization = c.headers().get("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            clientId = URLDecoder.decode(pair.substring(0, Math.max(colon, 0)), StandardCharsets.UTF_8);
            clientSecret = colon < 0 ? null : URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
        }
        OAuthApps.Exchange exchange = oauth.exchange(clientId, clientSecret, p.get("code"), p.get("redirect_uri"),
                p.get("code_verifier"));
        Map<String, String> answer = new LinkedHashMap<>();
        if (exchange.token() != null) {
            answer.put("access_token", exchange.token());
            answer.put("token_type", "bearer");
            answer.put("scope", exchange.scope());
        } else {
            answer.put("error", exchange.error());
            answer.put("error_description", exchange.description());
            answer.put("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors");
        }
        if (c.headers().getOrDefault("accept", "").contains("application/json")) {
            ObjectNode node = GitHubJson.MAPPER.createObjectNode();
            answer.forEach(node::put);
            return ok(node);
        }
        StringBuilder form = new StringBuilder();
        answer.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(k).append('=').append(formEncode(v)));
        return new Reply(200, form.toString(), Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"));
    }

    private static Reply page(int status, String title, String body) {
        String html = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" + html(title)
                + "</title></head>\n<body>\n<h1>" + html(title) + "</h1>\n" + body + "\n</body>\n</html>\n";
        return new Reply(status, html, Map.of("Content-Type", "text/html; charset=utf-8"));
    }

    static String html(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    /** {@code application/x-www-form-urlencoded} (a form body or a query string): '+' is a space. */
    private static Map<String, String> formParameters(String text) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (text == null) {
            return parameters;
        }
        for (String pair : text.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                parameters.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static String formEncode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // ---- lookups and rendering ----------------------------------------------------------------

    private StoredIssue issue(Call c) {
        return state.issue(c.repo(), c.number());
    }

    private StoredComment comment(Call c) {
        return state.comment(c.repo(), c.id("id"));
    }

    private Team teamBySlug(Call c) {
        state.organization(c.param("org"));
        return state.team(c.param("org"), c.param("slug"));
    }

    private Team teamById(Call c) {
        return state.team(c.id("orgId"), c.id("teamId"));
    }

    private ObjectNode team(Team team) {
        return json.team(team, state.teamMembers(team).size());
    }

    private ArrayNode members(Team team) {
        ArrayNode array = GitHubJson.MAPPER.createArrayNode();
        state.teamMembers(team).forEach(member -> array.add(json.user(member)));
        return array;
    }

    private ArrayNode reactions(List<GitHubState.Reaction> reactions, Call c) {
        ArrayNode array = GitHubJson.MAPPER.createArrayNode();
        Optional<String> content = c.query("content");
        reactions.stream()
                .filter(r -> content.isEmpty() || content.get().equals(r.content()))
                .forEach(r -> array.add(json.reaction(r)));
        return array;
    }

    private Reply reaction(ReactionResult result) {
        // GitHub answers 200 with the existing reaction when the same user already reacted the same way.
        return new Reply(result.created() ? 201 : 200, GitHubJson.write(json.reaction(result.reaction())), Map.of());
    }

    private String links(Call c, int page, int lastPage, int perPage) {
        List<String> links = new ArrayList<>();
        if (page < lastPage) {
            links.add(link(c, page + 1, perPage, "next"));
            links.add(link(c, lastPage, perPage, "last"));
        }
        if (page > 1) {
            links.add(link(c, 1, perPage, "first"));
            links.add(link(c, page - 1, perPage, "prev"));
        }
        return String.join(", ", links);
    }

    /** A page's link: the request's own parameters (state, labels, since, ...) as it wrote them, with its page. */
    private String link(Call c, int page, int perPage, String rel) {
        StringBuilder query = new StringBuilder("per_page=").append(perPage);
        for (String part : c.rawQuery() == null ? new String[0] : c.rawQuery().split("&")) {
            String name = part.split("=", 2)[0];
            if (!part.isEmpty() && !name.equals("per_page") && !name.equals("page")) {
                query.append('&').append(part);
            }
        }
        return "<" + baseUrl + c.path() + "?" + query + "&page=" + page + ">; rel=\"" + rel + "\"";
    }

    private static Reply ok(JsonNode body) {
        return new Reply(200, GitHubJson.write(body), Map.of());
    }

    private static Reply error(ApiException e) {
        return new Reply(e.status(), errorBody(e.githubMessage(), e.status(), e.getMessage()), Map.of());
    }

    private static String errorBody(String message) {
        return errorBody(message, 500, null);
    }

    private static String errorBody(String message, int status, String detail) {
        ObjectNode node = GitHubJson.MAPPER.createObjectNode().put("message", message);
        if (status == 422 && detail != null) {
            node.putArray("errors").addObject().put("code", "invalid").put("message", detail);
        }
        node.put("documentation_url", "https://docs.github.com/rest").put("status", Integer.toString(status));
        return GitHubJson.write(node);
    }

    private static List<String> labelNames(JsonNode labels) {
        if (!labels.isArray()) {
            throw ApiException.validation("labels must be an array of names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode label : labels) {
            String name = label.isTextual() ? label.asText() : label.path("name").asText(null);
            if (name == null || name.isBlank()) {
                throw ApiException.validation("every label needs a name");
            }
            names.add(name);
        }
        return names;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(422, "Invalid time " + value, "since must be an ISO 8601 timestamp");
        }
    }

    private static int integer(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ApiException(422, "Invalid number " + value, value + " is not a number");
        }
    }

    private static String pathOf(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(decode(raw));
            }
        }
        return segments;
    }

    private static Map<String, String> queryParameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                parameters.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return parameters;
    }

    /** Percent-decoding without URLDecoder's "+ means space", which holds for forms, not paths. */
    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Route route(String method, String pattern, Handler handler) {
        return new Route(method, segments(pattern), handler);
    }

    // ---- routing types ------------------------------------------------------------------------

    @FunctionalInterface
    private interface Handler {
        Reply handle(Call call);
    }

    private record Route(String method, List<String> pattern, Handler handler) {
        Optional<Map<String, String>> match(String requestMethod, List<String> segments) {
            if (!method.equals(requestMethod) || pattern.size() != segments.size()) {
                return Optional.empty();
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < pattern.size(); i++) {
                String expected = pattern.get(i);
                if (expected.startsWith("{")) {
                    params.put(expected.substring(1, expected.length() - 1), segments.get(i));
                } else if (!expected.equals(segments.get(i))) {
                    return Optional.empty();
                }
            }
            return Optional.of(params);
        }
    }

    /** @param headers Authorization, Accept and Content-Type when present, by lower-case name */
    private record Call(Map<String, String> params, Map<String, String> query, String body, String path,
                        Map<String, String> headers, String rawQuery) {
        String param(String name) {
            return params.get(name);
        }

        /** The token of {@code Authorization: token X} or {@code Authorization: Bearer X}. */
        String token() {
            String authorization = headers.get("authorization");
            if (authorization == null) {
                return null;
            }
            int space = authorization.indexOf(' ');
            return space < 0 ? authorization.trim() : authorization.substring(space + 1).trim();
        }

        Optional<String> query(String name) {
            return Optional.ofNullable(query.get(name));
        }

        String repo() {
            return param("owner") + "/" + param("repo");
        }

        int number() {
            try {
                return Integer.parseInt(param("number"));
            } catch (NumberFormatException e) {
                throw ApiException.notFound(param("number") + " is not an issue number");
            }
        }

        long id(String name) {
            try {
                return Long.parseLong(param(name));
            } catch (NumberFormatException e) {
                throw ApiException.notFound(param(name) + " is not an id");
            }
        }

        JsonNode json() {
            if (body == null || body.isBlank()) {
                return GitHubJson.MAPPER.createObjectNode();
            }
            try {
                return GitHubJson.MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new ApiException(400, "Problems parsing JSON", "request body is not JSON: " + e.getOriginalMessage());
            }
        }
    }

    private record Reply(int status, String body, Map<String, String> headers) {
        ResponseDefinition toResponse() {
            ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.responseDefinition()
                    .withStatus(status)
                    .withHeader("X-GitHub-Api-Version-Selected", "2022-11-28")
                    .withHeader("X-GitHub-Media-Type", "github.v3; format=json")
                    .withHeader("X-GitHub-Request-Id", UUID.randomUUID().toString());
            headers.forEach(builder::withHeader);
            if (body != null) {
                if (!headers.containsKey("Content-Type")) {
                    builder.withHeader("Content-Type", "application/json; charset=utf-8");
                }
                builder.withBody(body);
            }
            return builder.build();
        }
    }
}
