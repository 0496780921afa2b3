package io.github.mellanoxlustre.rpm;

import io.github.mellanoxlustre.testing.TestRpm;
import io.github.mellanoxlustre.testing.TestRpm.Compressor;
import io.github.mellanoxlustre.testing.TestSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the seed corpus of {@link RpmReaderFuzzTest}: the header region (at most
 * {@link RpmReaderFuzzTest#HEADER_REGION} bytes) of a few small real RPMs built by rpmbuild.
 *
 * <pre>
 * mvn -q -pl core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.mellanoxlustre.rpm.FuzzSeedWriter \
 *     -Dexec.args=core/src/test/resources/io/github/mellanoxlustre/rpm/RpmReaderFuzzTestInputs/readHeaders
 * </pre>
 */
public final class FuzzSeedWriter {
    private FuzzSeedWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0]
                : "src/test/resources/io/github/mellanoxlustre/rpm/RpmReaderFuzzTestInputs/readHeaders");
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("fuzz-seeds");
        Map<String, Path> rpms = new LinkedHashMap<>();
        rpms.put("binary-gzip", TestRpm.named("lustre-client").version("2.15.4").release("1.el8")
                .file("/usr/bin/lfs", "x").file("/etc/lustre/a.conf", "y")
                .requires("kmod-lustre-client = 2.15.4").provides("lustre-utils = 2.15.4")
                .build(work));
        rpms.put("kmod-rich-deps-xz", TestRpm.named("kmod-zfs").epoch(2).version("2.1.5").release("1")
                .license("CDDL").file("/lib/modules/4.18.0/extra/zfs.ko", "elf")
                .requires("(kernel-core or kernel-rt-core)").requires("ksym(ib_register_client) = 0x1234abcd")
                .specLine("Requires(post): /usr/sbin/depmod").compressor(Compressor.XZ).build(work));
        rpms.put("noarch-none", TestRpm.named("lustre-resource-agents").arch("noarch")
                .file("/usr/lib/ocf/resource.d/lustre/Lustre", "#!/bin/sh\n").compressor(Compressor.NONE)
                .build(work));
        rpms.put("many-files-zstd", TestRpm.named("lustre-tests").manyFiles("/usr/lib64/lustre/tests", 60)
                .compressor(Compressor.ZSTD).build(work));
        rpms.put("source", TestRpm.named("lustre").file("/usr/bin/lfs", "x").buildSource(work));
        Path signed = TestRpm.named("lustre-signed").file("/usr/bin/lfs", "x").build(work);
        try (TestSigner signer = TestSigner.create(work)) {
            signer.sign(signed);
        }
        rpms.put("signed", signed);
        RpmReader reader = new RpmReader();
        for (Map.Entry<String, Path> e : rpms.entrySet()) {
            byte[] bytes = Files.readAllBytes(e.getValue());
            long header = reader.read(e.getValue()).headerBytes();
            int keep = (int) Math.min(bytes.length, Math.min(RpmReaderFuzzTest.HEADER_REGION, header + 64));
            Files.write(out.resolve(e.getKey()), Arrays.copyOf(bytes, keep));
            System.out.println(e.getKey() + ": " + keep + " bytes (header " + header + ")");
        }
        try (var walk = Files.walk(work)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
