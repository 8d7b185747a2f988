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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OwnerIds.class);

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
            Optional<GitHubGateway.Account> account = github.account(login);
            // an account registered after the eviction was filed cannot be the owner the form named: someone took
            // the login over after a rename. It gains nothing; the operators must name the owner again
            if (account.isPresent() && account.get().createdAt() != null
                    && account.get().createdAt().isAfter(eviction.createdAt())) {
                LOG.warn("{}: owner login {} now belongs to an account created {} (after the eviction was filed): "
                        + "not taken as the owner", eviction.id(), login, account.get().createdAt());
                continue;
            }
            account.ifPresent(a -> found.put(login.toLowerCase(Locale.ROOT), a.id()));
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
