package io.github.mellanoxlustre.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.engine.phase.WorkLayout;
import io.github.mellanoxlustre.request.BuildRequest;
import io.github.mellanoxlustre.request.BuildSpec;
import io.github.mellanoxlustre.request.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine refuses before its first phase says what went wrong (issue 10): a bad request
 * ({@link InvalidRequestException}) or a request that cannot run here ({@link CannotRunHereException}),
 * no longer both an IllegalArgumentException.
 */
class BuildRefusalsTest {
    @TempDir
    Path dir;

    private final BuildEngine engine = new BuildEngine();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private BuildRequest request(String policy) {
        return new BuildSpec().bundle(dir.resolve("MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz").toString())
                .lustreDir(dir.resolve("lustre")).policy(policy).outputDir(dir.resolve("out"))
                .workDir(dir.resolve("work")).cacheDir(dir.resolve("cache")).toRequest(Map.of("HOME", dir.toString()));
    }

    private BuildResult run(BuildRequest r) throws Exception {
        return engine.run(r, BuildListener.of(new PrintStream(console, true, StandardCharsets.UTF_8)));
    }

    @Test
    void aWorkDirectoryInUseByAnotherBuildCannotRunHere() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        try (FileChannel ch = FileChannel.open(work.resolve(WorkLayout.MARKER), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            assertThat(held.isValid()).isTrue();
            assertThatThrownBy(() -> run(request("distribute"))).isInstanceOf(CannotRunHereException.class)
                    .isNotInstanceOf(IllegalArgumentException.class)
                    .hasMessage("workDir: '" + work + "' is in use by another build");
        }
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("[1/9]");
    }

    @Test
    void aWorkDirectoryNotMadeByMlnxLustreCannotRunHere() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> run(request("distribute"))).isInstanceOf(CannotRunHereException.class)
                .hasMessageStartingWith("workDir: '" + work + "' is not empty and was not made by mlnx-lustre");
        assertThat(work.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void anInvalidOrUnreadablePolicyFileCannotRunHereAMistypedPolicyIsABadRequest() throws Exception {
        Path invalid = Files.writeString(dir.resolve("site.yaml"), "base: public\n");
        assertThatThrownBy(() -> engine.plan(request(invalid.toString()))).isInstanceOf(CannotRunHereException.class)
                .hasMessageContaining("base: 'public' is not accepted");
        assertThatThrownBy(() -> run(request(invalid.toString()))).isInstanceOf(CannotRunHereException.class);
        Path directory = Files.createDirectories(dir.resolve("policy.yaml"));
        assertThatThrownBy(() -> engine.plan(request(directory.toString())))
                .isInstanceOf(InvalidRequestException.class);

        assertThatThrownBy(() -> engine.plan(request("strict"))).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("policy: 'strict' is neither distribute, internal nor an existing policy file");
        assertThatThrownBy(() -> run(request("strict"))).isInstanceOf(InvalidRequestException.class);
        assertThat(dir.resolve("work")).doesNotExist();
    }

    @Test
    void aNonEmptyOutputIsABadRequest() throws Exception {
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/old.rpm"), "x");
        assertThatThrownBy(() -> run(request("distribute"))).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("outputDir: '" + dir.resolve("out") + "' exists and is not empty");
    }
}
