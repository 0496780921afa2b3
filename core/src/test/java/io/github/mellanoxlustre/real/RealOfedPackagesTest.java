package io.github.mellanoxlustre.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.kernel.KernelSymbolCheck;
import io.github.mellanoxlustre.kernel.ModuleSymvers;
import io.github.mellanoxlustre.ofed.O2ibTree;
import io.github.mellanoxlustre.ofed.OfedBundleName;
import io.github.mellanoxlustre.ofed.OfedKernelPackages;
import io.github.mellanoxlustre.ofed.OfedRpm;
import io.github.mellanoxlustre.rpm.RpmDependency;
import io.github.mellanoxlustre.rpm.RpmPackage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's OFED-side assumptions against what the real toolchain produced: the real
 * mlnx-ofa_kernel 24.10 and 25.10 (DOCA 3.2.1) SRPMs rebuilt by the engine's phase 3 ({@code KMP 1},
 * {@code --with building_kmods}) with EL's kmod macros and dependency generators for a Debian 6.1
 * kernel labelled {@code 6.1.0-57.deb12.x86_64} (captured by {@code tools/real-toolchain-capture.sh};
 * see {@code src/test/resources/real/README.md}).
 */
class RealOfedPackagesTest {
    static final String KERNEL = "6.1.0-57.deb12.x86_64";
    /** The in-kernel stack's CRC of __ib_alloc_pd in Debian's 6.1.0-57 Module.symvers. */
    static final String KERNEL_IB_ALLOC_PD = "0x5d276342";

    @TempDir
    Path tmp;

    static Path dir() throws URISyntaxException {
        return dir("24.10");
    }

    static Path dir(String version) throws URISyntaxException {
        return Path.of(RealOfedPackagesTest.class.getResource("/real/ofed-" + version).toURI());
    }

    /** A package as {@code rpm -qp} described it. */
    static RpmPackage read(Path dump) throws IOException {
        Map<String, String> one = new TreeMap<>();
        List<RpmDependency> provides = new ArrayList<>();
        List<RpmDependency> requires = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (String line : Files.readAllLines(dump, StandardCharsets.UTF_8)) {
            int sp = line.indexOf(' ');
            if (sp < 0) {
                continue;
            }
            String key = line.substring(0, sp);
            String value = line.substring(sp + 1);
            switch (key) {
                case "provide" -> provides.add(dependency(value));
                case "require" -> requires.add(dependency(value));
                case "file" -> files.add(value);
                default -> one.put(key, value);
            }
        }
        return new RpmPackage(one.get("name"), OptionalInt.empty(), one.get("version"), one.get("release"),
                one.get("arch"), one.get("license"), false, one.get("sourcerpm"), requires, provides, files, "", 0);
    }

    /** {@code <name> <flags> <version>}, flags as rpm's depflags ({@code =}, {@code >=}, ... or empty). */
    static RpmDependency dependency(String text) {
        String[] f = text.trim().split(" +");
        if (f.length < 3) {
            return new RpmDependency(f[0], 0, "");
        }
        int flags = 0;
        if (f[1].contains("<")) {
            flags |= RpmDependency.LESS;
        }
        if (f[1].contains(">")) {
            flags |= RpmDependency.GREATER;
        }
        if (f[1].contains("=")) {
            flags |= RpmDependency.EQUAL;
        }
        return new RpmDependency(f[0], flags, f[2]);
    }

    static List<RpmPackage> packages() throws Exception {
        return packages("24.10");
    }

