package io.offboard.local.github;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook delivery as GitHub would POST it to the App: the event name ({@code X-GitHub-Event}),
 * a fresh delivery id ({@code X-GitHub-Delivery}) and the exact JSON body.
 */
public record Webhook(String event, String deliveryId, String json) {

    /** {@code sha256=<hex HMAC-SHA256 of the body>}, the {@code X-Hub-Signature-256} value for {@code secret}. */
    public String signature256(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    /** The headers GitHub sends with this delivery, signed with {@code secret}. */
    public Map<String, String> headers(String secret) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "GitHub-Hookshot/offboard-stand-in");
        headers.put("X-GitHub-Event", event);
        headers.put("X-GitHub-Delivery", deliveryId);
        headers.put("X-GitHub-Hook-Installation-Target-Type", "integration");
        headers.put("X-Hub-Signature-256", signature256(secret));
        return headers;
    }
}
