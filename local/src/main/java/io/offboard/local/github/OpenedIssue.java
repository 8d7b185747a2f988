package io.offboard.local.github;

/** An issue a human opened through the stand-in: its number and the {@code issues.opened} delivery. */
public record OpenedIssue(int number, Webhook webhook) {}
