package io.offboard.exporter.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The work directories of exports on local disk, with real files. */
class ExportWorkDirsTest {

    @Test
    void listsDiscardsAndNeverLeavesTheRoot(@TempDir Path tmp) throws Exception {
        ExportWorkDirs dirs = new ExportWorkDirs(tmp.resolve("work"));
        assertThat(dirs.present()).as("no root yet").isEmpty();
        Path spool = dirs.of("3f6c-export").resolve("ord/ord_orders");
        Files.createDirectories(spool);
        Files.writeString(spool.resolve("part-00000.jsonl"), "{\"orgcode\":\"acme\"}\n");
        Files.writeString(dirs.of("3f6c-export").resolve("checkpoint.json"), "{}");
        Files.createDirectories(dirs.of("b-other"));
        Files.writeString(dirs.root().resolve("stray-file"), "not a work directory");

        assertThat(dirs.present()).containsExactly("3f6c-export", "b-other");
        assertThat(dirs.discard("3f6c-export")).isTrue();
        assertThat(dirs.of("3f6c-export")).doesNotExist();
        assertThat(dirs.discard("3f6c-export")).as("already gone").isFalse();
        assertThat(dirs.present()).containsExactly("b-other");
        assertThat(dirs.root().resolve("stray-file")).exists();

        assertThatThrownBy(() -> dirs.of("../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dirs.of("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ExportWorkDirs.at("").root()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"),
                "offboard-exports"));
        assertThat(ExportWorkDirs.at(tmp.toString()).root()).isEqualTo(tmp);
    }
}