    static List<RpmPackage> packages(String version) throws Exception {
        try (Stream<Path> s = Files.list(dir(version))) {
            List<RpmPackage> out = new ArrayList<>();
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".rpm-qp.txt")).sorted().toList()) {
                out.add(read(p));
            }
            return out;
        }
    }

    static RpmPackage named(List<RpmPackage> pkgs, String name) {
        return pkgs.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theRebuildMakesTheKernelPackagesTheEngineSelects() throws Exception {
        List<RpmPackage> pkgs = packages();
        assertThat(pkgs).extracting(RpmPackage::name).contains("kmod-mlnx-ofa_kernel", "mlnx-ofa_kernel",
                "mlnx-ofa_kernel-devel", "mlnx-ofa_kernel-source");
        assertThat(pkgs).allMatch(p -> OfedKernelPackages.isKernelPackage(p, KERNEL));
        List<OfedRpm> rpms = pkgs.stream().map(p -> new OfedRpm(Path.of(p.name() + ".rpm"), p)).toList();
        assertThat(OfedKernelPackages.modulePackages(rpms)).extracting(r -> r.pkg().name())
                .containsExactly("kmod-mlnx-ofa_kernel");
        assertThat(OfedKernelPackages.devel(rpms)).isPresent();
    }

    @Test
    void kmpModulesAreForTheTargetKernel() throws Exception {
        RpmPackage kmod = named(packages(), "kmod-mlnx-ofa_kernel");
        List<String> modules = kmod.files().stream().filter(f -> f.endsWith(".ko")).toList();
        // EL's layout, extra/mlnx-ofa_kernel/<path> (the package's makefile asks lsb_release; the run says EL)
        assertThat(modules).hasSizeGreaterThan(20)
                .allMatch(f -> f.startsWith("/lib/modules/" + KERNEL + "/extra/mlnx-ofa_kernel/"));
        assertThat(modules).anyMatch(f -> f.endsWith("/ib_core.ko")).anyMatch(f -> f.endsWith("/mlx5_ib.ko"));
        assertThat(kmod.provides()).extracting(RpmDependency::name).contains("kernel-modules", "kmod-mlnx-ofa_kernel");
    }

    @Test
    void theDevelTreeIsWhereO2ibTreeLooks() throws Exception {
        RpmPackage devel = named(packages(), "mlnx-ofa_kernel-devel");
        for (String f : devel.files()) {
            Files.createDirectories(tmp.resolve(f.substring(1)));
        }
        Files.delete(tmp.resolve("usr/src/ofa_kernel/x86_64/" + KERNEL + "/Module.symvers"));
        Files.copy(dir().resolve("Module.symvers"), tmp.resolve("usr/src/ofa_kernel/x86_64/" + KERNEL + "/Module.symvers"));
        O2ibTree.Search s = O2ibTree.locate(tmp, OfedBundleName.parse("MLNX_OFED_LINUX-24.10-2.1.8.0-rhel9.4-x86_64.tgz"),
                KERNEL);
        assertThat(s.problem()).isEmpty();
        assertThat(s.warning()).isEmpty();
        assertThat(s.tree()).contains(tmp.resolve("usr/src/ofa_kernel/x86_64/" + KERNEL));
        // lbuild: --with-o2ib=$(dirname <the ofed_scripts directory>)
        assertThat(Path.of(Files.readString(dir().resolve("o2ib-dir.txt")).strip()).getParent())
                .isEqualTo(Path.of("/usr/src/ofa_kernel/x86_64/" + KERNEL));
    }

    @Test
    void ofedsCrcsDifferFromTheInKernelStacks() throws Exception {
        ModuleSymvers symvers = ModuleSymvers.read(dir().resolve("Module.symvers"));
        assertThat(symvers.crcs()).containsKey("__ib_alloc_pd");
        assertThat(symvers.crcs().get("__ib_alloc_pd")).isNotEqualTo(KERNEL_IB_ALLOC_PD);
    }

    @Test
    void phase8JudgesALustreModuleByOfedsRealCrcs() throws Exception {
        List<RpmPackage> pkgs = packages();
        ModuleSymvers symvers = ModuleSymvers.read(dir().resolve("Module.symvers"));
        String ofed = symvers.crcs().get("__ib_alloc_pd");
        RpmPackage right = lustre(ofed);
        RpmPackage wrong = lustre(KERNEL_IB_ALLOC_PD);
        List<RpmPackage> ofedPkgs = pkgs.stream().filter(p -> OfedKernelPackages.isKernelPackage(p, KERNEL)).toList();
        assertThat(KernelSymbolCheck.verify(List.of(right), ofedPkgs, symvers, KERNEL)).isEmpty();
        assertThat(KernelSymbolCheck.verify(List.of(wrong), ofedPkgs, symvers, KERNEL)).anyMatch(p ->
                p.contains("was built against another __ib_alloc_pd") && p.contains(ofed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"24.10", "25.10"})
    void theKmodPackageProvidesEveryOfedExportWithItsCrc(String version) throws Exception {
        // EL's find-provides.ksyms (with the real-toolchain run's reading of Linux 6.x __kcrctab sections):
        // one ksym(<sym>) = <crc> per export of OFED's Module.symvers, the CRC the module really has
        RpmPackage kmod = named(packages(version), "kmod-mlnx-ofa_kernel");
        Map<String, String> provided = new TreeMap<>();
        kmod.provides().stream().filter(d -> d.name().startsWith("ksym(")).forEach(d ->
                provided.put(d.name().substring("ksym(".length(), d.name().length() - 1), d.version()));
        ModuleSymvers symvers = ModuleSymvers.read(dir(version).resolve("Module.symvers"));
        assertThat(provided).hasSize(symvers.crcs().size()).isEqualTo(new TreeMap<>(symvers.crcs()));
    }

    @Test
    void theDocaEraRebuildAlsoMakesADkmsPackageWhichTheEngineDoesNotTakeForTheKernelPackages() throws Exception {
        // 25.10's -dkms Provides kmod-mlnx-ofa_kernel and mlnx-ofa_kernel-devel but ships no module and no tree
        List<RpmPackage> pkgs = packages("25.10");
        RpmPackage dkms = named(pkgs, "mlnx-ofa_kernel-dkms");
        assertThat(dkms.provides()).extracting(RpmDependency::name).contains("kmod-mlnx-ofa_kernel",
                "mlnx-ofa_kernel-devel");
        assertThat(dkms.files()).noneMatch(f -> f.endsWith(".ko") || f.endsWith("Module.symvers"));
        List<OfedRpm> rpms = pkgs.stream().map(p -> new OfedRpm(Path.of(p.name() + ".rpm"), p)).toList();
        assertThat(OfedKernelPackages.modulePackages(rpms)).extracting(r -> r.pkg().name())
                .containsExactly("kmod-mlnx-ofa_kernel");
        assertThat(OfedKernelPackages.devel(rpms)).get().extracting(r -> r.pkg().name())
                .isEqualTo("mlnx-ofa_kernel-devel");
        assertThat(Path.of(Files.readString(dir("25.10").resolve("o2ib-dir.txt")).strip()).getParent())
                .isEqualTo(Path.of("/usr/src/ofa_kernel/x86_64/" + KERNEL));
    }

    /**
     * ko2iblnd's requirements as EL's find-requires.ksyms writes them from its real __versions
     * ({@code modprobe --dump-modversions}): {@code kernel(sym) = crc} where the kernel's Module.symvers has
     * that symbol with that CRC, else {@code ksym(sym) = crc}.
     */
    static List<RpmDependency> ko2iblndRequires() throws Exception {
        Path real = dir().getParent();
        Map<String, String> kernel = new TreeMap<>();
        for (String l : Files.readAllLines(real.resolve("kernel-6.1.0-57-Module.symvers.ko2iblnd-subset"))) {
            String[] f = l.split("\t");
            kernel.put(f[1], f[0]);
        }
        List<RpmDependency> out = new ArrayList<>();
        for (String l : Files.readAllLines(real.resolve("ko2iblnd-2.17.0.modversions"))) {
            String[] f = l.split("\t");
            String kind = f[0].equals(kernel.get(f[1])) ? "kernel(" : "ksym(";
            out.add(new RpmDependency(kind + f[1] + ")", RpmDependency.EQUAL, f[0]));
        }
        return out;
    }

    @Test
    void theRealKo2iblndPassesTheCrcJudgementAgainstTheRealOfed() throws Exception {
        List<RpmPackage> ofedPkgs = packages();
        ModuleSymvers symvers = ModuleSymvers.read(dir().resolve("Module.symvers"));
        List<RpmDependency> reqs = ko2iblndRequires();
        assertThat(reqs).contains(new RpmDependency("ksym(__ib_alloc_pd)", RpmDependency.EQUAL, "0x8c3f8e20"));
        RpmPackage lnet = new RpmPackage("kmod-lustre-client", OptionalInt.empty(), "2.17.0", "1.el9", "x86_64",
                "GPL-2.0-only", false, "lustre-client-2.17.0-1.src.rpm", reqs, List.of(),
                List.of("/lib/modules/" + KERNEL + "/extra/lustre-client/net/ko2iblnd.ko"), "", 0);
        assertThat(KernelSymbolCheck.verify(List.of(lnet), ofedPkgs, symvers, KERNEL)).isEmpty();
    }

    private static RpmPackage lustre(String crc) {
        return new RpmPackage("kmod-lustre-client", OptionalInt.empty(), "2.17.0", "1.el9", "x86_64", "GPL-2.0-only",
                false, "lustre-client-2.17.0-1.src.rpm",
                List.of(new RpmDependency("ksym(__ib_alloc_pd)", RpmDependency.EQUAL, crc)), List.of(),
                List.of("/lib/modules/" + KERNEL + "/extra/lustre-client/net/ko2iblnd.ko"), "", 0);
    }
}
