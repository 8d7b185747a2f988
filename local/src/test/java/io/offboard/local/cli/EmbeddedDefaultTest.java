package io.offboard.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.exporter.archive.ArchiveVerifier;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.offboard.local.support.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code offboard-local export}, {@code registry check} and {@code sweep} with no endpoint set run on the
 * embedded default: a running {@code offboard-local serve}'s stores, or an in-process stack with the demo platform.
 */
class EmbeddedDefaultTest {

    @Test
    void withNothingRunningAnExportOfTheDemoTenantIsWrittenAndVerifies(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("acme.tar.gz");

        int exit = LocalCli.run("export", "--tenant", "acme", "--out", archive.toString());

        assertThat(exit).isZero();
        String sha = Files.readString(dir.resolve("acme.tar.gz.sha256")).split("\\s+")[0];
        assertThat(ArchiveVerifier.verify(archive, sha, null).ok()).isTrue();
    }

    @Test
    void theStoresOfARunningServeAreUsedAndADeadOnesRecordIsIgnored(@TempDir Path dataDir) {
        try (EmbeddedStack stack = EmbeddedStack.start(StackOptions.inMemory())) {
            DemoPlatform.seed(stack.dynamo(), stack.s3());
            EmbeddedDefault.record(dataDir, new EmbeddedDefault.Endpoints(stack.dynamoEndpoint().toString(),
                    stack.s3Endpoint().toString(), null, ProcessHandle.current().pid()));

            String[] args = EmbeddedDefault.apply(new String[] {"registry", "check"}, dataDir);

            assertThat(List.of(args)).containsExactly("registry", "check", "--dynamodb-endpoint",
                    stack.dynamoEndpoint().toString(), "--s3-endpoint", stack.s3Endpoint().toString());
            // the platform's tables are all covered: any exit but 1 (3: some copies could not be read here)
            assertThat(LocalCli.run(args)).isNotEqualTo(1).isNotEqualTo(2);
            // an endpoint the user names wins
            assertThat(EmbeddedDefault.apply(new String[] {"export", "--dynamodb-endpoint", "http://db:8000"}, dataDir))
                    .containsExactly("export", "--dynamodb-endpoint", "http://db:8000");
            // either store's endpoint: an S3 endpoint alone is not given a second one (picocli refuses a repeat)
            assertThat(EmbeddedDefault.apply(new String[] {"export", "--s3-endpoint", "http://s3:9000"}, dataDir))
                    .containsExactly("export", "--s3-endpoint", "http://s3:9000");
            assertThat(EmbeddedDefault.apply(new String[] {"sweep", "--s3-endpoint=http://s3:9000"}, dataDir))
                    .containsExactly("sweep", "--s3-endpoint=http://s3:9000");
        }
        // a record left by a serve that died (no such process) is not used
        EmbeddedDefault.record(dataDir, new EmbeddedDefault.Endpoints("http://127.0.0.1:1", "http://127.0.0.1:1",
                null, Long.MAX_VALUE));
        assertThat(EmbeddedDefault.running(dataDir)).isEmpty();
    }

    @Test
    @Timeout(60)
    void aSecondServeOnTheSameDataDirRefusesToStartAndLeavesTheFirstOnesRecord(@TempDir Path dataDir) {
        // a live serve (this JVM stands in for it) recorded its stores here
        EmbeddedDefault.Endpoints first = new EmbeddedDefault.Endpoints("http://127.0.0.1:1", "http://127.0.0.1:2",
                null, ProcessHandle.current().pid());
        EmbeddedDefault.record(dataDir, first);

        CliRun run = CliRun.capture(true, () -> LocalCli.run("serve", "--data-dir", dataDir.toString()));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("another offboard-local serve (pid " + ProcessHandle.current().pid() + ")")
                .contains("--data-dir");
        assertThat(EmbeddedDefault.recordedByLiveServe(dataDir)).contains(first);
        assertThat(dataDir.resolve("shared-local-instance.db")).doesNotExist();
    }
}
