package io.offboard.bot.github;

/** The GitHub account the bot writes as: an App's {@code <slug>[bot]} user, or a token's user. */
public record BotAccount(long id, String login) {
}
