package io.offboard.local.github;

import java.time.Instant;
import java.util.List;

/**
 * An issue comment as the stand-in holds it. {@code edits} counts the edits that changed the text;
 * {@code reactions} lists reaction contents as GitHub names them ({@code eyes}, {@code rocket},
 * {@code confused}, {@code +1}, ...) in the order they were added.
 */
public record Comment(long id, String author, String body, Instant createdAt, Instant updatedAt, int edits,
        List<String> reactions) {}
