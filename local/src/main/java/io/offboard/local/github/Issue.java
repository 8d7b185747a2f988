package io.offboard.local.github;

import java.util.List;

/** An issue as the stand-in holds it; {@code state} is GitHub's {@code open} or {@code closed}. */
public record Issue(int number, String title, String body, String author, List<String> labels, String state) {}
