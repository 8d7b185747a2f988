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
 * unlabel, close, dispatch) plus their obvious read-backs. Anything else answers GitHub's 404.
 * Every change is made as the token's identity, {@link GitHubState#bot()}.
 */
final class GitHubApi implements ResponseDefinitionTransformerV2 {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GitHubApi.class);

    static final String NAME = "github-stand-in";

    private static final int DEFAULT_PAGE_SIZE = 30;
    private static final int MAX_PAGE_SIZE = 100;

    private final GitHubState state;
    private final List<Route> routes;
    // Known only once WireMock has bound its port, which happens after the extension is registered.
    private volatile String baseUrl;
    private volatile GitHubJson json;

    GitHubApi(GitHubState state) {
        this.state = state;
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
                route("GET", "/repos/{owner}/{repo}/issues/{number}", c -> ok(json.issue(issue(c)))),
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
                // the bot's token stands for a machine user (the bot's account): GET /user tells who it is
                route("GET", "/user", c -> ok(json.fullUser(state.bot()))),
                route("GET", "/users/{login}", c -> ok(json.fullUser(state.account(c.param("login"))))),
                route("GET", "/orgs/{org}", c -> ok(json.organization(state.organization(c.param("org"))))),
                route("GET", "/orgs/{org}/members/{login}", this::organizationMember),
                route("GET", "/orgs/{org}/teams/{slug}", c -> ok(team(teamBySlug(c)))),
                route("GET", "/orgs/{org}/teams/{slug}/members", c -> ok(members(teamBySlug(c)))),
                route("GET", "/orgs/{org}/teams/{slug}/memberships/{login}", c -> membership(teamBySlug(c), c)),
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
                    return route.handler()
                            .handle(new Call(params.get(), parameters, request.getBodyAsString(), pathOf(url)))
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

    private Reply listComments(Call c) {
        StoredIssue issue = issue(c);
        Instant since = c.query("since").map(GitHubApi::instant).orElse(Instant.MIN);
        List<StoredComment> all = state.comments(c.repo(), issue.number()).stream()
                .filter(comment -> !comment.updatedAt().isBefore(since))
                .toList();
        int perPage = Math.max(1, Math.min(MAX_PAGE_SIZE,
                c.query("per_page").map(GitHubApi::integer).orElse(DEFAULT_PAGE_SIZE)));
        int page = Math.max(1, c.query("page").map(GitHubApi::integer).orElse(1));
        int lastPage = Math.max(1, (all.size() + perPage - 1) / perPage);
        ArrayNode array = GitHubJson.MAPPER.createArrayNode();
        all.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(comment -> array.add(json.comment(comment)));
        Map<String, String> headers = new LinkedHashMap<>();
        if (lastPage > 1) {
            headers.put("Link", links(c, page, lastPage, perPage));
        }
        return new Reply(200, GitHubJson.write(array), headers);
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
        if (!state.isTeamMember(team, member.login())) {
            throw ApiException.notFound(member.login() + " is not a member of team " + team.slug());
        }
        return ok(json.membership(team, member));
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

    private String link(Call c, int page, int perPage, String rel) {
        String since = c.query("since").map(s -> "&since=" + s).orElse("");
        return "<" + baseUrl + c.path() + "?per_page=" + perPage + since + "&page=" + page + ">; rel=\"" + rel + "\"";
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

    private record Call(Map<String, String> params, Map<String, String> query, String body, String path) {
        String param(String name) {
            return params.get(name);
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
                builder.withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
            }
            return builder.build();
        }
    }
}
