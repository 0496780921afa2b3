package io.github.mellanoxlustre.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.testing.RpmQuery;
import io.github.mellanoxlustre.testing.TestRpm;
import io.github.mellanoxlustre.testing.TestRpm.Compressor;
import io.github.mellanoxlustre.testing.TestSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link RpmReader} against the real {@code rpm -qp} on real packages built by rpmbuild: NEVRA,
 * license, file list, requires and provides must agree line for line.
 */
class RpmReaderDifferentialTest {
    private static final String QF = "%{NAME} %{EPOCH} %{VERSION} %{RELEASE} %{ARCH} %{LICENSE}\\n";
    private static final String QF_MORE = "%{SOURCERPM}|%{PAYLOADCOMPRESSOR}\\n";

    private final RpmReader reader = new RpmReader();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void agreesWithRpmForEveryPayloadCompressor(Compressor c) throws Exception {
        Path rpm = TestRpm.named("lustre-client").version("2.15.4").release("1.el8")
                .license("GPL-2.0-only")
                .file("/usr/bin/lfs", "binary")
                .file("/etc/lustre/lustre.conf", "conf")
                .file("/usr/share/doc/lustre-client/README", "readme")
                .requires("kmod-lustre-client = 2.15.4")
                .requires("libyaml")
                .provides("lustre-client-utils = 2.15.4-1.el8")
                .compressor(c)
                .build(tmp);
        RpmPackage pkg = assertAgreesWithRpm(rpm);
        assertThat(pkg.payloadCompressor()).isEqualTo(c.headerValue());
        assertThat(pkg.files()).hasSize(3);
    }

    @Test
    void gpgSignedPackage() throws Exception {
        Path rpm = TestRpm.named("kmod-lustre").version("2.15.4").release("1")
                .file("/lib/modules/4.18.0/extra/lustre/fs/lustre.ko", "elf")
                .requires("ksym(ib_register_client) = 0x1234abcd")
                .build(tmp);
        long unsignedHeader = reader.read(rpm).headerBytes();
        try (TestSigner signer = TestSigner.create(tmp)) {
            signer.sign(rpm);
        }
        assertThat(RpmQuery.query(rpm, "--qf", "%{SIGPGP:pgpsig}|%{RSAHEADER:pgpsig}\\n").get(0))
                .contains("RSA/SHA", "Key ID");
        RpmPackage pkg = assertAgreesWithRpm(rpm);
        // rpmsign fills the signature header's reserved space (tag 1008): the payload does not move.
        assertThat(pkg.headerBytes()).isEqualTo(unsignedHeader);
    }

    @Test
    void tenThousandFiles() throws Exception {
        Path rpm = TestRpm.named("lustre-tests").manyFiles("/usr/lib64/lustre/tests/data", 10_000)
                .compressor(Compressor.ZSTD)
                .build(tmp);
        RpmPackage pkg = assertAgreesWithRpm(rpm);
        assertThat(pkg.files()).hasSize(10_001).contains("/usr/lib64/lustre/tests/data/f09999");
    }

    @Test
    void epochRichVersionedScriptletAndKernelSymbolDependencies() throws Exception {
        Path rpm = TestRpm.named("kmod-zfs").epoch(3).version("2.1.5").release("1.el8_6").license("CDDL")
                .file("/lib/modules/4.18.0-372.el8.x86_64/extra/zfs/zfs.ko", "elf")
                .requires("(kernel-core or kernel-rt-core)")
                .requires("(zfs-dkms if dkms else kmod-spl)")
                .requires("spl >= 2.1.5")
                .requires("lustre < 3")
                .requires("kernel(__ib_alloc_pd) = 0xabcdef01")
                .requires("ksym(ib_register_client) = 0x1234abcd")
                .requires("ksym(ib_unregister_client) = 0x1234abce")
                .provides("zfs-kmod = 2.1.5")
                .provides("spl-kmod")
                .specLine("Requires(post): /usr/sbin/depmod")
                .specLine("Requires(post): /usr/sbin/weak-modules")
                .specLine("Requires(postun): /usr/sbin/depmod")
                .specLine("%post\n/usr/sbin/depmod -a || :\n")
                .specLine("%postun\n/usr/sbin/depmod -a || :\n")
                .compressor(Compressor.XZ)
                .build(tmp);
        RpmPackage pkg = assertAgreesWithRpm(rpm);
        assertThat(pkg.epoch()).hasValue(3);
        assertThat(pkg.requires()).extracting(RpmDependency::toString)
                .contains("(kernel-core or kernel-rt-core)", "spl >= 2.1.5", "lustre < 3",
                        "ksym(ib_register_client) = 0x1234abcd", "/usr/sbin/depmod");
        assertThat(pkg.requires()).filteredOn(RpmDependency::isKernelSymbol).hasSize(3);
        assertThat(pkg.requires()).anyMatch(d -> (d.flags() & RpmDependency.RPMLIB) != 0
                && d.name().startsWith("rpmlib("));
    }

