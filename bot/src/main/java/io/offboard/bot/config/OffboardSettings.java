package io.offboard.bot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.List;

/**
 * @param operators    operator logins and {@code @org/team} slugs (OFFBOARD_OPERATORS, comma-separated)
 * @param docsUrl      where the owner's export guide ({@code docs/export.md}) is published
 * @param evictionLabel the label the eviction issue form applies
 * @param repositories the repositories the bot serves, owner/name, comma-separated (OFFBOARD_REPOSITORIES); empty:
 *                     the GitHub App installation's repositories. The catch-up sweep looks at their open eviction issues
 * @param personWritesPerHour replies and reactions one person can make the bot write on one issue per hour
 *                     (OFFBOARD_PERSON_WRITES_PER_HOUR); the rest is dropped and counted
 */
@ConfigurationProperties("offboard")
public record OffboardSettings(
        @Bindable(defaultValue = "") List<String> operators,
        @Bindable(defaultValue = "https://github.com/offboard/offboard/blob/main/docs/export.md") String docsUrl,
        @Bindable(defaultValue = "eviction") String evictionLabel,
        @Bindable(defaultValue = "30") int personWritesPerHour,
        @Bindable(defaultValue = "") List<String> repositories) {
}
