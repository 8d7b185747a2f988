package io.offboard.bot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/**
 * @param secrets       every secret a delivery may be signed with (OFFBOARD_WEBHOOK_SECRETS, comma-separated);
 *                      several at once so a secret can be rotated without dropping deliveries
 * @param queueCapacity deliveries accepted but not yet processed; past it the endpoint answers 503 so GitHub retries
 */
@ConfigurationProperties("offboard.webhook")
public record WebhookSettings(
        @NotEmpty(message = "set OFFBOARD_WEBHOOK_SECRETS to the GitHub App's webhook secret(s)") List<String> secrets,
        @Bindable(defaultValue = "10000") int queueCapacity) {
}
