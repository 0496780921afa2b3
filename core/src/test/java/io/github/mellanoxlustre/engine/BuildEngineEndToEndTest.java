package io.github.mellanoxlustre.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mellanoxlustre.engine.EngineFixtures.Outcome;
import io.github.mellanoxlustre.engine.phase.Phase;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.policy.CheckVerdict;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.policy.Verdict;
import io.github.mellanoxlustre.report.ReportFormat;
import io.github.mellanoxlustre.standin.OfedBundle;
import io.github.mellanoxlustre.standin.OfedBundleFixture;
import io.github.mellanoxlustre.standin.ZfsDevel;
import io.github.mellanoxlustre.standin.ZfsDevelFixture;
import io.github.mellanoxlustre.testing.RpmQuery;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole builds on the stand-ins that succeed: what is published, and how. */
class BuildEngineEndToEndTest {
    static EngineFixtures f;
    final BuildEngine engine = new BuildEngine();

    @TempDir
    Path dir;

    @BeforeAll
    static void standins() throws Exception {
        f = EngineFixtures.shared();
    }

    private static List<String> rpmNames(List<Path> rpms) throws Exception {
        List<String> names = new ArrayList<>();
        for (Path p : rpms) {
            names.add(RpmQuery.query(p, "--qf", "%{NAME}").get(0));
        }
        return names.stream().sorted().toList();
    }

    @Test
    void kmodLdiskfsServerBuildPublishesAVerifiedRepository() throws Exception {
        EngineFixtures.Request req = f.request(dir);
        BuildPlan plan = engine.plan(req.build());
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildResult r = o.passed();

        assertThat(r.verdict()).isEqualTo(CheckVerdict.PASS);
        assertThat(r.exitCode()).isZero();
        assertThat(rpmNames(r.published())).contains("kmod-lustre", "kmod-lustre-osd-ldiskfs", "lustre",
                "lustre-osd-ldiskfs-mount", "kmod-mlnx-ofa_kernel", "mlnx-ofa_kernel-devel")
                .noneMatch(n -> n.contains("zfs"));
        assertThat(r.withheld()).isEmpty();
        assertThat(r.withheldDir()).isEmpty();
        assertThat(dir.resolve("out-withheld")).doesNotExist();
        for (int i = 1; i <= 9; i++) {
            assertThat(o.console()).contains("==> [" + i + "/9] ");
        }
        assertThat(o.console()).contains("==> [3/9] Rebuild OFED kernel modules (srpm-rebuild)",
                "<== [9/9] Check the policy and publish: done in");
        // plan and run follow the one phase table, in its order
        List<String> table = Arrays.stream(Phase.values()).map(p -> p.number() + " " + p.title()).toList();
        assertThat(r.phases()).extracting(t -> t.index() + " " + t.title()).containsExactlyElementsOf(table);
        assertThat(plan.phases()).extracting(p -> p.index() + " " + p.title())
                .containsExactlyElementsOf(table);
        // Each phase's time and the tools' share of it: the build (make rpms) is mostly tools.
        assertThat(o.console()).containsPattern("<== \\[7/9\\] Build the Lustre RPMs: done in [0-9.]+ s \\(tools [0-9.]+ s\\)");

        // the repository: RPMs, reports, manifest, SHA256SUMS that sha256sum -c accepts, yum metadata
        Path out = req.output;
        assertThat(EngineFixtures.names(out)).contains("manifest.json", "SHA256SUMS", "report.json", "report.html",
                "repodata");
        assertThat(out.resolve("repodata/repomd.xml")).isRegularFile();
        assertThat(r.repoMetadata()).isTrue();
        Process check = new ProcessBuilder("sha256sum", "-c", "--strict", "SHA256SUMS").directory(out.toFile())
                .redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(checked).isZero();
        for (Path rpm : r.published()) {
            assertThat(checked).contains(rpm.getFileName() + ": OK");
        }

        JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertThat(m.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(m.path("verdict").asText()).isEqualTo("PASS");
        assertThat(m.path("policy").asText()).isEqualTo("distribute");
        assertThat(m.path("kernel").path("release").asText()).isEqualTo(EngineFixtures.KERNEL);
        assertThat(m.path("ofed").path("sha256").asText())
                .isEqualTo(io.github.mellanoxlustre.files.Sha256.of(f.bundle.tgz()));
        assertThat(m.path("ofed").path("version").asText()).isEqualTo(EngineFixtures.OFED_VERSION);
        assertThat(m.path("ofed").path("rebuildMethod").asText()).isEqualTo("srpm-rebuild");
        assertThat(m.path("ofed").path("cacheKey").asText()).isEqualTo(r.ofedCacheKey()).hasSize(64);
        assertThat(m.path("lustre").path("ref").asText()).isEqualTo("b2_15");
        assertThat(m.path("lustre").path("commit").asText()).matches("[0-9a-f]{40}")
                .isEqualTo(r.lustreCommit().orElseThrow());
        assertThat(m.path("lustre").path("configure").toString()).contains("--with-o2ib=", "--without-zfs");
        assertThat(m.path("tools").path("rpmbuild").asText()).startsWith("RPM version");
        assertThat(m.path("rpms")).hasSize(r.published().size());
        for (JsonNode rpm : m.path("rpms")) {
            Path file = out.resolve(rpm.path("file").asText());
            assertThat(rpm.path("sha256").asText()).isEqualTo(io.github.mellanoxlustre.files.Sha256.of(file));
            assertThat(rpm.path("verdict").asText()).isEqualTo("DISTRIBUTABLE");
            assertThat(rpm.path("published").asBoolean()).isTrue();
        }
        // nothing but the output beside it: no staging left
        assertThat(EngineFixtures.names(dir)).containsExactly("out", "work");
    }

    @Test
    void withoutCreaterepoTheRepositoryHasNoMetadataAndTheLogSaysSo() throws Exception {
        // a PATH with every program of this machine except createrepo_c
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String d : List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(d);
            if (!Files.isDirectory(p)) {
                continue;
            }
            try (var s = Files.list(p)) {
                for (Path exe : s.toList()) {
                    Path link = bin.resolve(exe.getFileName().toString());
                    if (!exe.getFileName().toString().equals("createrepo_c") && !Files.exists(link,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, exe);
                    }
                }
            }
        }
        EngineFixtures.Request req = f.request(dir);
        req.settings = req.settings.withEnvironment(java.util.Map.of("PATH", f.toolBin + ":" + bin));
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildResult r = o.passed();
        assertThat(r.repoMetadata()).isFalse();
        assertThat(req.output.resolve("repodata")).doesNotExist();
        assertThat(o.console()).contains("createrepo_c is not installed: no yum repository metadata");
        JsonNode m = new ObjectMapper().readTree(req.output.resolve("manifest.json").toFile());
        assertThat(m.path("tools").path("createrepo_c").asText()).isEqualTo("not found");
        Process check = new ProcessBuilder("sha256sum", "-c", "--strict", "--quiet", "SHA256SUMS")
                .directory(req.output.toFile()).redirectErrorStream(true).start();
        assertThat(check.waitFor()).isZero();
    }

