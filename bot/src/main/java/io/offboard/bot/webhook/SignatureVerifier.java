package io.offboard.bot.webhook;

import io.offboard.bot.config.WebhookSettings;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Hub-Signature-256} (HMAC-SHA256 of the raw body) against every configured secret.
 * Comparison is constant-time and every secret is tried, so timing reveals neither the signature nor
 * which secret matched.
 */
@Singleton
public class SignatureVerifier {

    static final String PREFIX = "sha256=";
    private final List<byte[]> secrets;

    public SignatureVerifier(WebhookSettings settings) {
        this.secrets = settings.secrets().stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    public boolean verify(byte[] body, String signatureHeader) {
        if (signatureHeader == null || !signatureHeader.startsWith(PREFIX)) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signatureHeader.substring(PREFIX.length()));
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        boolean matched = false;
        for (byte[] secret : secrets) {
            // no early exit: the work done does not depend on which secret matches
            matched |= MessageDigest.isEqual(hmac(secret, body), given);
        }
        return matched;
    }

    /** The header value GitHub would send for {@code body} signed with {@code secret}. */
    public static String sign(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    private static byte[] hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }
}
