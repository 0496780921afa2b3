package io.github.mellanoxlustre.standin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.testing.RpmQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in doca-kernel-support keeps the public contract (docs/tool-contracts.md, section 17). */
class DocaKernelSupportFixtureTest {
    static final String KERNEL = "4.18.0-477.27.1.el8_lustre.x86_64";

    @TempDir
    Path dir;

    private Path tool() throws Exception {
        Path srpm = Files.createDirectories(dir.resolve("SRPMS-in")).resolve("mlnx-ofa_kernel-5.8-OFED.5.8.2.0.3.1.src.rpm");
        Files.writeString(srpm, "not read before the options are");
        return DocaKernelSupportFixture.install(dir.resolve("tools"), srpm);
    }

    private ProcessRun run(Path tool, Map<String, String> env, String... args) throws Exception {
        String[] argv = Stream.concat(Stream.of(tool.toString()), Stream.of(args)).toArray(String[]::new);
        return ProcessRun.exec(dir, env, Duration.ofMinutes(5), argv);
    }

    @Test
    void unknownOptionsAreRefusedAsGetoptDoes() throws Exception {
        Path tool = tool();
        ProcessRun r = run(tool, Map.of("TMPDIR", dir.toString()), "--kmp", "-k", KERNEL);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("doca-kernel-support: unrecognized option '--kmp'").contains("Usage:");
        ProcessRun missing = run(tool, Map.of("TMPDIR", dir.toString()), "-k");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.output()).contains("option requires an argument -- 'k'");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("DOCA."));
        }
    }

    @Test
    void withoutTheKernelTreeItCannotDetermineTheKernelVersion() throws Exception {
        ProcessRun r = run(tool(), Map.of("TMPDIR", dir.toString(), "DOCA_STANDIN_KSRC",
                dir.resolve("no-tree").toString()), "-k", KERNEL);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("could not determine kernel version");
    }

    @Test
    void itRebuildsTheSourceRpmIntoARepoRpmInADocaDirectoryUnderTmpdir() throws Exception {
        KernelTree kernel = KernelTreeFixture.create(dir.resolve("kernel"), KERNEL);
        OfedBundle bundle = OfedBundleFixture.create(dir.resolve("bundle"), "5.8-2.0.3.0", "rhel8.8", "x86_64");
        Path tool = DocaKernelSupportFixture.install(dir.resolve("tools"),
                bundle.extractSourceRpm(dir.resolve("unpacked")));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        ProcessRun r = run(tool, Map.of("TMPDIR", tmp.toString(), "DOCA_STANDIN_KSRC", kernel.dir().toString()),
                "-k", KERNEL);
        assertThat(r.exitCode()).as(r.output()).isZero();

        Path docaDir;
        try (Stream<Path> s = Files.list(tmp)) {
            docaDir = s.filter(p -> p.getFileName().toString().startsWith("DOCA.")).findFirst().orElseThrow();
        }
        Path repo = docaDir.resolve(DocaKernelSupportFixture.repoRpmName("25.01.0.6.0.0", KERNEL, "x86_64"));
        assertThat(r.output()).contains("Built " + repo);
        assertThat(Files.readString(docaDir.resolve("doca-kernel-support.log")))
                .contains("--define '_kmp_build_num .1'").contains("--define 'KMP 1'");
        List<String> payload = RpmQuery.query(repo, "-l");
        String modules = "/usr/share/doca-host-25.01.0.6.0.0/Modules/" + KERNEL + "/";
        assertThat(payload).contains("/etc/yum.repos.d/doca-kernel-" + KERNEL + ".repo", modules + "repodata")
                .anyMatch(f -> f.startsWith(modules + "kmod-mlnx-ofa_kernel-5.8-OFED.5.8.2.0.3.1.1"))
                .anyMatch(f -> f.startsWith(modules + "mlnx-ofa_kernel-devel-5.8-"));
    }
}
