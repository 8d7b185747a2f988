package io.offboard.local.demo;

import io.offboard.exporter.export.ExportWorkDirs;
import io.offboard.bot.webhook.WebhookSender;
import io.offboard.local.github.GitHubStandIn;
import io.offboard.local.github.OpenedIssue;
import io.offboard.local.github.Webhook;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.platform.TenantFootprint;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code offboard-local demo}: the eviction journey played end to end on the embedded stack with a
 * simulated clock and a GitHub stand-in; prints the issue thread as GitHub would show it.
 */
@CommandLine.Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Play an eviction on the embedded stack and print the issue thread.",
                "Starts DynamoDB Local, an S3-compatible server, a GitHub stand-in and the bot in this process."})
public class DemoCommand implements Callable<Integer> {

    static final String REPO = "platform/infra";
    static final String OPERATOR = "ops-olivia";
    static final String OWNER = "alice";
    static final String SECOND_OWNER = "bob";
    static final String OUTSIDER = "mallory";
    static final String SECRET = "demo-webhook-secret";
    static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

    @CommandLine.Option(names = "--data-dir", description = "keep DynamoDB data here (default: a temporary directory)")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path data = dataDir != null ? dataDir : Files.createTempDirectory("offboard-demo-");
        SimulatedClock clock = new SimulatedClock(START);
        try (EmbeddedStack stack = EmbeddedStack.start(StackOptions.persistent(data));
             GitHubStandIn github = GitHubStandIn.start(0, clock)) {
            DemoPlatform.seed(stack.dynamo(), stack.s3());
            github.addRepository(REPO);
            List.of(OPERATOR, OWNER, SECOND_OWNER, OUTSIDER).forEach(github::addUser);
            try (LocalBot bot = LocalBot.start(stack, github.apiUrl(), List.of(SECRET), List.of(OPERATOR), clock, 0,
                    Map.of())) {
                Conversation conversation = new Conversation(bot, new WebhookSender(bot.webhookUrl(), SECRET), clock,
                        data, stack);
                int issue = play(conversation, github);
                out.println(github.transcript(REPO, issue));
                out.println();
                conversation.notes.forEach(line -> out.println("<!-- " + line + " -->"));
                out.println("<!-- what the platform holds afterwards, by a scan of every table and a listing of every"
                        + " bucket version and unfinished upload (not the purge's own check): -->");
                for (String tenant : DemoPlatform.TENANTS) {
                    out.println("<!--   " + tenant + ": " + TenantFootprint.of(stack.dynamo(), stack.s3(), tenant,
                            clock.instant(), BotTables.DEFAULT_PREFIX) + " -->");
                }
                out.printf("operator actions: %d (filed the eviction issue, fixed the form once, removed a stray"
                        + " table the export tooling did not cover)%n", conversation.operatorActions);
            }
        }
        if (dataDir == null) {
            // a demo leaves nothing behind unless --data-dir asked to keep it
            ExportWorkDirs.deleteTree(data);
        }
        return 0;
    }

    private static int play(Conversation c, GitHubStandIn github) throws Exception {
        OpenedIssue opened = github.openIssue(REPO, OPERATOR, "Eviction: acme",
                form("acme", "@alice, @bbo", "2027-01-32",
                        "acme needs GPU nodes the platform cannot offer; agreed with @alice on 2026-11-20."),
                List.of("eviction"));
        c.operator(opened.webhook());
        System.out.println("<!-- " + REPO + "#" + opened.number() + " at " + c.clock.instant()
                + ": the operator filed the form with a typo; the bot answered: -->");
        System.out.println(github.comments(REPO, opened.number()).get(0).body()
                .replace(io.offboard.bot.status.StatusRenderer.MARKER + "\n", ""));
        System.out.println("<!-- the operator then edits the issue; the same comment becomes the status: -->");
        System.out.println();

        c.later(Duration.ofMinutes(6));
        c.operator(github.editIssueBody(REPO, opened.number(), OPERATOR,
                form("acme", "@alice, @bob", "2027-01-15",
                        "acme needs GPU nodes the platform cannot offer; agreed with @alice on 2026-11-20.")));

        // someone with write access who is no operator rewrites the form to point the eviction at another tenant
        c.later(Duration.ofMinutes(30));
        String acceptedForm = github.issue(REPO, opened.number()).body();
        c.person(github.editIssueBody(REPO, opened.number(), OUTSIDER,
                acceptedForm.replace("\nacme\n", "\nglobex\n").replace("2027-01-15", "2027-01-02")));
        var record = c.record(opened.number());
        c.notes.add(OUTSIDER + " (not an operator) edited the form to tenant globex, 2027-01-02: ignored; the record"
                + " still says tenant " + record.tenant() + ", eviction date " + record.evictionDate()
                + ", and nobody was told anything");
        if (!"acme".equals(record.tenant())) {
            throw new IllegalStateException("a non-operator's edit changed the eviction");
        }

        c.later(Duration.ofHours(2));
        c.person(github.comment(REPO, opened.number(), OWNER,
                "Thanks, we have told our users. Checking the dates once more:\n\n/status").webhook());

        c.later(Duration.ofMinutes(3));
        c.person(github.comment(REPO, opened.number(), OWNER, "/exprot parquet").webhook());

        c.later(Duration.ofMinutes(1));
        c.person(github.comment(REPO, opened.number(), OWNER, "Sorry, typo.\n/export parquet").webhook());
        c.ownerDownloadsAndVerifies(github.comments(REPO, opened.number()));
        c.outsiderIsRefused(github.comments(REPO, opened.number()));

        c.later(Duration.ofMinutes(40));
        c.person(github.comment(REPO, opened.number(), OUTSIDER,
                "> /status\n\nIs this about our tenant too?\n\n/status").webhook());

        int issue = opened.number();
        // an outsider tries to silence the bot: a comment full of forged hidden markers, one per message id
        c.later(Duration.ofHours(1));
        StringBuilder forged = new StringBuilder("nothing to see here\n<!-- offboard:status v1 -->\n");
        for (int revision = 1; revision <= 30; revision++) {
            for (int position = 0; position < 4; position++) {
                forged.append("<!-- offboard:message r").append(revision).append('.').append(position).append(" -->");
            }
        }
        c.person(github.comment(REPO, issue, OUTSIDER, forged.toString()).webhook());

        // an end user's upload of a big attachment is cut off: S3 keeps its parts, which no object listing shows
        c.later(Duration.ofHours(3));
        String key = "acme/attachments/site-survey-2026.pdf";
        String uploadId = c.stack.s3().createMultipartUpload(b -> b.bucket(DemoPlatform.ORD_ATTACHMENTS).key(key))
                .uploadId();
        c.stack.s3().uploadPart(b -> b.bucket(DemoPlatform.ORD_ATTACHMENTS).key(key).uploadId(uploadId).partNumber(1),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[64 * 1024]));
        c.notes.add("an upload of " + DemoPlatform.ORD_ATTACHMENTS + "/" + key + " was cut off before the cutover: "
                + "S3 keeps its part, which no object listing shows, until the upload is aborted");

        // Phase B: the eviction date; the scheduled sweep freezes the tenant, nobody has to do anything
        c.set(Instant.parse("2027-01-15T00:07:00Z"));
        c.sweep();
        boolean cutoverPosted = github.comments(REPO, issue).stream()
                .anyMatch(x -> x.author().equals(github.botLogin()) && x.body().contains("is frozen: export-only"));
        c.notes.add("the cutover comment was " + (cutoverPosted ? "posted" : "NOT posted")
                + " although " + OUTSIDER + " had forged a marker for every message id");
        if (!cutoverPosted) {
            throw new IllegalStateException("forged markers silenced the cutover comment");
        }

        // Phase C: the export of record, twice from the frozen snapshot: the same bytes
        c.later(Duration.ofHours(9));
        c.person(github.comment(REPO, issue, OWNER, "Taking the export of record now.\n\n/export").webhook());
        String first = c.lastSha(github.comments(REPO, issue));
        c.later(Duration.ofDays(1));
        c.person(github.comment(REPO, issue, SECOND_OWNER, "Once more, to compare:\n/export").webhook());
        String second = c.lastSha(github.comments(REPO, issue));
        c.notes.add("two exports of the frozen snapshot: " + first + " and " + second
                + (first.equals(second) ? " (identical)" : " (DIFFERENT)"));
        if (!first.equals(second)) {
            throw new IllegalStateException("two exports of the frozen snapshot differ");
        }

        // a platform-side failure: a table nobody registered appears; the export refuses, the countdown pauses
        c.later(Duration.ofDays(2));
        c.stack.dynamo().createTable(b -> b.tableName("ord_refunds")
                .billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("orgcode").attributeType("S"))
                .keySchema(k -> k.attributeName("orgcode").keyType("HASH")));
        c.person(github.comment(REPO, issue, OWNER, "/export parquet").webhook());
        // three days later the platform team has removed the stray table; the owner's next clean export resumes it
        c.later(Duration.ofDays(3));
        c.stack.dynamo().deleteTable(b -> b.tableName("ord_refunds"));
        c.operatorActions++;
        c.person(github.comment(REPO, issue, OWNER, "/export parquet").webhook());

        c.later(Duration.ofHours(5));
        c.person(github.comment(REPO, issue, OWNER, "We have everything and checked it. Thank you!\n\n/done").webhook());

        // the reminders 7 days and 1 day before deletion are skipped: the owner said /done
        Instant deletion = c.deletionDue(issue);
        c.set(deletion.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(3)));
        c.sweep();
        c.set(deletion.minus(Duration.ofDays(1)).plus(Duration.ofMinutes(3)));
        c.sweep();
        boolean reminded = github.comments(REPO, issue).stream().anyMatch(x -> x.body().contains(" left.**"));
        c.notes.add("reminders due 7 days and 1 day before deletion: "
                + (reminded ? "POSTED, although the owner had said /done" : "none posted, the owner had said /done"));
        if (reminded) {
            throw new IllegalStateException("a reminder was posted after /done");
        }

        // day 30 (plus the paused days): the purge, its verification, the receipt; the issue closes
        c.set(deletion.plus(Duration.ofMinutes(4)));
        c.sweep();
        return issue;
    }

    static String form(String tenant, String owners, String date, String reason) {
        return "### Tenant orgcode\n\n" + tenant + "\n\n"
                + "### Capability owner(s)\n\n" + owners + "\n\n"
                + "### Eviction date (UTC, YYYY-MM-DD)\n\n" + date + "\n\n"
                + "### Reason\n\n" + reason + "\n";
    }

    /** Sends what people do on GitHub to the bot and waits until it has answered. */
    static final class Conversation {
        private final LocalBot bot;
        private final WebhookSender sender;
        final SimulatedClock clock;
        int operatorActions;
        final List<String> notes = new java.util.ArrayList<>();

        private final Path data;
        final EmbeddedStack stack;

        Conversation(LocalBot bot, WebhookSender sender, SimulatedClock clock, Path data, EmbeddedStack stack) {
            this.data = data;
            this.stack = stack;
            this.bot = bot;
            this.sender = sender;
            this.clock = clock;
        }

        void operator(Webhook webhook) throws Exception {
            operatorActions++;
            person(webhook);
        }

        void person(Webhook webhook) throws Exception {
            int status = sender.send(webhook.event(), webhook.deliveryId(), webhook.json());
            if (status != 202) {
                throw new IllegalStateException("the bot answered " + status + " to " + webhook.event());
            }
            bot.awaitIdle();
        }

        void later(Duration by) {
            clock.advance(by);
        }

        void set(Instant at) {
            clock.set(at);
        }

        /** A scheduled sweep (the Actions workflow or the timer of serve) runs at this moment. */
        void sweep() throws Exception {
            notes.add("sweep at " + clock.instant() + ": " + bot.sweep());
        }

        io.offboard.lifecycle.eviction.Eviction record(int issue) {
            var id = new io.offboard.lifecycle.eviction.EvictionId(REPO, issue);
            return bot.context().getBean(io.offboard.lifecycle.store.EvictionStore.class).find(id).orElseThrow();
        }

        Instant deletionDue(int issue) {
            var id = new io.offboard.lifecycle.eviction.EvictionId(REPO, issue);
            var eviction = bot.context().getBean(io.offboard.lifecycle.store.EvictionStore.class).find(id).orElseThrow();
            return bot.context().getBean(io.offboard.lifecycle.eviction.EvictionJourney.class)
                    .deletionDue(eviction, clock.instant()).orElseThrow();
        }

        /** The newest export result on the thread: the comment with the bot's download link. */
        private static String lastExportResult(List<io.offboard.local.github.Comment> comments) {
            return comments.stream().map(io.offboard.local.github.Comment::body)
                    .filter(b -> b.contains("/exports/")).reduce((a, b) -> b).orElseThrow();
        }

        private static String sha256Of(String exportResult) {
            java.util.regex.Matcher sha = java.util.regex.Pattern.compile("`([0-9a-f]{64})`").matcher(exportResult);
            if (!sha.find()) {
                throw new IllegalStateException("the export comment has no SHA-256:\n" + exportResult);
            }
            return sha.group(1);
        }

        String lastSha(List<io.offboard.local.github.Comment> comments) {
            return sha256Of(lastExportResult(comments));
        }

        /**
         * What the owner does with the export comment: follow the link to the download page, sign in with GitHub
         * (the stand-in's authorize page, as alice), come back to the download, keep the file, check it offline.
         */
        void ownerDownloadsAndVerifies(List<io.offboard.local.github.Comment> comments) throws Exception {
            String result = lastExportResult(comments);
            String sha = sha256Of(result);
            java.util.regex.Matcher link = downloadLink(result);
            Path archive = Files.createDirectories(data.resolve("downloads")).resolve(link.group(1));
            SignInClient.Outcome outcome = signInClient().open(java.net.URI.create(link.group(2)), OWNER, archive);
            if (outcome.file() == null) {
                throw new IllegalStateException("the owner got no archive: HTTP " + outcome.status() + "\n"
                        + outcome.last().body());
            }
            String expires = outcome.last().location().orElse("").replaceAll(".*[?&]X-Amz-Expires=(\\d+).*", "$1");
            notes.add("the owner followed the link: the download page, \"Sign in with GitHub\", GitHub's authorize page"
                    + " as " + OWNER + ", back to the download (" + outcome.steps().size() + " responses), then HTTP "
                    + outcome.status() + " to the archive (a link valid " + expires + " s)");
            var report = io.offboard.exporter.archive.ArchiveVerifier.verify(archive, sha, null);
            notes.add("the owner saved " + archive.getFileName() + " and ran `offboard verify`: " + report.render().get(0));
            if (!report.ok()) {
                throw new IllegalStateException("the demo export does not verify: " + report.render());
            }
        }

        /** Someone who is neither an owner nor an operator signs in on the same link and is refused there. */
        void outsiderIsRefused(List<io.offboard.local.github.Comment> comments) throws Exception {
            java.util.regex.Matcher link = downloadLink(lastExportResult(comments));
            Path nothing = data.resolve("downloads").resolve("refused-" + OUTSIDER);
            SignInClient.Outcome outcome = signInClient().open(java.net.URI.create(link.group(2)), OUTSIDER, nothing);
            boolean presigned = outcome.steps().stream().anyMatch(s -> s.everything().contains("X-Amz-Signature")
                    || s.everything().contains(stack.s3Endpoint().getAuthority()));
            notes.add(OUTSIDER + " (neither owner nor operator) signed in with GitHub on the same link: HTTP "
                    + outcome.status() + " at the download page, " + (presigned ? "WITH a presigned URL in a response"
                    : "no presigned URL in any response"));
            if (outcome.status() != 403 || presigned || outcome.file() != null) {
                throw new IllegalStateException("an outsider was not refused: HTTP " + outcome.status());
            }
        }

        private static java.util.regex.Matcher downloadLink(String exportResult) {
            java.util.regex.Matcher link = java.util.regex.Pattern
                    .compile("\\[([^]]+)]\\((http[^)]+/exports/[^)]+/download)\\)").matcher(exportResult);
            if (!link.find()) {
                throw new IllegalStateException("the export comment has no download link:\n" + exportResult);
            }
            return link;
        }

        /** A browser-like client for the bot and the GitHub it signs people in with. */
        private SignInClient signInClient() {
            return new SignInClient(bot.url().toString(),
                    bot.context().getBean(io.offboard.bot.config.GitHubSettings.class).webUrl());
        }
    }
}
