package io.github.mellanoxlustre.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mellanoxlustre.engine.EngineFixtures.Outcome;
import io.github.mellanoxlustre.files.Sha256;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.testing.RpmQuery;
import io.github.mellanoxlustre.testing.TestRpm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole builds from each OFED source besides a bundle: a bare source RPM, a DOCA-Host repository
 * directory, and the OFED already installed (unpacked under a scratch root, nothing written outside it).
 */
class OfedSourcesEndToEndTest {
    static EngineFixtures f;
    /** The stand-in bundle's mlnx-ofa_kernel source RPM, taken out the way lbuild's unpack_ofed does. */
    static Path srpm;

    final BuildEngine engine = new BuildEngine();

    @TempDir
    Path dir;

    @BeforeAll
    static void standins(@TempDir Path shared) throws Exception {
        f = EngineFixtures.shared();
        srpm = f.bundle.extractSourceRpm(shared.resolve("unpacked"));
    }

    private static List<String> names(List<Path> rpms) throws Exception {
        List<String> names = new ArrayList<>();
        for (Path p : rpms) {
            names.add(RpmQuery.query(p, "--qf", "%{NAME}").get(0));
        }
        return names.stream().sorted().toList();
    }

    private static JsonNode manifestOfed(BuildResult r) throws Exception {
        return new ObjectMapper().readTree(r.manifest().toFile()).path("ofed");
    }

    private String expectedVersion() {
        return f.bundle.mofedVersion() + "-" + f.bundle.mofedRelease();
    }

    @Test
    void aBareSourceRpmIsRebuiltItsVersionReadFromItsHeaderNotItsName() throws Exception {
        Path renamed = Files.copy(srpm, dir.resolve("ofa-kernel-from-the-artifact-store.src.rpm"));
        EngineFixtures.Request req = f.request(dir);
        req.ofed = new OfedSource.SourceRpm(BundleLocation.parse(BundleLocation.Kind.SOURCE_RPM, renamed.toString(),
                null));
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildResult r = o.passed();

        assertThat(o.console()).contains("OFED: MLNX_OFED " + expectedVersion() + ", x86_64 (from the OFED source RPM "
                + renamed.getFileName() + ")");
        assertThat(names(r.published())).contains("kmod-mlnx-ofa_kernel", "mlnx-ofa_kernel-devel", "kmod-lustre");
        JsonNode ofed = manifestOfed(r);
        assertThat(ofed.path("source").asText()).isEqualTo("ofedSrpm");
        assertThat(ofed.path("version").asText()).isEqualTo(expectedVersion());
        assertThat(ofed.path("sha256").asText()).isEqualTo(Sha256.of(renamed));
        assertThat(ofed.path("rebuildMethod").asText()).isEqualTo("srpm-rebuild");
        assertThat(ofed.has("distro")).isFalse();
    }

    @Test
    void aNonKmpRebuildGivesTheModulesPackageForExactlyThisKernel() throws Exception {
        EngineFixtures.Request req = f.request(dir);
        req.ofed = new OfedSource.SourceRpm(BundleLocation.parse(BundleLocation.Kind.SOURCE_RPM, srpm.toString(),
                null));
        req.settings = req.settings.withOfedKmp(false);
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildResult r = o.passed();

        assertThat(o.console()).contains("--define 'KVERSION " + EngineFixtures.KERNEL + "' --define 'K_SRC ")
                .doesNotContain("KMP 1");
        assertThat(names(r.published())).contains("mlnx-ofa_kernel-modules", "mlnx-ofa_kernel-devel")
                .doesNotContain("kmod-mlnx-ofa_kernel");
        assertThat(manifestOfed(r).path("kernelPackaging").asText()).isEqualTo("modules");
    }

    @Test
    void aSourceRpmOfAnotherPackageStopsTheBuildBeforeTheRebuild() throws Exception {
        Path other = TestRpm.named("ofa-lookalike").version("1.0").buildSource(dir.resolve("srpms"));
        EngineFixtures.Request req = f.request(dir);
        req.ofed = new OfedSource.SourceRpm(BundleLocation.parse(BundleLocation.Kind.SOURCE_RPM, other.toString(),
                null));
        BuildFailedException e = EngineFixtures.run(engine, req.build()).failed();
        assertThat(e.phaseIndex()).isEqualTo(2);
        assertThat(e.getMessage()).contains("ofedSrpm: " + other.getFileName() + " is the source RPM of "
                + "ofa-lookalike, not the source RPM of mlnx-ofa_kernel");
        assertThat(req.output).doesNotExist();
    }

