package io.github.mellanoxlustre.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.rpm.BigHeaderRpms;
import io.github.mellanoxlustre.testing.LustreZfsRpms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlnx-lustre check} in a JVM of its own with a small heap (-Xmx), as users run it: a valid
 * RPM with a million dependencies is read in 256 MB, and a file too big for the heap is reported as
 * an internal failure (exit 3), never as "forbidden" (1), with every other file still reported.
 */
class CheckCommandMemoryTest {
    @TempDir
    static Path shared;
    static Path good;
    static Path other;

    /** Outcome of one forked run. */
    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void buildRpms() throws Exception {
        good = LustreZfsRpms.lustre(shared.resolve("a"));
        other = LustreZfsRpms.zfs(shared.resolve("c"));
    }

    static Run fork(String xmx, Path... files) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                xmx, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "check"));
        for (Path f : files) {
            cmd.add(f.toString());
        }
        Path out = Files.createTempFile(shared, "out", ".txt");
        Path err = Files.createTempFile(shared, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("check did not finish in 120 s: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void millionDependenciesAreReadIn256Megabytes() throws Exception {
        // rpm -qp reads this header (1,048,575 one-character requires and provides) in 22 MB.
        Path big = BigHeaderRpms.manyDependencies(shared.resolve("b/many-deps-1-1.x86_64.rpm"),
                BigHeaderRpms.ARRAY_MAX);
        Run r = fork("-Xmx256m", good, big, other);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("DISTRIBUTABLE  lustre-1:2.15.4-1.el8.x86_64")
                .contains("DISTRIBUTABLE  many-deps-1-1.x86_64  (" + big + ")")
                .contains("DISTRIBUTABLE  zfs-2.1.5-1.el8.x86_64")
                .endsWith("PASS: 3 files, 3 distributable, 0 forbidden, 0 errors\n");
        assertThat(r.code()).isZero();
    }

    @Test
    void aFileTooBigForTheHeapIsAnInternalFailureAndHidesNothing() throws Exception {
        // 40 MB of header: under the reader's 64 MiB cap, over a 32 MB heap.
        Path huge = BigHeaderRpms.bigBinary(shared.resolve("h/big-bin-1-1.x86_64.rpm"), 40 * 1024 * 1024);
        Run r = fork("-Xmx32m", good, huge, other);
        assertThat(r.out()).contains("DISTRIBUTABLE  lustre-1:2.15.4-1.el8.x86_64")
                .contains("ERROR          " + huge + ": internal failure: out of memory")
                .contains("DISTRIBUTABLE  zfs-2.1.5-1.el8.x86_64")
                .endsWith("INCOMPLETE: 3 files, 2 distributable, 0 forbidden, 1 error\n");
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(3);
    }
}