    @Test
    void sourcePackage() throws Exception {
        Path srpm = TestRpm.named("lustre").version("2.15.4").release("1")
                .file("/usr/bin/lfs", "binary")
                .requires("libyaml")
                .buildSource(tmp);
        RpmPackage pkg = assertAgreesWithRpm(srpm);
        assertThat(pkg.source()).isTrue();
        assertThat(pkg.sourceRpm()).isEmpty();
        assertThat(pkg.files()).contains("lustre.spec");
        assertThat(pkg.nevra()).isEqualTo("lustre-2.15.4-1.src");
        assertThat(pkg.leadAgrees()).isTrue();
    }

    @Test
    void binaryPackageNamesItsSourceRpm() throws Exception {
        RpmPackage pkg = assertAgreesWithRpm(TestRpm.named("lustre").version("2.15.4").release("1")
                .file("/usr/bin/lfs", "binary").build(tmp));
        assertThat(pkg.source()).isFalse();
        assertThat(pkg.sourceRpm()).isEqualTo("lustre-2.15.4-1.src.rpm");
        assertThat(pkg.arch()).isEqualTo("x86_64");
    }

    @Test
    void noarchPackage() throws Exception {
        RpmPackage pkg = assertAgreesWithRpm(TestRpm.named("lustre-resource-agents").arch("noarch")
                .file("/usr/lib/ocf/resource.d/lustre/Lustre", "#!/bin/sh\n").build(tmp));
        assertThat(pkg.arch()).isEqualTo("noarch");
    }

    @Test
    void packageWithoutFiles() throws Exception {
        RpmPackage pkg = assertAgreesWithRpm(TestRpm.named("lustre-meta").requires("lustre-client").build(tmp));
        assertThat(pkg.files()).isEmpty();
    }

    @Test
    void headerBytesIsWherePayloadStarts() throws Exception {
        Path rpm = TestRpm.named("big").randomFile("/opt/big.bin", 3 * 1024 * 1024)
                .compressor(Compressor.NONE).build(tmp);
        RpmPackage pkg = reader.read(rpm);
        long size = Files.size(rpm);
        assertThat(pkg.headerBytes()).isBetween(96L + 32, 64L * 1024);
        // The uncompressed cpio payload starts with the "070701" newc magic right after the headers.
        byte[] magic = new byte[6];
        try (var ch = Files.newByteChannel(rpm)) {
            ch.position(pkg.headerBytes());
            ch.read(java.nio.ByteBuffer.wrap(magic));
        }
        assertThat(new String(magic, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("070701");
        assertThat(size).isGreaterThan(3L * 1024 * 1024);
    }

    /** Reads {@code rpm} and asserts every query agrees with {@code rpm -qp}; returns what was read. */
    private RpmPackage assertAgreesWithRpm(Path rpm) throws Exception {
        RpmPackage pkg = reader.read(rpm);
        String epoch = pkg.epoch().isPresent() ? Integer.toString(pkg.epoch().getAsInt()) : "(none)";
        assertThat(List.of(String.join(" ", pkg.name(), epoch, pkg.version(), pkg.release(), pkg.arch(),
                pkg.license()))).as("NEVRA and license of %s", rpm).isEqualTo(RpmQuery.query(rpm, "--qf", QF));
        assertThat(List.of((pkg.sourceRpm().isEmpty() ? "(none)" : pkg.sourceRpm()) + "|"
                + (pkg.payloadCompressor().isEmpty() ? "(none)" : pkg.payloadCompressor())))
                .as("source rpm and payload compressor of %s", rpm).isEqualTo(RpmQuery.query(rpm, "--qf", QF_MORE));
        // rpm -qp's own display, %{nvr}%{archsuffix}: name-version-release.arch, or .src for a source package.
        assertThat(List.of(pkg.name() + "-" + pkg.versionRelease() + pkg.identity().archSuffix()))
                .as("rpm -qp %s", rpm).isEqualTo(RpmQuery.query(rpm));
        List<String> rpmFiles = RpmQuery.query(rpm, "-l");
        if (rpmFiles.equals(List.of("(contains no files)"))) {
            rpmFiles = List.of();
        }
        assertThat(pkg.files()).as("files of %s", rpm).isEqualTo(rpmFiles);
        assertThat(strings(pkg.requires())).as("requires of %s", rpm).isEqualTo(RpmQuery.query(rpm, "-R"));
        assertThat(strings(pkg.provides())).as("provides of %s", rpm).isEqualTo(RpmQuery.query(rpm, "--provides"));
        assertThat(pkg.headerBytes()).isLessThanOrEqualTo(Files.size(rpm));
        return pkg;
    }

    private static List<String> strings(List<RpmDependency> deps) {
        return deps.stream().map(RpmDependency::toString).toList();
    }
}
