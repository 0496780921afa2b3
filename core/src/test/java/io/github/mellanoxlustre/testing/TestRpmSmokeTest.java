package io.github.mellanoxlustre.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestRpmSmokeTest {
    @TempDir
    Path tmp;

    @Test
    void buildsWhatRpmReadsBack() throws Exception {
        Path rpm = TestRpm.named("kmod-zfs").version("2.1.5").release("1.el8").epoch(3).license("CDDL")
                .file("/lib/modules/4.18.0/extra/zfs/zfs.ko", "elf")
                .requires("ksym(ib_register_client) = 0x1234abcd")
                .compressor(TestRpm.Compressor.ZSTD)
                .build(tmp);
        assertThat(RpmQuery.query(rpm, "--qf", "%{NAME} %{EPOCH} %{VERSION} %{RELEASE} %{ARCH} %{LICENSE} %{PAYLOADCOMPRESSOR}\\n"))
                .containsExactly("kmod-zfs 3 2.1.5 1.el8 x86_64 CDDL zstd");
        assertThat(RpmQuery.query(rpm, "-l")).containsExactly("/lib/modules/4.18.0/extra/zfs/zfs.ko");
        assertThat(RpmQuery.query(rpm, "-R")).contains("ksym(ib_register_client) = 0x1234abcd");
    }
}