    @Test
    void aDocaEraSourceRpmIsRebuiltWithItsKernelPackages() throws Exception {
        // the 25.x spec builds kmod and -devel only "--with building_kmods"; without it phase 3 found
        // only -dkms, -source and the utilities and the build stopped
        OfedBundle doca = OfedBundleFixture.create(dir.resolve("bundle"), "25.10-1.7.1.1", "rhel9.4",
                EngineFixtures.ARCH, OfedBundleFixture.Options.defaults().withoutPrebuiltKernelRpms()
                        .withSupportedKernels("5.14.0-427.13.1.el9_4.x86_64"));
        EngineFixtures.Request req = f.request(dir);
        req.bundle = doca.tgz().toString();
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildResult r = o.passed();
        assertThat(o.console()).contains("--with building_kmods");
        assertThat(rpmNames(r.published())).contains("kmod-mlnx-ofa_kernel", "mlnx-ofa_kernel-devel", "kmod-lustre");
    }

    @Test
    void dkmsPackaging() throws Exception {
        EngineFixtures.Request req = f.request(dir);
        req.packaging = EnumSet.of(LustreOptions.Packaging.DKMS);
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildResult r = o.passed();
        assertThat(o.console()).contains("make -j2 dkms-rpms");
        assertThat(rpmNames(r.published())).contains("lustre-ldiskfs-dkms", "kmod-mlnx-ofa_kernel")
                .doesNotContain("kmod-lustre");
    }

