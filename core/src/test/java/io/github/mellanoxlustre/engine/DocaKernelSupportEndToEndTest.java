package io.github.mellanoxlustre.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mellanoxlustre.engine.EngineFixtures.Outcome;
import io.github.mellanoxlustre.files.Sha256;
import io.github.mellanoxlustre.ofed.DocaKernelSupportTool;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.standin.DocaKernelSupportFixture;
import io.github.mellanoxlustre.testing.RpmQuery;
import io.github.mellanoxlustre.testing.TestRpm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ofed-installed --ofed-rebuild doca-kernel-support}: the installed DOCA-OFED rebuilt for the
 * Lustre kernel by the stand-in of DOCA-Host's own tool (real rpmbuild, real processes), its
 * {@code doca-kernel-repo-*.rpm} unpacked, and Lustre built against the packages it held. TMPDIR
 * points the tool's {@code mktemp} (and the engine's search) into the test's directory.
 */
class DocaKernelSupportEndToEndTest {
    static EngineFixtures f;
    /** The stand-in tool, with the stand-in mlnx-ofa_kernel source RPM in SRPMS/ beside it. */
    static Path tools;

    final BuildEngine engine = new BuildEngine();

    @TempDir
    Path dir;

    @BeforeAll
    static void standins(@TempDir Path shared) throws Exception {
        f = EngineFixtures.shared();
        Path srpm = f.bundle.extractSourceRpm(shared.resolve("unpacked"));
        tools = Files.createDirectories(shared.resolve("doca-tools"));
        DocaKernelSupportFixture.install(tools, srpm);
    }

    /** A build of the installed DOCA-OFED with doca-kernel-support, its own cache, TMPDIR in the test. */
    private EngineFixtures.Request request(Path toolDir, Map<String, String> env) throws Exception {
        EngineFixtures.Request req = f.request(dir);
        req.ofed = new OfedSource.Installed(Optional.empty());
        req.method = RebuildMethod.DOCA_KERNEL_SUPPORT;
        req.cache = Files.createDirectories(dir.resolve("cache"));
        Map<String, String> all = new HashMap<>(Map.of("PATH", toolDir + ":" + f.path(),
                "TMPDIR", Files.createDirectories(dir.resolve("tmp")).toString(),
                "DOCA_STANDIN_KSRC", f.kernel.dir().toString()));
        all.putAll(env);
        req.settings = req.settings.withEnvironment(all);
        return req;
    }

    private String repoRpmName() {
        return DocaKernelSupportFixture.repoRpmName(DocaKernelSupportFixture.DOCA_VERSION, EngineFixtures.KERNEL,
                EngineFixtures.ARCH);
    }