    @Test
    void aDocaRepositoryDirectoryGivesItsSourcesArchiveNotItsPrebuiltKernelPackages() throws Exception {
        Path repo = dir.resolve("mirror/doca/3.2.1");
        Path sources = Files.createDirectories(repo.resolve("SOURCES/mlnx_ofed"));
        Path unpacked = f.bundle.extractTo(dir.resolve("bundle"));
        Path archive = Files.copy(unpacked.resolve(f.bundle.sourceTarballPath()),
                sources.resolve("MLNX_OFED_SRC-" + f.bundle.version() + ".tgz"));
        // the binary repository's kernel packages are for the distribution's stock kernel: never taken
        Path binary = Files.createDirectories(repo.resolve("rhel9.4/x86_64"));
        Files.writeString(binary.resolve("kmod-mlnx-ofa_kernel-25.10-OFED.25.10.1.7.1.1.rhel9u4.x86_64.rpm"),
                "not for the Lustre kernel");
        EngineFixtures.Request req = f.request(dir);
        req.ofed = new OfedSource.DocaRepo(Optional.of(repo), Optional.empty());
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildResult r = o.passed();

        assertThat(o.console()).contains("OFED: DOCA-OFED " + expectedVersion() + " (DOCA 3.2.1), x86_64");
        JsonNode ofed = manifestOfed(r);
        assertThat(ofed.path("source").asText()).isEqualTo("docaRepo");
        assertThat(ofed.path("flavour").asText()).isEqualTo("DOCA-OFED");
        assertThat(ofed.path("docaVersion").asText()).isEqualTo("3.2.1");
        assertThat(ofed.path("location").asText()).isEqualTo(repo.toString());
        assertThat(ofed.path("sha256").asText()).isEqualTo(Sha256.of(archive));
        assertThat(r.published().stream().map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.contains("rhel9u4"));
        assertThat(names(r.published())).contains("kmod-mlnx-ofa_kernel", "kmod-lustre");
    }

    @Test
    void theInstalledOfedIsUsedAsItIsAndNothingOfItIsPublished() throws Exception {
        Path root = installedRoot();
        EngineFixtures.Request req = f.request(dir);
        req.ofed = new OfedSource.Installed(Optional.of(root));
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildResult r = o.passed();

        Path tree = root.resolve("usr/src/ofa_kernel/x86_64/" + EngineFixtures.KERNEL);
        assertThat(o.console()).contains("installed OFED kernel tree: " + tree.toRealPath())
                .contains("nothing to rebuild: the installed OFED's modules are used as they are")
                .contains("against the installed OFED's Module.symvers");
        assertThat(names(r.published())).contains("kmod-lustre").noneMatch(n -> n.contains("mlnx-ofa_kernel"));
        JsonNode ofed = manifestOfed(r);
        assertThat(ofed.path("source").asText()).isEqualTo("ofedInstalled");
        assertThat(ofed.has("rebuildMethod")).isFalse();
        assertThat(ofed.path("location").asText()).isEqualTo(tree.toRealPath().toString());
    }