    @Test
    void zfsOsdKmodIsWithheldUnderDistributeAndPublishedWithWarningsUnderInternal() throws Exception {
        ZfsDevel zfs = ZfsDevelFixture.create(dir.resolve("zfs"), "2.1.15", EngineFixtures.KERNEL);
        EngineFixtures.Request req = f.request(dir);
        req.backends = EnumSet.of(LustreOptions.Backend.LDISKFS, LustreOptions.Backend.ZFS);
        req.zfsSource = Optional.of(zfs.sourceDir());
        req.zfsObj = Optional.of(zfs.objectDir());
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildResult r = o.passed();
        assertThat(r.verdict()).isEqualTo(CheckVerdict.FAIL);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(rpmNames(r.withheld())).contains("kmod-lustre-osd-zfs");
        assertThat(rpmNames(r.published())).contains("kmod-lustre", "kmod-lustre-osd-ldiskfs")
                .doesNotContain("kmod-lustre-osd-zfs");
        Path withheld = dir.resolve("out-withheld");
        assertThat(r.withheldDir()).contains(withheld);
        assertThat(EngineFixtures.names(withheld)).contains("WITHHELD.txt");
        for (Path p : r.withheld()) {
            assertThat(p).isRegularFile().hasParent(withheld);
            assertThat(req.output.resolve(p.getFileName())).doesNotExist();
        }
        assertThat(Files.readString(req.output.resolve("SHA256SUMS"))).doesNotContain("osd-zfs-2");
        JsonNode m = new ObjectMapper().readTree(req.output.resolve("manifest.json").toFile());
        assertThat(m.path("verdict").asText()).isEqualTo("FAIL");
        assertThat(m.path("withheldDir").asText()).isEqualTo(withheld.toString());
        assertThat(m.path("lustre").path("configure").toString()).contains("--with-zfs=" + zfs.sourceDir());
        // issue 10: the result carries the report that decided what was published (the plugin shows it)
        assertThat(r.report().verdict()).isEqualTo(CheckVerdict.FAIL);
        assertThat(r.report().packages()).hasSize(r.published().size() + r.withheld().size());
        for (PackageResult p : r.report().packages()) {
            List<Path> where = p.verdict() == Verdict.FORBIDDEN ? r.withheld() : r.published();
            assertThat(where).as(p.file()).anyMatch(f -> f.getFileName().toString().equals(p.file()));
        }
        StringWriter json = new StringWriter();
        ReportFormat.JSON.writer().write(r.report(), json);
        assertThat(r.jsonReport()).hasContent(json.toString());
        // issue 12: osd-zfs-mount is published, but it requires the withheld kmod: the report and the summary say so
        assertThat(rpmNames(r.published())).contains("lustre-osd-zfs-mount");
        PackageResult mount = r.report().packages().stream()
                .filter(p -> p.rpm().orElseThrow().name().equals("lustre-osd-zfs-mount")).findFirst().orElseThrow();
        assertThat(mount.verdict()).isEqualTo(Verdict.DISTRIBUTABLE);
        assertThat(mount.findings()).filteredOn(fd -> fd.rule().equals("needs-withheld-package"))
                .extracting(fd -> fd.evidence()).contains("kmod-lustre-osd-zfs");
        assertThat(r.summary()).contains(" of published RPMs only met by withheld ones: lustre-osd-zfs-mount requires"
                + " kmod-lustre-osd-zfs (withheld kmod-lustre-osd-zfs-");
        assertThat(o.console()).contains("==> " + r.summary());
        assertThat(r.htmlReport()).content().contains("requires kmod-lustre-osd-zfs, which only the withheld"
                + " kmod-lustre-osd-zfs-");
        assertThat(withheld.resolve("WITHHELD.txt")).content().contains("Published RPMs that need a withheld one")
                .contains("lustre-osd-zfs-mount-");

        Path dir2 = Files.createDirectories(dir.resolve("internal"));
        EngineFixtures.Request internal = f.request(dir2);
        internal.backends = req.backends;
        internal.zfsSource = req.zfsSource;
        internal.zfsObj = req.zfsObj;
        internal.policy = "internal";
        BuildResult ri = EngineFixtures.run(engine, internal.build()).passed();
        assertThat(ri.verdict()).isEqualTo(CheckVerdict.PASS);
        assertThat(ri.withheld()).isEmpty();
        assertThat(rpmNames(ri.published())).contains("kmod-lustre-osd-zfs");
        assertThat(ri.warnings()).isPositive();
        assertThat(ri.needsWithheld()).isEmpty();   // nothing withheld, nothing missing
        assertThat(dir2.resolve("out-withheld")).doesNotExist();
    }
}