    @Test
    void theInstalledDocaOfedIsRebuiltByItsOwnToolAndLustreIsBuiltAgainstItsRepoPackages() throws Exception {
        Outcome o = EngineFixtures.run(engine, request(tools, Map.of()).build());
        BuildResult r = o.passed();

        Path repo = onlyRepoRpm();
        assertThat(repo.getFileName().toString()).isEqualTo(repoRpmName());
        assertThat(RpmQuery.query(repo, "--qf", "%{NAME} %{VERSION} %{RELEASE} %{ARCH}").get(0)).isEqualTo(
                "doca-kernel-repo " + DocaKernelSupportFixture.DOCA_VERSION + " 1.kver.4.18.0.477.27.1.el8.lustre.x86.64 "
                        + "x86_64");
        assertThat(o.console()).contains(tools.resolve("doca-kernel-support") + " -k " + EngineFixtures.KERNEL)
                .contains("doca-kernel-support made " + repo + " (named in its output)")
                .contains("doca-kernel-support left its temporary directory " + repo.getParent() + " in place");
        // the tool's directory is left where it was, the repo RPM in it
        assertThat(repo).isRegularFile();

        // what is published is what the repo RPM held: the kmod built by the tool's rpmbuild line
        Path published = publishedNamed(r, "kmod-mlnx-ofa_kernel");
        Path held = unpack(repo).stream().filter(p -> p.getFileName().toString().startsWith("kmod-mlnx-ofa_kernel-"))
                .findFirst().orElseThrow();
        assertThat(Sha256.of(published)).isEqualTo(Sha256.of(held));
        // --define "_kmp_build_num .1": the KMP release carries it
        assertThat(RpmQuery.query(published, "--qf", "%{RELEASE}").get(0))
                .startsWith(f.bundle.mofedRelease() + ".1");
        assertThat(publishedNamed(r, "mlnx-ofa_kernel-devel")).isRegularFile();
        Path lustre = publishedNamed(r, "kmod-lustre");
        assertThat(RpmQuery.query(lustre, "--qf", "%{NAME}").get(0)).isEqualTo("kmod-lustre");

        JsonNode ofed = new ObjectMapper().readTree(r.manifest().toFile()).path("ofed");
        assertThat(ofed.path("source").asText()).isEqualTo("ofedInstalled");
        assertThat(ofed.path("rebuildMethod").asText()).isEqualTo("doca-kernel-support");
        assertThat(ofed.path("flavour").asText()).isEqualTo("DOCA-OFED");
        assertThat(ofed.path("location").asText()).isEqualTo(tools.resolve("doca-kernel-support").toString());
        assertThat(ofed.path("sha256").asText()).isEqualTo(Sha256.of(tools.resolve("doca-kernel-support")));
    }

    @Test
    void withoutTheRepoRpmInItsOutputTheNewDocaDirectoryInTmpIsFoundAndAnOlderOneIgnored() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path old = Files.createDirectories(tmp.resolve("DOCA.from-an-earlier-run"));
        Path stale = Files.writeString(old.resolve(repoRpmName()), "an earlier run's repo RPM");
        FileTime hourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        Files.setLastModifiedTime(stale, hourAgo);
        Files.setLastModifiedTime(old, hourAgo);

        Outcome o = EngineFixtures.run(engine, request(tools, Map.of("DOCA_STANDIN_PRINT", "dir")).build());
        BuildResult r = o.passed();

