package io.offboard.local.github;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The stand-in's side of GitHub's OAuth web flow: registered OAuth apps (client id, secret, optional callback URL),
 * authorization codes (single use, 10 minutes, bound to the app, the redirect URI, the user and any PKCE challenge)
 * and the user tokens issued for them. Codes expire on the wall clock, not on the simulated one.
 */
final class OAuthApps {

    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    /** GitHub's prefix for OAuth user tokens. */
    static final String TOKEN_PREFIX = "gho_";

    record App(String clientId, String clientSecret, String callbackUrl) {}

    record Grant(String clientId, String redirectUri, String login, String codeChallenge, String challengeMethod,
                 String scope, Instant expiresAt) {}

    /** What the token endpoint answers: a token, or GitHub's error code and description. */
    record Exchange(String token, String scope, String error, String description) {
        static Exchange error(String error, String description) {
            return new Exchange(null, null, error, description);
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, App> apps = new HashMap<>();
    private final Map<String, Grant> codes = new HashMap<>();
    private final Map<String, String> tokens = new HashMap<>();

    synchronized void register(String clientId, String clientSecret, String callbackUrl) {
        apps.put(clientId, new App(clientId, clientSecret, callbackUrl));
    }

    synchronized Optional<App> app(String clientId) {
        return Optional.ofNullable(clientId).map(apps::get);
    }

    /**
     * The redirect URI GitHub would use, or empty if it refuses it: with a registered callback URL the given one
     * must be it or below it (same scheme, host and port); without one it is taken as given.
     */
    static Optional<String> redirectUri(App app, String given) {
        if (given == null || given.isBlank()) {
            return Optional.ofNullable(app.callbackUrl());
        }
        if (!given.startsWith("http://") && !given.startsWith("https://")) {
            return Optional.empty();
        }
        if (app.callbackUrl() == null) {
            return Optional.of(given);
        }
        String callback = app.callbackUrl().replaceAll("/+$", "");
        return given.equals(callback) || given.startsWith(callback + "/") || given.startsWith(callback + "?")
                ? Optional.of(given) : Optional.empty();
    }

    synchronized String issueCode(String clientId, String redirectUri, String login, String codeChallenge,
                                  String challengeMethod, String scope) {
        String code = randomText(20);
        codes.put(code, new Grant(clientId, redirectUri, login, blankToNull(codeChallenge),
                blankToNull(challengeMethod), scope == null ? "" : scope, Instant.now().plus(CODE_LIFETIME)));
        return code;
    }

    /** Exchanges a code once: whatever the outcome, the code is spent. */
    synchronized Exchange exchange(String clientId, String clientSecret, String code, String redirectUri,
                                   String codeVerifier) {
        App app = apps.get(clientId);
        if (app == null || clientSecret == null || !MessageDigest.isEqual(
                app.clientSecret().getBytes(StandardCharsets.UTF_8), clientSecret.getBytes(StandardCharsets.UTF_8))) {
            return Exchange.error("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
        }
        Grant grant = code == null ? null : codes.remove(code);
        if (grant == null || !grant.clientId().equals(clientId) || Instant.now().isAfter(grant.expiresAt())) {
            return Exchange.error("bad_verification_code", "The code passed is incorrect or expired.");
        }
        if (redirectUri != null && !redirectUri.isBlank() && !redirectUri.equals(grant.redirectUri())) {
            return Exchange.error("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.");
        }
        if (grant.codeChallenge() != null && !pkceMatches(grant, codeVerifier)) {
            return Exchange.error("bad_verification_code", "The code_verifier does not match the code_challenge.");
        }
        String token = TOKEN_PREFIX + randomText(27);
        tokens.put(token, grant.login());
        return new Exchange(token, grant.scope(), null, null);
    }

    /** The login an issued token belongs to. */
    synchronized Optional<String> login(String token) {
        return Optional.ofNullable(token).map(tokens::get);
    }

    private static boolean pkceMatches(Grant grant, String verifier) {
        if (verifier == null || verifier.isBlank()) {
            return false;
        }
        if ("plain".equals(grant.challengeMethod())) {
            return verifier.equals(grant.codeChallenge());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).equals(grant.codeChallenge());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomText(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('-', 'x').replace('_', 'y');
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
