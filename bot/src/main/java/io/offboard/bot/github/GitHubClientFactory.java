package io.offboard.bot.github;

import io.micronaut.context.annotation.Factory;
import io.offboard.bot.config.GitHubSettings;
import io.micronaut.context.annotation.Context;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import jakarta.inject.Singleton;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.authorization.ImmutableAuthorizationProvider;
import org.kohsuke.github.authorization.OrgAppInstallationAuthorizationProvider;
import org.kohsuke.github.extras.authorization.JWTTokenProvider;

/** Builds the kohsuke client: as a GitHub App (JWT → installation token) or with a plain token. */
@Factory
public class GitHubClientFactory {

    /** Built at start-up, so missing or malformed credentials stop the app with their name instead of a later delivery. */
    @Context
    GitHubAuth gitHubAuth(GitHubSettings settings) throws GeneralSecurityException {
        if (settings.appId() != null && settings.privateKey() != null) {
            if (settings.installationOrg() == null) {
                throw new IllegalStateException(
                        "OFFBOARD_GITHUB_APP_ID is set: also set OFFBOARD_GITHUB_INSTALLATION_ORG to the org the App is installed on");
            }
            JWTTokenProvider jwt = new JWTTokenProvider(settings.appId(), privateKey(settings.privateKey()));
            return new GitHubAuth(new OrgAppInstallationAuthorizationProvider(settings.installationOrg(), jwt));
        }
        if (settings.token() != null) {
            return new GitHubAuth(ImmutableAuthorizationProvider.fromOauthToken(settings.token()));
        }
        throw new IllegalStateException(
                "no GitHub credentials: set OFFBOARD_GITHUB_TOKEN, or OFFBOARD_GITHUB_APP_ID and OFFBOARD_GITHUB_PRIVATE_KEY");
    }

    @Context
    GitHub gitHub(GitHubSettings settings, GitHubAuth auth) throws IOException {
        return new GitHubBuilder().withEndpoint(settings.apiUrl()).withAuthorizationProvider(auth.provider()).build();
    }

    /** The App's own client (JWT), for {@code GET /app} and the App's hook deliveries; empty with token auth. */
    @Singleton
    AppClient appClient(GitHubSettings settings) throws IOException, GeneralSecurityException {
        if (settings.appId() == null || settings.privateKey() == null) {
            return AppClient.none();
        }
        return appClient(settings.apiUrl(), settings.appId(), privateKey(settings.privateKey()));
    }

    /** The App's own client for App {@code appId} signing its JWTs with {@code key} (also for CLI commands). */
    public static AppClient appClient(String apiUrl, String appId, PrivateKey key) throws IOException {
        JWTTokenProvider jwt = new JWTTokenProvider(appId, key);
        return new AppClient(Optional.of(new GitHubBuilder().withEndpoint(apiUrl).withAuthorizationProvider(jwt)
                .build()), Optional.of(jwt));
    }

    /**
     * GitHub hands out App keys as PKCS#1 ("BEGIN RSA PRIVATE KEY"), the JDK reads PKCS#8 only; wrapping the
     * PKCS#1 bytes in the fixed PKCS#8 header avoids pulling in BouncyCastle for one conversion.
     */
    public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(base64);
        if (pkcs1) {
            der = pkcs1ToPkcs8(der);
        }
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = concat(derHeader(0x04, pkcs1.length), pkcs1);
        byte[] body = concat(version, algorithm, octets);
        return concat(derHeader(0x30, body.length), body);
    }

    private static byte[] derHeader(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        }
        if (length < 0x100) {
            return new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        }
        if (length < 0x10000) {
            return new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return new byte[] {(byte) tag, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
