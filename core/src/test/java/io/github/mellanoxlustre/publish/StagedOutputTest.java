package io.github.mellanoxlustre.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedOutputTest {
    @TempDir
    Path dir;

    private long entries(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void nothingAppearsUntilCommit() throws Exception {
        Path out = dir.resolve("out");
        Path withheld = dir.resolve("withheld");
        try (StagedOutput s = StagedOutput.create(out, withheld, false)) {
            Files.writeString(s.dir().resolve("a.rpm"), "a");
            Files.writeString(s.withheldDir().resolve("z.rpm"), "z");
            assertThat(out).doesNotExist();
            assertThat(withheld).doesNotExist();
            s.commit();
        }
        assertThat(out.resolve("a.rpm")).hasContent("a");
        assertThat(withheld.resolve("z.rpm")).hasContent("z");
        assertThat(entries(dir)).isEqualTo(2);
    }

    @Test
    void closingWithoutCommitLeavesNothing() throws Exception {
        try (StagedOutput s = StagedOutput.create(dir.resolve("out"), dir.resolve("withheld"), false)) {
            Files.writeString(s.dir().resolve("a.rpm"), "a");
            Files.writeString(s.withheldDir().resolve("z.rpm"), "z");
        }
        assertThat(entries(dir)).isZero();
    }

    @Test
    void anEmptyOutputDirectoryIsReplacedANonEmptyOneRefused() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        try (StagedOutput s = StagedOutput.create(out, dir.resolve("withheld"), false)) {
            Files.writeString(s.dir().resolve("a.rpm"), "a");
            s.commit();
        }
        assertThat(out.resolve("a.rpm")).exists();
        assertThatThrownBy(() -> StagedOutput.create(out, dir.resolve("withheld"), false))
                .hasMessageContaining("outputDir: '" + out + "' exists and is not empty");
    }

    @Test
    void replaceSwapsTheOldOutputAndRemovesAStaleWithheldDirectory() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("old.rpm"), "old");
        Path withheld = Files.createDirectories(dir.resolve("withheld"));
        Files.writeString(withheld.resolve("old-zfs.rpm"), "old");
        try (StagedOutput s = StagedOutput.create(out, withheld, true)) {
            Files.writeString(s.dir().resolve("new.rpm"), "new");
            s.commit();
        }
        assertThat(out.resolve("new.rpm")).exists();
        assertThat(out.resolve("old.rpm")).doesNotExist();
        assertThat(withheld).doesNotExist();
        assertThat(entries(dir)).isEqualTo(1);
    }

    @Test
    void sha256SumsIsWhatSha256sumChecks() throws Exception {
        Path d = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(d.resolve("a.rpm"), "alpha");
        Files.createDirectories(d.resolve("repodata"));
        Files.writeString(d.resolve("repodata/repomd.xml"), "<repomd/>");
        Path sums = Sha256Sums.write(d);
        assertThat(Files.readAllLines(sums)).containsExactly(
                "8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8  a.rpm",
                io.github.mellanoxlustre.files.Sha256.of(d.resolve("repodata/repomd.xml")) + "  repodata/repomd.xml");
        Process p = new ProcessBuilder("sha256sum", "-c", "--strict", Sha256Sums.FILE).directory(d.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("a.rpm: OK", "repodata/repomd.xml: OK");
    }
}
