package io.offboard.bot.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.bot.config.WebhookSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private static final byte[] BODY = "{\"action\":\"opened\",\"issue\":{\"number\":1}}".getBytes(StandardCharsets.UTF_8);

    private final SignatureVerifier verifier =
            new SignatureVerifier(new WebhookSettings(List.of("current-secret", " previous-secret "), 10, java.time.Duration.ofSeconds(30)));

    @Test
    void aBodySignedWithTheCurrentSecretVerifies() {
        assertThat(verifier.verify(BODY, SignatureVerifier.sign("current-secret", BODY))).isTrue();
    }

    @Test
    void aBodySignedWithTheSecondRotatedSecretVerifies() {
        assertThat(verifier.verify(BODY, SignatureVerifier.sign("previous-secret", BODY))).isTrue();
    }

    @Test
    void aBodySignedWithAnUnknownSecretDoesNot() {
        assertThat(verifier.verify(BODY, SignatureVerifier.sign("attacker", BODY))).isFalse();
    }

    @Test
    void aMissingOrMalformedSignatureDoesNot() {
        assertThat(verifier.verify(BODY, null)).isFalse();
        assertThat(verifier.verify(BODY, "")).isFalse();
        assertThat(verifier.verify(BODY, "sha1=abcdef")).isFalse();
        assertThat(verifier.verify(BODY, "sha256=not-hex")).isFalse();
        assertThat(verifier.verify(BODY, "sha256=")).isFalse();
    }

    @Test
    void aTamperedBodyDoesNot() {
        String signature = SignatureVerifier.sign("current-secret", BODY);
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] = '2';

        assertThat(verifier.verify(tampered, signature)).isFalse();
    }

    @Test
    void theSignatureIsGitHubsDocumentedExample() {
        // From GitHub's "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!"
        String signature = SignatureVerifier.sign("It's a Secret to Everybody",
                "Hello, World!".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }
}
