package io.github.mellanoxlustre.standin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes a stand-in MLNX_OFED bundle: a real {@code MLNX_OFED_LINUX-<ver>-<distro>-<arch>.tgz} whose
 * top directory {@code MLNX_OFED_LINUX-<ver>-<distro>-<arch>/} has the layout of NVIDIA's bundle
 * (see {@code docs/tool-contracts.md} for sources):
 *
 * <pre>
 * .mlnx                  bundle version (e.g. 5.8-2.0.3.0)
 * .arch                  x86_64
 * distro                 rhel8.8
 * .supported_kernels     kernels the prebuilt kernel RPMs are for, one per line
 * mlnx_add_kernel_support.sh   stand-in script (bash), real option set
 * mlnxofedinstall              stand-in script (bash), --add-kernel-support part only
 * RPM-GPG-KEY-Mellanox
 * RPMS/                  real RPMs: ofed-scripts, mlnx-tools, rdma-core, libibverbs (user space) and,
 *                        unless disabled, mlnx-ofa_kernel, kmod-mlnx-ofa_kernel, mlnx-ofa_kernel-devel
 *                        (+ -source for 5.5+) built for the first supported kernel (KMP);
 *                        MOFED 4.7 to 5.0: RPMS/COMMON (kernel), RPMS/MLNX_LIBS and RPMS/UPSTREAM_LIBS
 *                        (user space); each with createrepo_c metadata
 * src/MLNX_OFED_SRC-&lt;ver&gt;.tgz   holds MLNX_OFED_SRC-&lt;ver&gt;/SRPMS/mlnx-ofa_kernel-&lt;v&gt;-&lt;rel&gt;.src.rpm
 * </pre>
 *
 * <p>The source RPM is real and rebuildable without root, as lbuild does:
 * {@code rpmbuild --rebuild --define "KVERSION <k>" --define "K_SRC <kernel tree>" [--define "KMP 1"] srpm}
 * gives {@code mlnx-ofa_kernel} (utils), {@code kmod-mlnx-ofa_kernel} (KMP) or
 * {@code mlnx-ofa_kernel-modules} (non-KMP, release {@code <rel>.kver.<k with - as _>}),
 * {@code mlnx-ofa_kernel-devel} and, for 5.5+, {@code mlnx-ofa_kernel-source}. The kernel package
 * ships {@code /lib/modules/<k>/extra/mlnx-ofa_kernel/drivers/infiniband/core/ib_core.ko} etc. and
 * provides {@code ksym(<sym>) = <crc>} (CRCs: {@link StandInSymbols#mofedCrc}, from the bundle version
 * and the {@code UTS_RELEASE} of {@code K_SRC}); devel ships {@code Module.symvers}, {@code include/rdma/
 * {rdma_cm.h,ib_cm.h,ib_verbs.h}}, {@code ofed_scripts/} and {@code configure.mk.kernel} under
 * {@code /usr/src/ofa_kernel/<arch>/<k>/} (5.5+) or {@code /usr/src/ofa_kernel/default/} (5.4-). The
 * build fails (rpmbuild exits non-zero) when {@code K_SRC} is missing or has no {@code Module.symvers}.
 *
 * <h2>Failure knobs</h2>
 * <ul>
 *   <li>{@link Options#withFailingAddKernelSupport}: file {@code .standin/fail-add-kernel-support}
 *       ({@code exit=<code>}, {@code lines=<n>}); {@code mlnx_add_kernel_support.sh} prints n log lines
 *       and exits with the code (also through {@code mlnxofedinstall}, which then exits 1);
 *   <li>{@link Options#withFailingSourceRpmBuild()}: the source RPM's {@code %build} fails (for any
 *       rebuild, lbuild-style or through the script) unless rebuilt with
 *       {@code --define "standin_fail_build 0"};
 *   <li>{@link Options#withHang}: file {@code .standin/hang} ({@code pidfile=<path>});
 *       {@code mlnx_add_kernel_support.sh} starts two {@code sleep 1000} grandchildren, appends their
 *       PIDs to the file and waits for them (for abort tests);
 *   <li>environment {@code MLNX_STANDIN_ALLOW_NONROOT=1}: the scripts skip their root check (the real
 *       tools need root; tests here run as root).
 * </ul>
 */
public final class OfedBundleFixture {

    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+-\\d+(\\.\\d+){1,4}");
    private static final Pattern DISTRO = Pattern.compile("[a-z]+[0-9][0-9a-z.]*");
    private static final List<String> ARCHES = List.of("x86_64", "aarch64", "ppc64le");

    /**
     * How to make the bundle.
     *
     * @param supportedKernels the {@code .supported_kernels} lines; empty means
     *     {@code 4.18.0-477.10.1.el8_8.<arch>}
     * @param prebuiltKernelRpms build the bundle's kernel RPMs for the first supported kernel (one
     *     extra rpmbuild); without them {@code RPMS/} has only user-space packages
     * @param failSourceRpmBuild the source RPM's {@code %build} fails
     * @param failAddKernelSupportExit when present, {@code mlnx_add_kernel_support.sh} fails with it
     * @param failLogLines how many log lines the failing script prints first
     * @param hangPidFile when present, {@code mlnx_add_kernel_support.sh} hangs, PIDs of its sleeping
     *     grandchildren appended to this file
     */
    public record Options(List<String> supportedKernels, boolean prebuiltKernelRpms, boolean failSourceRpmBuild,
            OptionalInt failAddKernelSupportExit, int failLogLines, Optional<Path> hangPidFile) {

        public Options {
            supportedKernels = List.copyOf(supportedKernels);
        }

        /** A working bundle with prebuilt kernel RPMs for the default supported kernel. */
        public static Options defaults() {
            return new Options(List.of(), true, false, OptionalInt.empty(), 2000, Optional.empty());
        }

        public Options withSupportedKernels(String... kernels) {
            return new Options(List.of(kernels), prebuiltKernelRpms, failSourceRpmBuild, failAddKernelSupportExit,
                    failLogLines, hangPidFile);
        }

        public Options withoutPrebuiltKernelRpms() {
            return new Options(supportedKernels, false, failSourceRpmBuild, failAddKernelSupportExit, failLogLines,
                    hangPidFile);
        }

        public Options withFailingSourceRpmBuild() {
            return new Options(supportedKernels, prebuiltKernelRpms, true, failAddKernelSupportExit, failLogLines,
                    hangPidFile);
        }

        public Options withFailingAddKernelSupport(int exitCode, int logLines) {
            if (exitCode < 1 || exitCode > 255 || logLines < 0) {
                throw new IllegalArgumentException("exit code must be 1..255 and log lines >= 0, got "
                        + exitCode + ", " + logLines);
            }
            return new Options(supportedKernels, prebuiltKernelRpms, failSourceRpmBuild, OptionalInt.of(exitCode),
                    logLines, hangPidFile);
        }

        public Options withHang(Path pidFile) {
            return new Options(supportedKernels, prebuiltKernelRpms, failSourceRpmBuild, failAddKernelSupportExit,
                    failLogLines, Optional.of(pidFile.toAbsolutePath()));
        }
    }

    private OfedBundleFixture() {
    }

    /** A bundle with {@link Options#defaults()}. */
    public static OfedBundle create(Path dir, String version, String distro, String arch)
            throws IOException, InterruptedException {
        return create(dir, version, distro, arch, Options.defaults());
    }

    /**
     * Writes {@code dir/MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz}.
     *
     * @param version bundle version, form {@code <major>.<minor>-<n>.<n>[.<n>...]} (e.g. {@code 5.8-2.0.3.0})
     * @param distro e.g. {@code rhel8.8}, {@code sles15sp4}
     * @param arch {@code x86_64}, {@code aarch64} or {@code ppc64le}
     * @throws IllegalArgumentException for a value not of the accepted form
     */
    public static OfedBundle create(Path dir, String version, String distro, String arch, Options options)
            throws IOException, InterruptedException {
        require("version", version, VERSION, "5.8-2.0.3.0");
        require("distro", distro, DISTRO, "rhel8.8");
        if (!ARCHES.contains(arch)) {
            throw new IllegalArgumentException("arch must be one of " + ARCHES + ", got: " + arch);
        }
        List<String> kernels = options.supportedKernels().isEmpty()
                ? List.of("4.18.0-477.10.1.el8_8." + arch) : options.supportedKernels();
        Files.createDirectories(dir);
        String name = bundleName(version, distro, arch);
        Path work = Files.createTempDirectory(dir, ".ofed-fixture-");
        try {
            Path srpm = buildSourceRpm(work, version, options.failSourceRpmBuild());
            Path bundle = work.resolve("stage").resolve(name);
            Files.createDirectories(bundle);
            Files.writeString(bundle.resolve(".mlnx"), version + "\n");
            Files.writeString(bundle.resolve(".arch"), arch + "\n");
            Files.writeString(bundle.resolve("distro"), distro + "\n");
            Files.writeString(bundle.resolve(".supported_kernels"), String.join("\n", kernels) + "\n");
            Files.writeString(bundle.resolve("RPM-GPG-KEY-Mellanox"), "stand-in key (mellanox-lustre test fixture)\n");
            StandInResources.copy("ofed/mlnx_add_kernel_support.sh", bundle.resolve("mlnx_add_kernel_support.sh"));
            StandInResources.copy("ofed/mlnxofedinstall", bundle.resolve("mlnxofedinstall"));

            boolean split = splitRpmsLayout(version);
            Path kernelRpms = Files.createDirectories(bundle.resolve(split ? "RPMS/COMMON" : "RPMS"));
            Path libRpms = split ? Files.createDirectories(bundle.resolve("RPMS/MLNX_LIBS")) : kernelRpms;
            buildUserSpaceRpms(work, version, distro, arch, kernelRpms, libRpms);
            if (split) {
                Path upstream = Files.createDirectories(bundle.resolve("RPMS/UPSTREAM_LIBS"));
                try (Stream<Path> s = Files.list(libRpms)) {
                    for (Path p : s.filter(f -> f.getFileName().toString().startsWith("libibverbs")).toList()) {
                        Files.copy(p, upstream.resolve(p.getFileName()));
                    }
                }
            }
            if (options.prebuiltKernelRpms()) {
                KernelTree stock = KernelTreeFixture.create(work.resolve("stock-kernel"), kernels.get(0),
                        KernelTreeFixture.Options.defaults().withoutExt4Sources());
                Path top = work.resolve("prebuilt");
                Files.createDirectories(top.resolve("BUILD"));
                ProcessRun.exec(work, Map.of(), Duration.ofMinutes(5), "rpmbuild", "--rebuild",
                        "--define", "_topdir " + top, "--define", "_tmppath " + top.resolve("TMP"),
                        "--define", "KVERSION " + stock.release(), "--define", "K_SRC " + stock.dir(),
                        "--define", "KMP 1", "--define", "_dist " + distTag(distro), "--with", "building_kmods",
                        "--define", "standin_fail_build 0", "--target", arch, srpm.toString()).requireSuccess();
                try (Stream<Path> s = Files.walk(top.resolve("RPMS"))) {
                    for (Path p : s.filter(f -> f.toString().endsWith(".rpm")).toList()) {
                        Files.copy(p, kernelRpms.resolve(p.getFileName()));
                    }
                }
            }
            for (Path rpmDir : split ? List.of(kernelRpms, libRpms, bundle.resolve("RPMS/UPSTREAM_LIBS"))
                    : List.of(kernelRpms)) {
                ProcessRun.exec(work, Map.of(), Duration.ofMinutes(2), "createrepo_c", "-q", rpmDir.toString())
                        .requireSuccess();
            }

            Path srcTree = work.resolve("srctree");
            Path srpmDir = Files.createDirectories(srcTree.resolve("MLNX_OFED_SRC-" + version).resolve("SRPMS"));
            Files.copy(srpm, srpmDir.resolve(srpm.getFileName()));
            Files.writeString(srcTree.resolve("MLNX_OFED_SRC-" + version).resolve("install.pl"),
                    "#!/usr/bin/perl\n# stand-in: MLNX_OFED_SRC install.pl is not implemented\nexit 1;\n");
            Path srcDir = Files.createDirectories(bundle.resolve("src"));
            ProcessRun.exec(srcTree, Map.of(), Duration.ofMinutes(2), "tar", "-czf",
                    srcDir.resolve("MLNX_OFED_SRC-" + version + ".tgz").toString(), "MLNX_OFED_SRC-" + version)
                    .requireSuccess();

            if (options.failAddKernelSupportExit().isPresent()) {
                Path knob = Files.createDirectories(bundle.resolve(".standin")).resolve("fail-add-kernel-support");
                Files.writeString(knob, "exit=" + options.failAddKernelSupportExit().getAsInt() + "\nlines="
                        + options.failLogLines() + "\n");
            }
            if (options.hangPidFile().isPresent()) {
                Path knob = Files.createDirectories(bundle.resolve(".standin")).resolve("hang");
                Files.writeString(knob, "pidfile=" + options.hangPidFile().get() + "\n");
            }

            Path tgz = dir.resolve(name + ".tgz");
            Files.deleteIfExists(tgz);
            ProcessRun.exec(work.resolve("stage"), Map.of(), Duration.ofMinutes(2), "tar", "-czf", tgz.toString(), name)
                    .requireSuccess();
            return new OfedBundle(tgz, version, distro, arch, kernels);
        } finally {
            io.github.mellanoxlustre.files.FileTrees.deleteQuietly(work);
        }
    }

    /** {@code MLNX_OFED_LINUX-<version>-<distro>-<arch>}. */
    static String bundleName(String version, String distro, String arch) {
        return "MLNX_OFED_LINUX-" + version + "-" + distro + "-" + arch;
    }

    static String mofedVersion(String bundleVersion) {
        return bundleVersion.substring(0, bundleVersion.indexOf('-'));
    }

    /** {@code OFED.<major>.<minor>.<first three parts after '-'>.1}, the scheme of the real spec's {@code _release}. */
    static String mofedRelease(String bundleVersion) {
        String[] rest = bundleVersion.substring(bundleVersion.indexOf('-') + 1).split("\\.");
        StringBuilder r = new StringBuilder("OFED.").append(mofedVersion(bundleVersion));
        for (int i = 0; i < Math.min(3, rest.length); i++) {
            r.append('.').append(rest[i]);
        }
        return r.append(".1").toString();
    }

    static boolean archKernelDevelLayout(String bundleVersion) {
        return compareMajorMinor(bundleVersion, 5, 5) >= 0;
    }

    /** Whether the version's spec builds its kernel packages only {@code --with building_kmods} (25.x on). */
    static boolean kernelPackagesNeedBuildingKmods(String bundleVersion) {
        return compareMajorMinor(bundleVersion, 25, 1) >= 0;
    }

    static boolean splitRpmsLayout(String bundleVersion) {
        return compareMajorMinor(bundleVersion, 4, 7) >= 0 && compareMajorMinor(bundleVersion, 5, 1) < 0;
    }

    /** rpm's {@code _dist} for a bundle distro: {@code rhel8.8 -> .rhel8u8}, {@code sles15sp4 -> .sles15sp4}. */
    static String distTag(String distro) {
        return "." + distro.replace('.', 'u');
    }

    private static int compareMajorMinor(String bundleVersion, int major, int minor) {
        String[] mm = mofedVersion(bundleVersion).split("\\.");
        int c = Integer.compare(Integer.parseInt(mm[0]), major);
        return c != 0 ? c : Integer.compare(Integer.parseInt(mm[1]), minor);
    }

    private static void require(String field, String value, Pattern form, String example) {
        if (value == null || !form.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must look like " + example + ", got: " + value);
        }
    }

    private static Path buildSourceRpm(Path work, String version, boolean failBuild)
            throws IOException, InterruptedException {
        String v = mofedVersion(version);
        Path tree = work.resolve("src").resolve("mlnx-ofa_kernel-" + v);
        StandInResources.copyTree("ofed/src", tree);
        StandInResources.copy("common/standin-symbols.sh", tree.resolve("standin-symbols.sh"));
        Files.writeString(tree.resolve("BUNDLE_VERSION"), version + "\n");
        Path sources = Files.createDirectories(work.resolve("sources"));
        ProcessRun.exec(work.resolve("src"), Map.of(), Duration.ofMinutes(1), "tar", "-czf",
                sources.resolve("mlnx-ofa_kernel-" + v + ".tgz").toString(), "mlnx-ofa_kernel-" + v).requireSuccess();
        StandInResources.copy("common/standin-ksym-deps.sh", sources.resolve("standin-ksym-deps.sh"));
        Path spec = sources.resolve("mlnx-ofa_kernel.spec");
        Files.writeString(spec, StandInResources.template("ofed/mlnx-ofa_kernel.spec.in", Map.of(
                "VERSION", v, "RELEASE", mofedRelease(version),
                "DEVEL_LAYOUT", archKernelDevelLayout(version) ? "arch" : "default",
                "FAIL_BUILD", failBuild ? "1" : "0",
                "KMODS_BCOND", kernelPackagesNeedBuildingKmods(version) ? "1" : "0")));
        Path out = work.resolve("srpm");
        ProcessRun.exec(work, Map.of(), Duration.ofMinutes(2), "rpmbuild", "-bs", "--quiet",
                "--define", "_topdir " + work.resolve("top"), "--define", "_tmppath " + work.resolve("top/TMP"), "--define", "_sourcedir " + sources,
                "--define", "_srcrpmdir " + out, spec.toString()).requireSuccess();
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(f -> f.toString().endsWith(".src.rpm")).findFirst()
                    .orElseThrow(() -> new IOException("rpmbuild -bs produced no source RPM in " + out));
        }
    }

    /**
     * The user-space packages, made by one rpmbuild of a multi-package spec (cheaper than one build each):
     * ofed-scripts, mlnx-tools (to commonDir), rdma-core, libibverbs (to libDir).
     */
    private static void buildUserSpaceRpms(Path work, String version, String distro, String arch, Path commonDir,
            Path libDir) throws IOException, InterruptedException {
        String v = mofedVersion(version);
        String rel = mofedRelease(version) + distTag(distro);
        String rdma = v.replace(".", "") + "mlnx1";
        String libRel = "1" + distTag(distro);
        String spec = String.join("\n",
                "# Stand-in MLNX_OFED user-space packages (mellanox-lustre test fixture)",
                "%global debug_package %{nil}",
                "%global __os_install_post %{nil}",
                "%global _build_id_links none",
                "Name: ofed-scripts", "Version: " + v, "Release: " + rel, "License: GPL/BSD",
                "Summary: OFED scripts (stand-in)", "AutoReqProv: no",
                "%description", "Stand-in ofed-scripts.",
                "%package -n mlnx-tools", "Version: " + v, "Release: " + rel, "License: GPLv2 or BSD",
                "Summary: Mellanox tools (stand-in)", "%description -n mlnx-tools", "Stand-in mlnx-tools.",
                "%package -n rdma-core", "Version: " + rdma, "Release: " + libRel, "License: GPLv2 or BSD",
                "Summary: RDMA core (stand-in)", "%description -n rdma-core", "Stand-in rdma-core.",
                "%package -n libibverbs", "Version: " + rdma, "Release: " + libRel, "License: GPLv2 or BSD",
                "Summary: libibverbs (stand-in)", "Requires: rdma-core", "%description -n libibverbs",
                "Stand-in libibverbs.",
                "%install",
                "mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/sbin %{buildroot}/etc/rdma %{buildroot}/usr/lib64",
                "printf '#!/bin/bash\\necho MLNX_OFED_LINUX-" + version + "\\n' > %{buildroot}/usr/bin/ofed_info",
                "printf '#!/bin/bash\\nexit 0\\n' > %{buildroot}/usr/sbin/mlnx_tune",
                "printf '# stand-in\\n' > %{buildroot}/etc/rdma/rdma.conf",
                "printf 'stand-in library\\n' > %{buildroot}/usr/lib64/libibverbs.so.1",
                "%files", "/usr/bin/ofed_info",
                "%files -n mlnx-tools", "/usr/sbin/mlnx_tune",
                "%files -n rdma-core", "/etc/rdma/rdma.conf",
                "%files -n libibverbs", "/usr/lib64/libibverbs.so.1", "");
        Path specFile = work.resolve("userspace.spec");
        Files.writeString(specFile, spec);
        Path top = work.resolve("userspace");
        ProcessRun.exec(work, Map.of(), Duration.ofMinutes(2), "rpmbuild", "-bb", "--quiet",
                "--define", "_topdir " + top, "--define", "_tmppath " + top.resolve("TMP"),
                "--target", arch, specFile.toString()).requireSuccess();
        try (Stream<Path> s = Files.walk(top.resolve("RPMS"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".rpm")).toList()) {
                String n = p.getFileName().toString();
                Path target = n.startsWith("rdma-core-") || n.startsWith("libibverbs-") ? libDir : commonDir;
                Files.copy(p, target.resolve(n));
            }
        }
    }
}