        Path repo;
        try (Stream<Path> s = Files.list(tmp)) {
            repo = s.filter(p -> !p.equals(old)).map(p -> p.resolve(repoRpmName())).filter(Files::isRegularFile)
                    .findFirst().orElseThrow();
        }
        assertThat(o.console()).doesNotContain("Built " + repo)
                .contains("doca-kernel-support made " + repo + " (its output named no repo RPM: found the newest "
                        + "doca-kernel-repo-*.rpm in a " + tmp + "/DOCA* directory made during the run)");
        assertThat(stale).hasContent("an earlier run's repo RPM");
        assertThat(publishedNamed(r, "kmod-mlnx-ofa_kernel")).isRegularFile();
    }

    @Test
    void aRepoRpmWithoutMlnxOfaKernelPackagesStopsPhase3NamingItAndWhatItHeld() throws Exception {
        Path rpm = TestRpm.named("doca-kernel-repo").version("25.01.0.6.0.0").release("1.kver.test").arch("x86_64")
                .file("/etc/yum.repos.d/doca-kernel-test.repo", "[doca-kernel-test]\n")
                .file("/usr/share/doca-host-25.01.0.6.0.0/Modules/test/README", "no packages\n")
                .build(dir.resolve("built"));
        Path fake = fakeTool("d=$(mktemp -d \"$TMPDIR/DOCA.XXXXXXXXXX\")\ncp " + rpm + " \"$d/\"\n"
                + "echo \"Built $d/" + rpm.getFileName() + "\"\n");

        Outcome o = EngineFixtures.run(engine, request(fake.getParent(), Map.of()).build());
        BuildFailedException e = o.failed();

        assertThat(e.phaseIndex()).isEqualTo(3);
        assertThat(e.getMessage()).contains(rpm.getFileName() + " (made by doca-kernel-support) holds no "
                + "mlnx-ofa_kernel kernel packages for " + EngineFixtures.KERNEL);
        assertThat(e.details()).contains("holds: /etc/yum.repos.d/doca-kernel-test.repo",
                "holds: /usr/share/doca-host-25.01.0.6.0.0/Modules/test/README");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void twoNewDocaDirectoriesAreNotGuessedBetween() throws Exception {
        Path rpm = TestRpm.named("doca-kernel-repo").version("1").release("1").arch("x86_64")
                .file("/etc/yum.repos.d/x.repo", "[x]\n").build(dir.resolve("built"));
        Path fake = fakeTool("for n in 1 2; do d=$(mktemp -d \"$TMPDIR/DOCA.XXXXXXXXXX\"); cp " + rpm
                + " \"$d/\"; done\n");

        BuildFailedException e = EngineFixtures.run(engine, request(fake.getParent(), Map.of()).build()).failed();

        assertThat(e.phaseIndex()).isEqualTo(3);
        List<Path> made;
        try (Stream<Path> s = Files.list(dir.resolve("tmp"))) {
            made = s.map(p -> p.resolve(rpm.getFileName())).sorted().toList();
        }
        assertThat(made).hasSize(2);
        assertThat(e.getMessage()).contains("not guessing between them: " + made.get(0) + " and " + made.get(1));
    }

    @Test
    void aMissingToolIsAPreflightProblemNamingWhereItWasLookedForAndItsPackage() throws Exception {
        assumeThat(DocaKernelSupportTool.DEFAULT).as("this machine has DOCA's real tool; the test needs it missing")
                .doesNotExist();
        BuildFailedException e = EngineFixtures.run(engine, request(f.toolBin, Map.of()).build()).failed();

        assertThat(e.phaseIndex()).isEqualTo(1);
        assertThat(e.getMessage() + "\n" + String.join("\n", e.details()))
                .contains("doca-kernel-support is neither on the tools' PATH (" + f.toolBin + ":")
                .contains("nor at /opt/mellanox/doca/tools/doca-kernel-support")
                .contains("dnf install doca-extra");
    }

    /** A tool of the test's own, as {@code doca-kernel-support} on the PATH. */
    private Path fakeTool(String body) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("fake-bin"));
        Path tool = Files.writeString(bin.resolve("doca-kernel-support"), "#!/bin/bash\nset -e\n" + body);
        assertThat(tool.toFile().setExecutable(true)).isTrue();
        return tool;
    }

    private Path onlyRepoRpm() throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve("tmp"))) {
            List<Path> found = s.filter(p -> p.getFileName().toString().startsWith("doca-kernel-repo-")).toList();
            assertThat(found).hasSize(1);
            assertThat(found.get(0).getParent().getFileName().toString()).startsWith("DOCA.");
            return found.get(0);
        }
    }

    private static Path publishedNamed(BuildResult r, String name) throws Exception {
        for (Path p : r.published()) {
            if (RpmQuery.query(p, "--qf", "%{NAME}").get(0).equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no " + name + " among " + r.published());
    }

    /** The RPMs a repo RPM's payload holds, unpacked with rpm2cpio and cpio. */
    private List<Path> unpack(Path rpm) throws Exception {
        Path root = Files.createDirectories(dir.resolve("payload"));
        Path cpio = dir.resolve("payload.cpio");
        Process a = new ProcessBuilder("rpm2cpio", rpm.toString()).redirectOutput(cpio.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(a.waitFor()).isZero();
        Process b = new ProcessBuilder("cpio", "-idm", "--quiet", "--no-absolute-filenames").directory(root.toFile())
                .redirectInput(cpio.toFile()).redirectErrorStream(true).start();
        b.getInputStream().readAllBytes();
        assertThat(b.waitFor()).isZero();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".rpm")).toList();
        }
    }
}
