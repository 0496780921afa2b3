package io.github.mellanoxlustre.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void sourceOrBinaryIsDecidedFromTheHeaderAsRpmDecides() throws Exception {
        // Each header: what rpm -qp prints for it (%{nvr}%{archsuffix}) and whether it is a source package.
        assertSourceAsRpm("lead-says-source", RpmReaderMalformedTest.base(), true, false, "n-1-1.x86_64");
        assertSourceAsRpm("sourcepackage", nvr().int32(RpmTag.SOURCEPACKAGE, 1), false, true, "n-1-1.src");
        assertSourceAsRpm("sourcepackage-and-sourcerpm", RpmReaderMalformedTest.base().int32(RpmTag.SOURCEPACKAGE, 1),
                false, false, "n-1-1.x86_64");
        assertSourceAsRpm("neither-no-files", nvr(), false, false, "n-1-1");
        assertSourceAsRpm("neither-empty-dirname", nvr().stringArray(RpmTag.DIRNAMES, "")
                .stringArray(RpmTag.BASENAMES, "n.spec").int32(RpmTag.DIRINDEXES, 0), false, true, "n-1-1.src");
        assertSourceAsRpm("neither-old-relative-names", nvr().stringArray(RpmTag.OLDFILENAMES, "n.spec", "n.tar.gz"),
                false, true, "n-1-1.src");
        assertSourceAsRpm("neither-old-absolute-names", nvr().stringArray(RpmTag.OLDFILENAMES, "/usr/bin/n"),
                false, false, "n-1-1");
        assertSourceAsRpm("nosource", nvr().int32(RpmTag.SOURCEPACKAGE, 1).int32(RpmTag.NOSOURCE, 0), false, true,
                "n-1-1.nosrc");
    }

    private void assertSourceAsRpm(String label, HeaderWriter h, boolean sourceLead, boolean source, String shown)
            throws Exception {
        Path rpm = tmp.resolve(label + ".rpm");
        Files.write(rpm, HeaderWriter.rpm(h, true, sourceLead));
        assertThat(RpmQuery.query(rpm)).as("rpm -qp %s", label).containsExactly(shown);
        RpmPackage pkg = reader.read(rpm);
        assertThat(pkg.source()).as("source, %s", label).isEqualTo(source);
        assertThat(pkg.nevra()).as("nevra, %s", label).isEqualTo(shown);
        assertThat(pkg.leadAgrees()).as("lead agrees, %s", label).isEqualTo(sourceLead == source);
    }

    private static HeaderWriter nvr() {
        return new HeaderWriter().string(RpmTag.NAME, "n").string(RpmTag.VERSION, "1").string(RpmTag.RELEASE, "1");
    }

    @Test
    void stringClassesRpmDoesNotReadAsArraysAreRefused() throws Exception {
        // rpm's headerGet gives an I18NSTRING entry as one string (the locale's), so its rpmds sees one
        // name against three flags and drops the whole list: rpm -qp -R prints none of them.
        HeaderWriter h = RpmReaderMalformedTest.base().i18nString(RpmTag.REQUIRENAME, "zfs", "spl", "kmod-zfs")
                .int32(RpmTag.REQUIREFLAGS, 0, 0, 0).stringArray(RpmTag.REQUIREVERSION, "", "", "");
        Path rpm = tmp.resolve("i18n-requires.rpm");
        Files.write(rpm, HeaderWriter.rpm(h, true, false));
        assertThat(RpmQuery.query(rpm, "-R")).doesNotContain("spl", "kmod-zfs");
        assertThatThrownBy(() -> reader.read(rpm)).isInstanceOf(RpmFormatException.class)
                .hasMessageContaining("tag 1049 has type 9 and count 3 where rpm reads a string array")
                .hasMessageContaining("rpm would see only its first string");

        HeaderWriter files = RpmReaderMalformedTest.base().i18nString(RpmTag.OLDFILENAMES, "/lib/modules/x/zfs.ko",
                "/usr/bin/a");
        Path old = tmp.resolve("i18n-files.rpm");
        Files.write(old, HeaderWriter.rpm(files, true, false));
        assertThat(RpmQuery.query(old, "--qf", "[%{FILENAMES}\\n]")).doesNotContain("/usr/bin/a");
        assertThatThrownBy(() -> reader.read(old)).isInstanceOf(RpmFormatException.class)
                .hasMessageContaining("tag 1027 has type 9");
    }
}
