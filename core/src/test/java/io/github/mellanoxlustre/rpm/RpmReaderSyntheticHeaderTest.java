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
    void stringsOfEveryLengthAtEveryAlignment() throws Exception {
        // The NUL scanning reads 8 and 16 bytes at a time: strings of 0..40 bytes, shifted by 0..16.
        for (int shift = 0; shift <= 16; shift++) {
            String[] names = new String[41];
            int[] flags = new int[41];
            String[] versions = new String[41];
            for (int len = 0; len <= 40; len++) {
                names[len] = "n" + "x".repeat(len);
                versions[len] = "v".repeat(len);
                flags[len] = len == 0 ? 0 : RpmDependency.EQUAL;
            }
            HeaderWriter h = RpmReaderMalformedTest.base();
            if (shift > 0) {
                h.bin(1012, new byte[shift]); // a BIN entry before the strings moves them
            }
            h.stringArray(RpmTag.REQUIRENAME, names).int32(RpmTag.REQUIREFLAGS, flags)
                    .stringArray(RpmTag.REQUIREVERSION, versions)
                    .stringArray(RpmTag.BASENAMES, versions).int32(RpmTag.DIRINDEXES, new int[41])
                    .stringArray(RpmTag.DIRNAMES, "/d" + "y".repeat(shift) + "/");
            Path rpm = tmp.resolve("align" + shift + ".rpm");
            Files.write(rpm, HeaderWriter.rpm(h, true, false));
            RpmPackage pkg = reader.read(rpm);
            for (int len = 0; len <= 40; len++) {
                assertThat(pkg.requires().get(len)).isEqualTo(new RpmDependency(names[len], flags[len], versions[len]));
                assertThat(pkg.files().get(len)).isEqualTo("/d" + "y".repeat(shift) + "/" + versions[len]);
            }
        }
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
