package io.offboard.local.bench;

import io.offboard.bot.github.AppClient;
import io.offboard.bot.github.GitHubAuth;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.github.Reaction;
import io.offboard.bot.config.GitHubSettings;
import io.offboard.local.github.GitHubStandIn;
import java.util.List;
import java.util.Optional;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.authorization.ImmutableAuthorizationProvider;

/**
 * Requests GitHub gets per export progress edit (and per reaction), on an issue with few comments and on one with
 * many, through the bot's gateway against the GitHub stand-in's request journal. Usage: SMALL BIG EDITS.
 */
public final class CommentRequestsBench {

    private CommentRequestsBench() {
    }

    public static void main(String[] args) throws Exception {
        int small = Integer.parseInt(args[0]);
        int big = Integer.parseInt(args[1]);
        int edits = Integer.parseInt(args[2]);
        double[] perEdit = new double[2];
        double[] perReaction = new double[2];
        try (GitHubStandIn github = GitHubStandIn.start()) {
            github.addRepository("platform/infra");
            GitHubAuth auth = new GitHubAuth(ImmutableAuthorizationProvider.fromOauthToken("bench"));
            GitHubGateway gateway = new GitHubGateway(new GitHubBuilder().withEndpoint(github.apiUrl())
                    .withAuthorizationProvider(auth.provider()).build(), new AppClient(Optional.empty()), auth,
                    new GitHubSettings(github.apiUrl(), "bench", null, null, null, 3, github.apiUrl(), null, null));
            int[] sizes = {small, big};
            for (int i = 0; i < 2; i++) {
                int issue = github.openIssue("platform/infra", "ops", "thread of " + sizes[i], "x", List.of()).number();
                for (int c = 1; c < sizes[i]; c++) {
                    github.comment("platform/infra", issue, "someone", "comment " + c);
                }
                long progress = gateway.postComment("platform/infra", issue, "export started");
                long command = github.comment("platform/infra", issue, "alice", "/export").id();
                github.server().resetRequests();
                for (int e = 0; e < edits; e++) {
                    gateway.editComment("platform/infra", issue, progress, "progress " + e + "%");
                }
                perEdit[i] = (double) github.requests().size() / edits;
                github.server().resetRequests();
                for (Reaction r : List.of(Reaction.RECEIVED, Reaction.DONE, Reaction.REFUSED)) {
                    gateway.react("platform/infra", issue, command, r);
                }
                perReaction[i] = github.requests().size() / 3.0;
            }
        }
        System.out.printf("RESULT small_comments=%d big_comments=%d small_per_edit=%.2f big_per_edit=%.2f "
                        + "small_per_reaction=%.2f big_per_reaction=%.2f ratio=%.2f%n", small, big, perEdit[0],
                perEdit[1], perReaction[0], perReaction[1], perEdit[1] / perEdit[0]);
    }
}
