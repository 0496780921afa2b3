package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.rpm.RpmReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The OFED sources besides a bundle, as users give them. */
class OfedSourceTest {
    private static final String SUM = "ab".repeat(32);
    private static final String SRPM = "mlnx-ofa_kernel-24.10-OFED.24.10.2.1.8.1.src.rpm";
    private static final String DOCA_SRC = "MLNX_OFED_SRC-25.10-1.7.1.1.tgz";

    @Test
    void aSourceRpmIsFetchedByTheBundleRules() {
        OfedSource.SourceRpm local = OfedSource.parseSrpm("/srv/ofed/" + SRPM, null);
        assertThat(local.srpm()).isEqualTo(new BundleLocation.Local(Path.of("/srv/ofed/" + SRPM),
                BundleLocation.Kind.SOURCE_RPM, SRPM, Optional.empty()));
        assertThat(local.field()).isEqualTo("ofedSrpm");
        assertThat(OfedSource.parseSrpm("https://store.example.org/ofed/" + SRPM, SUM).srpm())
                .isInstanceOf(BundleLocation.Http.class);
        assertThat(OfedSource.parseSrpm("sftp://build@files.example.org/ofed/" + SRPM, null).srpm())
                .isInstanceOf(BundleLocation.Ssh.class);
        // renamed in an artifact store: the version comes from the header, any *.src.rpm name is taken
        assertThat(OfedSource.parseSrpm("/a/ofa-kernel-for-lustre.src.rpm", null).srpm().fileName())
                .isEqualTo("ofa-kernel-for-lustre.src.rpm");
    }