    @Test
    void onThisMachineTheInstalledOfedIsFoundThroughOfedInfoAndItsPackagesFileList() throws Exception {
        // as Lustre's configure: ofed_info on the PATH, then rpm -ql of the OFED packages; stand-ins of
        // both (the rest of rpm is the real one) list a tree in the scratch directory
        Path root = installedRoot();
        Path listed = root.resolve("usr/src/ofa_kernel");
        Path bin = Files.createDirectories(dir.resolve("ofed-bin"));
        Path ofedInfo = Files.writeString(bin.resolve("ofed_info"),
                "#!/bin/sh\n[ \"$1\" = -s ] && echo 'OFED-internal-25.10-1.7.1:'\n");
        Path rpm = Files.writeString(bin.resolve("rpm"), "#!/bin/sh\n"
                + "if [ \"$1\" = -ql ] && [ \"$2\" = mlnx-ofa_kernel-devel ]; then\n"
                + "  echo " + listed + "/x86_64/" + EngineFixtures.KERNEL + "/ofed_scripts/ofa_kernel\n"
                + "  echo " + listed + "\n  exit 0\nfi\n"
                + "if [ \"$1\" = -ql ]; then echo \"package $2 is not installed\"; exit 1; fi\n"
                + "exec " + realRpm() + " \"$@\"\n");
        ofedInfo.toFile().setExecutable(true);
        rpm.toFile().setExecutable(true);
        EngineFixtures.Request req = f.request(dir);
        req.ofed = new OfedSource.Installed(Optional.empty());
        req.settings = req.settings.withEnvironment(java.util.Map.of("PATH", bin + ":" + f.path()));
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildResult r = o.passed();

        Path tree = listed.resolve("x86_64/" + EngineFixtures.KERNEL);
        assertThat(o.console()).contains("ofed_info -s: OFED-internal-25.10-1.7.1:")
                .contains("installed OFED kernel tree: " + tree.toRealPath() + " (listed by the OFED packages ("
                        + listed + "))")
                .contains("OFED: DOCA-OFED 25.10-1.7.1, x86_64");
        assertThat(manifestOfed(r).path("flavour").asText()).isEqualTo("DOCA-OFED");
        assertThat(names(r.published())).noneMatch(n -> n.contains("mlnx-ofa_kernel"));
    }

    private static String realRpm() {
        return io.github.mellanoxlustre.process.ProgramPath.find("rpm", System.getenv("PATH")).orElseThrow().toString();
    }

    @Test
    void twoInstalledOfedTreesAreNotGuessedBetween() throws Exception {
        Path root = installedRoot();
        Path tree = root.resolve("usr/src/ofa_kernel/x86_64/" + EngineFixtures.KERNEL);
        Path second = root.resolve("usr/src/ofa_kernel-dkms/x86_64/" + EngineFixtures.KERNEL);
        Files.createDirectories(second.getParent());
        copyTree(tree, second);
        EngineFixtures.Request req = f.request(dir);
        req.ofed = new OfedSource.Installed(Optional.of(root));
        BuildFailedException e = EngineFixtures.run(engine, req.build()).failed();
        assertThat(e.phaseIndex()).isEqualTo(2);
        assertThat(e.getMessage()).contains("several OFED kernel trees are visible").contains(tree.toRealPath()
                .toString()).contains(second.toRealPath().toString());

        // naming the tree itself settles it
        EngineFixtures.Request chosen = f.request(dir.resolve("chosen"));
        chosen.ofed = new OfedSource.Installed(Optional.of(second));
        assertThat(EngineFixtures.run(engine, chosen.build()).passed().published()).isNotEmpty();
    }

    /** A scratch root with the rebuilt mlnx-ofa_kernel-devel unpacked into it, as an installed OFED has it. */
    private Path installedRoot() throws Exception {
        EngineFixtures.Request first = f.request(dir.resolve("from-srpm"));
        first.ofed = new OfedSource.SourceRpm(BundleLocation.parse(BundleLocation.Kind.SOURCE_RPM, srpm.toString(),
                null));
        BuildResult built = EngineFixtures.run(engine, first.build()).passed();
        Path devel = built.published().stream().filter(p -> p.getFileName().toString().startsWith(
                "mlnx-ofa_kernel-devel-")).findFirst().orElseThrow();
        Path root = Files.createDirectories(dir.resolve("root"));
        Path cpio = dir.resolve("devel.cpio");
        Process a = new ProcessBuilder("rpm2cpio", devel.toString()).redirectOutput(cpio.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(a.waitFor()).isZero();
        Process b = new ProcessBuilder("cpio", "-idm", "--quiet", "--no-absolute-filenames").directory(root.toFile())
                .redirectInput(cpio.toFile()).redirectErrorStream(true).start();
        b.getInputStream().readAllBytes();
        assertThat(b.waitFor()).isZero();
        return root;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
    }
}
