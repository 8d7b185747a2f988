package io.offboard.bot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/**
 * @param secrets       every secret a delivery may be signed with (OFFBOARD_WEBHOOK_SECRETS, comma-separated);
 *                      several at once so a secret can be rotated without dropping deliveries
 * @param queueCapacity deliveries handed to this process's workers at once; the rest wait in the store
 * @param deliveryLease how long a worker holds a stored delivery (OFFBOARD_WEBHOOK_DELIVERY_LEASE); a worker that
 *                      died gives it up after this, and the next process or another replica takes it
 */
@ConfigurationProperties("offboard.webhook")
public record WebhookSettings(
        @NotEmpty(message = "set OFFBOARD_WEBHOOK_SECRETS to the GitHub App's webhook secret(s)") List<String> secrets,
        @Bindable(defaultValue = "10000") int queueCapacity,
        @Bindable(defaultValue = "30s") java.time.Duration deliveryLease) {
}
