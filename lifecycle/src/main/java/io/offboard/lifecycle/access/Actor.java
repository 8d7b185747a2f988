package io.offboard.lifecycle.access;

import java.util.Objects;

/**
 * A GitHub account acting on an eviction: the webhook's {@code sender}, or the person signed in at the download
 * page. Identity is the numeric {@code id}, which GitHub never reuses; the login is for display only, because a
 * login can be renamed away and registered again by someone else.
 */
public record Actor(long id, String login) {

    public Actor {
        Objects.requireNonNull(login, "login");
    }

    @Override
    public String toString() {
        return login + " (" + id + ")";
    }
}
