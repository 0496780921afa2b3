package io.github.mellanoxlustre.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.testing.RpmQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Headers rpmbuild no longer writes, built byte by byte with {@link HeaderWriter}, checked against rpm too. */
class RpmReaderSyntheticHeaderTest {
    @TempDir
    Path tmp;

    private final RpmReader reader = new RpmReader();

    @Test
    void oldFileNamesAreUsedWhenThereAreNoBaseNames() throws Exception {
        HeaderWriter h = RpmReaderMalformedTest.base()
                .i18nString(RpmTag.LICENSE, "GPLv2", "GPLv2 (de)")
                .stringArray(RpmTag.OLDFILENAMES, "/etc/lustre/a.conf", "/usr/bin/lctl", "/usr/sbin/mount.lustre");
        Path rpm = tmp.resolve("old.rpm");
        Files.write(rpm, HeaderWriter.rpm(h, true, false));
        RpmPackage pkg = reader.read(rpm);
        assertThat(pkg.files()).containsExactly("/etc/lustre/a.conf", "/usr/bin/lctl", "/usr/sbin/mount.lustre");
        assertThat(pkg.license()).isEqualTo("GPLv2");
        assertThat(pkg.source()).isFalse();
        assertThat(pkg.payloadCompressor()).isEmpty();
        assertThat(pkg.headerBytes()).isEqualTo(Files.size(rpm));
        // rpm itself reads the synthetic header the same way.
        assertThat(RpmQuery.query(rpm, "--qf", "[%{FILENAMES}\\n]")).containsExactlyElementsOf(pkg.files());
        assertThat(RpmQuery.query(rpm, "--qf", "%{LICENSE}\\n")).containsExactly("GPLv2");
    }

    @Test
    void headerWithoutDigestIsAccepted() throws Exception {
        Path rpm = tmp.resolve("nodigest.rpm");
        Files.write(rpm, HeaderWriter.rpm(RpmReaderMalformedTest.base(), false, false));
        assertThat(reader.read(rpm).name()).isEqualTo("n");
    }

    @Test
    void sourceFlagFromLeadSourcePackageTagOrMissingSourceRpm() throws Exception {
        Path lead = tmp.resolve("lead.rpm");
        Files.write(lead, HeaderWriter.rpm(RpmReaderMalformedTest.base(), true, true));
        assertThat(reader.read(lead).source()).isTrue();
        Path tag = tmp.resolve("tag.rpm");
        Files.write(tag, HeaderWriter.rpm(RpmReaderMalformedTest.base().int32(RpmTag.SOURCEPACKAGE, 1), true, false));
        assertThat(reader.read(tag).source()).isTrue();
        Path noSrc = tmp.resolve("nosrc.rpm");
        Files.write(noSrc, HeaderWriter.rpm(new HeaderWriter().string(RpmTag.NAME, "n").string(RpmTag.VERSION, "1")
                .string(RpmTag.RELEASE, "1"), true, false));
        RpmPackage pkg = reader.read(noSrc);
        assertThat(pkg.source()).isTrue();
        assertThat(pkg.arch()).isEmpty();
        Path bin = tmp.resolve("bin.rpm");
        Files.write(bin, HeaderWriter.rpm(RpmReaderMalformedTest.base(), true, false));
        assertThat(reader.read(bin).source()).isFalse();
        assertThat(reader.read(bin).sourceRpm()).isEqualTo("n-1-1.src.rpm");
    }
}
