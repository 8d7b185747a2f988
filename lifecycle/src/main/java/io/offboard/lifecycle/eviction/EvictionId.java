package io.offboard.lifecycle.eviction;

import java.util.Objects;

/** An eviction is identified by the issue that carries it: {@code owner/repo#number}. */
public record EvictionId(String repository, int issueNumber) {

    public EvictionId {
        Objects.requireNonNull(repository, "repository");
        if (!repository.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("repository must be owner/name, got '" + repository + "'");
        }
        if (issueNumber <= 0) {
            throw new IllegalArgumentException("issue number must be positive, got " + issueNumber);
        }
    }

    public static EvictionId parse(String text) {
        int hash = text.lastIndexOf('#');
        if (hash < 0) {
            throw new IllegalArgumentException("eviction id must look like owner/repo#12, got '" + text + "'");
        }
        return new EvictionId(text.substring(0, hash), Integer.parseInt(text.substring(hash + 1)));
    }

    @Override
    public String toString() {
        return repository + "#" + issueNumber;
    }
}
