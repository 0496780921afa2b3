package io.github.mellanoxlustre.lustre;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.standin.LustreRepo;
import io.github.mellanoxlustre.standin.LustreTreeFixture;
import io.github.mellanoxlustre.standin.ProcessRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Branches and tags as the real {@code git ls-remote} lists them for a lustre-release-like repository. */
class LustreRefCheckTest {
    @TempDir
    static Path tmp;
    static List<String> refs;

    @BeforeAll
    static void lsRemote() throws Exception {
        LustreRepo repo = LustreTreeFixture.createGitRepo(tmp.resolve("lustre-release"));
        ProcessRun run = ProcessRun.exec(tmp, Map.of(), Duration.ofSeconds(60),
                LustreRefCheck.lsRemoteArgv(repo.url()));
        assertThat(run.exitCode()).as(run.output()).isZero();
        refs = run.output().lines().toList();
    }

    @Test
    void branchesAndTagsAreFoundByShortOrFullName() {
        assertThat(LustreRefCheck.kind("b2_15", refs)).contains("branch");
        assertThat(LustreRefCheck.kind("refs/heads/master", refs)).contains("branch");
        assertThat(LustreRefCheck.kind("v2_16_1", refs)).contains("tag");
        assertThat(LustreRefCheck.kind("refs/tags/v2_15_5", refs)).contains("tag");
        assertThat(LustreRefCheck.kind("b2_17", refs)).isEmpty();
        assertThat(LustreRefCheck.kind("heads/b2_15", refs)).isEmpty();
    }

    @Test
    void aMistypedRefGetsTheNearestNames() {
        assertThat(LustreRefCheck.nearest("b2_17", refs)).containsExactly("b2_15", "b2_16");
        assertThat(LustreRefCheck.nearest("v2_16_2", refs)).startsWith("v2_16_1");
        assertThat(LustreRefCheck.nearest("mastr", refs)).containsExactly("master");
        assertThat(LustreRefCheck.nearest("completely-unrelated-name", refs)).isEmpty();
    }

    @Test
    void commitIdsAreLeftToPhaseFive() {
        assertThat(LustreRefCheck.looksLikeCommit("4b0407a48e9e5b7f17877e8868080e9f40c238c6")).isTrue();
        assertThat(LustreRefCheck.looksLikeCommit("4b0407a")).isTrue();
        assertThat(LustreRefCheck.looksLikeCommit("b2_15")).isFalse();
        assertThat(LustreRefCheck.looksLikeCommit("abc")).isFalse();
    }
}
