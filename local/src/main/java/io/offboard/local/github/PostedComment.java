package io.offboard.local.github;

/** A comment a human posted through the stand-in: its id and the {@code issue_comment.created} delivery. */
public record PostedComment(long id, Webhook webhook) {}
