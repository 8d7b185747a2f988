package io.offboard.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code serve} names what it cannot run without before it starts anything. */
class ServeStartTest {

    private static final Map<String, Object> SIGN_IN = Map.of(
            "offboard.github.client-id", "Iv1.abc",
            "offboard.github.client-secret", "not-a-real-secret",
            "offboard.session-secret", "0123456789abcdef0123456789abcdef");

    @Test
    void withoutAWebhookSecretItRefusesToStartAndSaysWhichVariable() {
        assumeTrue(System.getenv("OFFBOARD_WEBHOOK_SECRETS") == null, "the environment sets a webhook secret");

        assertThat(ServeCommand.startProblems(SIGN_IN))
                .singleElement().asString().startsWith("OFFBOARD_WEBHOOK_SECRETS is not set");
    }

    @Test
    void withASecretAndTheSignInNothingIsMissing() {
        Map<String, Object> all = new java.util.HashMap<>(SIGN_IN);
        all.put("offboard.webhook.secrets", "s3cret");

        assertThat(ServeCommand.startProblems(all)).isEmpty();
    }
}
