package io.offboard.bot.access;

import io.offboard.bot.github.GitHubGateway;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.store.EvictionStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Records stored before owners' ids were kept name their owners by login only. On first touch (a command, a
 * download, {@code sweep --reindex}) the logins are resolved to ids once and stored; from then on the ids decide.
 */
@Singleton
public class OwnerIds {

    private final GitHubGateway github;
    private final EvictionStore store;

    public OwnerIds(GitHubGateway github, EvictionStore store) {
        this.github = github;
        this.store = store;
    }

    /** The record with every owner's id stored (resolved and written now if some were missing). */
    public Eviction ensure(Eviction eviction) throws IOException {
        if (eviction.state() == EvictionState.INVALID || eviction.ownersWithoutId().isEmpty()) {
            return eviction;
        }
        Map<String, Long> found = new HashMap<>();
        for (String login : eviction.ownersWithoutId()) {
            github.userId(login).ifPresent(id -> found.put(login.toLowerCase(Locale.ROOT), id));
        }
        if (found.isEmpty()) {
            return eviction;
        }
        return store.modify(eviction, current -> {
            Map<String, Long> ids = new HashMap<>(found);
            ids.putAll(current.ownerIds());
            return ids.equals(current.ownerIds()) ? Optional.empty() : Optional.of(current.withOwnerIds(ids));
        });
    }
}