    @Test
    void sourceRpmMistakesNameTheFieldAndTheForm() {
        assertThatThrownBy(() -> OfedSource.parseSrpm("https://store.example.org/ofed/" + SRPM, null))
                .hasMessageStartingWith("ofedSrpm: an http(s) location needs the file's SHA-256");
        assertThatThrownBy(() -> OfedSource.parseSrpm("/srv/ofed/MLNX_OFED_LINUX-24.10-2.1.8.0-rhel9.4-x86_64.tgz", null))
                .hasMessageStartingWith("ofedSrpm: 'MLNX_OFED_LINUX-24.10-2.1.8.0-rhel9.4-x86_64.tgz' is not a source "
                        + "RPM file name; expected mlnx-ofa_kernel-<version>.src.rpm");
        assertThatThrownBy(() -> OfedSource.parseSrpm("/srv/ofed/mlnx-ofa_kernel-24.10.x86_64.rpm", null))
                .hasMessageStartingWith("ofedSrpm: ");
        assertThatThrownBy(() -> OfedSource.parseSrpm("", null))
                .hasMessageStartingWith("ofedSrpm: no location given; expected a path to mlnx-ofa_kernel-<version>"
                        + ".src.rpm");
        assertThatThrownBy(() -> OfedSource.parseSrpm("sftp://u:secret@h/x/" + SRPM, null))
                .hasMessageStartingWith("ofedSrpm: the location must name the user and no password")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> OfedSource.parseSrpm("/srv/" + SRPM, "nope"))
                .hasMessageStartingWith("bundleSha256: 'nope' is not a SHA-256");
    }

    @Test
    void aDocaRepositoryIsADirectoryOrItsSourcesArchive() {
        OfedSource.DocaRepo dir = OfedSource.parseDoca("/mirror/doca/3.2.1/", null);
        assertThat(dir.dir()).contains(Path.of("/mirror/doca/3.2.1/"));
        assertThat(dir.location()).isEmpty();
        assertThat(dir.docaVersion()).contains("3.2.1");

        OfedSource.DocaRepo url = OfedSource.parseDoca(
                "https://linux.mellanox.com/public/repo/doca/3.2.1/SOURCES/mlnx_ofed/" + DOCA_SRC, SUM);
        assertThat(url.sources().orElseThrow().kind()).isEqualTo(BundleLocation.Kind.DOCA_SOURCES);
        assertThat(url.docaVersion()).contains("3.2.1");
        assertThat(OfedSource.parseDoca("/srv/" + DOCA_SRC, null).docaVersion()).isEmpty();
    }

    @Test
    void aDocaRepositoryUrlMustNameTheArchive() {
        assertThatThrownBy(() -> OfedSource.parseDoca("https://linux.mellanox.com/public/repo/doca/3.2.1/", SUM))
                .hasMessageStartingWith("docaRepo: a URL must name the repository's sources archive, "
                        + ".../doca/<version>/SOURCES/mlnx_ofed/MLNX_OFED_SRC-<ofed version>.tgz");
        assertThatThrownBy(() -> OfedSource.parseDoca("https://h/doca/3.2.1/SOURCES/mlnx_ofed/" + DOCA_SRC, null))
                .hasMessageStartingWith("docaRepo: an http(s) location needs the file's SHA-256");
        assertThatThrownBy(() -> OfedSource.parseDoca("/mirror/doca/3.2.1", SUM))
                .hasMessageStartingWith("bundleSha256: only for a file that is fetched");
        assertThatThrownBy(() -> OfedSource.parseDoca(" ", null))
                .hasMessageStartingWith("docaRepo: no location given; expected a local doca/<version>/ directory");
    }

    @Test
    void eachSourceDescribesItself() {
        Map<OfedSource, String> d = new LinkedHashMap<>();
        d.put(OfedSource.parseBundle("/b/MLNX_OFED_LINUX-24.10-2.1.8.0-rhel9.4-x86_64.tgz", null),
                "MLNX_OFED bundle MLNX_OFED_LINUX-24.10-2.1.8.0-rhel9.4-x86_64.tgz");
        d.put(OfedSource.parseSrpm("/b/" + SRPM, null), "OFED source RPM " + SRPM);
        d.put(OfedSource.parseDoca("/m/doca/3.2.1", null), "DOCA-OFED repository /m/doca/3.2.1");
        d.put(new OfedSource.Installed(Optional.empty()), "installed OFED on this machine");
        d.put(new OfedSource.Installed(Optional.of(Path.of("/scratch/root"))), "installed OFED in /scratch/root");
        d.forEach((source, text) -> assertThat(source.describe()).isEqualTo(text));
        assertThat(d.keySet().stream().map(OfedSource::field).toList())
                .containsExactly("bundle", "ofedSrpm", "docaRepo", "ofedInstalled", "ofedInstalled");
    }

    /** The real source RPMs' headers (made from the real specs, see resources/real/README.md). */
    @Test
    void theRealSourceRpmHeadersSayWhichOfedTheyAre() throws Exception {
        for (String v : List.of("24.10", "25.10")) {
            Path dir = Path.of("src/test/resources/real/ofed-" + v);
            RpmPackage pkg = new RpmReader().read(dir.resolve("mlnx-ofa_kernel.src.rpm-header"));
            Map<String, String> qp = new LinkedHashMap<>();
            for (String line : Files.readAllLines(dir.resolve("mlnx-ofa_kernel.src.rpm-qp.txt"))) {
                qp.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
            }
            assertThat(pkg.name()).isEqualTo(qp.get("name")).isEqualTo("mlnx-ofa_kernel");
            assertThat(pkg.version()).isEqualTo(qp.get("version")).isEqualTo(v);
            assertThat(pkg.release()).isEqualTo(qp.get("release"));
            assertThat(pkg.source()).isEqualTo("1".equals(qp.get("sourcepackage"))).isTrue();
            OfedRelease release = OfedRelease.ofSourceRpm(pkg.version(), pkg.release(), "x86_64", Optional.empty(),
                    false);
            assertThat(release.flavour()).isEqualTo(v.equals("25.10") ? OfedRelease.DOCA_OFED : OfedRelease.EITHER);
            assertThat(release.version()).isEqualTo(v + "-" + qp.get("release"));
            assertThat(release.majorMinor().orElseThrow()).containsExactly(Integer.parseInt(v.substring(0, 2)), 10);
            assertThat(release.hasPerKernelDevelTree()).isTrue();
        }
    }

    @Test
    void ofedInfoNamesTheFlavour() {
        assertThat(OfedRelease.ofInstalled(Optional.of("MLNX_OFED_LINUX-24.10-2.1.8.0:"), "x86_64"))
                .isEqualTo(new OfedRelease("MLNX_OFED", "24.10-2.1.8.0", "x86_64", Optional.empty(), Optional.empty()));
        // DOCA-OFED's ofed_info -s (as quoted in github.com/MrBr-github/lshca issue 102)
        assertThat(OfedRelease.ofInstalled(Optional.of("OFED-internal-24.07-0.3.5.0.110:"), "aarch64").flavour())
                .isEqualTo("DOCA-OFED");
        assertThat(OfedRelease.ofInstalled(Optional.empty(), "x86_64").version()).isEqualTo("unknown");
        // the banner and log say why there is no version, instead of "MLNX_OFED or DOCA-OFED unknown"
        assertThat(OfedRelease.ofInstalled(Optional.empty(), "x86_64").describe())
                .isEqualTo("MLNX_OFED or DOCA-OFED (version unknown: ofed_info -s did not say), x86_64");
        assertThat(OfedRelease.ofInstalled(Optional.of("5.8-3.0.7.0"), "x86_64").flavour()).isEqualTo("MLNX_OFED");
        assertThat(OfedRelease.ofInstalled(Optional.of("4.9-7.1.0.0"), "x86_64").hasPerKernelDevelTree()).isFalse();
    }
}
