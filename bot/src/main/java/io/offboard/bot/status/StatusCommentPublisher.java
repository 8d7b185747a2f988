package io.offboard.bot.status;

import io.offboard.bot.github.GitHubGateway;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.store.EvictionStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Keeps the one status comment of an eviction in line with its record: posts it the first time, edits it
 * afterwards, and does nothing when the text would not change. A comment posted before a crash (but not
 * yet recorded) is found again by its hidden marker instead of being posted twice.
 */
@Singleton
public class StatusCommentPublisher {

    private final StatusRenderer renderer;
    private final GitHubGateway github;
    private final EvictionStore store;

    public StatusCommentPublisher(StatusRenderer renderer, GitHubGateway github, EvictionStore store) {
        this.renderer = renderer;
        this.github = github;
        this.store = store;
    }

    /** Publishes the status of {@code eviction} (as stored) and returns the record as stored afterwards. */
    public Eviction publish(Eviction eviction) throws IOException {
        String body = renderer.render(eviction);
        String digest = sha256(body);
        if (eviction.statusCommentId().isPresent() && eviction.statusCommentDigest().equals(Optional.of(digest))) {
            return eviction;
        }
        String repo = eviction.id().repository();
        int issue = eviction.id().issueNumber();
        Optional<Long> commentId = eviction.statusCommentId();
        if (commentId.isEmpty()) {
            commentId = github.findBotComment(repo, issue, StatusRenderer.MARKER);
        }
        long id;
        if (commentId.isPresent()) {
            id = commentId.get();
            github.editComment(repo, issue, id, body);
        } else {
            id = github.postComment(repo, issue, body);
        }
        long commentIdToRecord = id;
        // bookkeeping only: applied to the freshest record if a command wrote it meanwhile
        return store.modify(eviction, current -> Optional.of(current.withStatusComment(commentIdToRecord, digest)));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
