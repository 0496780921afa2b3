package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BundleLocationTest {
    static final String NAME = "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz";
    static final String SUM = "3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed";

    @Test
    void localPaths() {
        BundleLocation abs = BundleLocation.parse("/srv/ofed/" + NAME, null);
        assertThat(abs).isEqualTo(new BundleLocation.Local(Path.of("/srv/ofed/" + NAME),
                OfedBundleName.parse(NAME), Optional.empty()));
        assertThat(abs.toString()).isEqualTo("/srv/ofed/" + NAME);
        BundleLocation rel = BundleLocation.parse(NAME, "  " + SUM.toUpperCase() + "\n");
        assertThat(rel.sha256()).contains(SUM);
        assertThat(((BundleLocation.Local) rel).path()).isEqualTo(Path.of(NAME));
    }

    @Test
    void httpNeedsAChecksumAndHidesItsQuery() {
        BundleLocation.Http http = (BundleLocation.Http) BundleLocation.parse("https://mirror.example.org/ofed/" + NAME, SUM);
        assertThat(http.uri()).isEqualTo(URI.create("https://mirror.example.org/ofed/" + NAME));
        assertThat(http.bundleName().distro()).isEqualTo("rhel8.7");
        assertThat(http.sha256()).contains(SUM);
        assertThat(BundleLocation.parse("HTTP://mirror:8080/" + NAME, SUM)).isInstanceOf(BundleLocation.Http.class);

        BundleLocation signed = BundleLocation.parse("https://s3.example.org/b/" + NAME + "?X-Amz-Signature=abc", SUM);
        assertThat(signed.toString()).isEqualTo("https://s3.example.org/b/" + NAME + "?...");
        assertThat(signed.bundleName().fileName()).isEqualTo(NAME);

        assertThatThrownBy(() -> BundleLocation.parse("https://mirror.example.org/" + NAME, null))
                .hasMessageStartingWith("bundle: an http(s) location needs the file's SHA-256");
        assertThatThrownBy(() -> BundleLocation.parse("https://mirror.example.org/" + NAME, " "))
                .hasMessageContaining("needs the file's SHA-256");
        assertThatThrownBy(() -> new BundleLocation.Http(URI.create("https://h/" + NAME), OfedBundleName.parse(NAME),
                Optional.empty())).hasMessageContaining("SHA-256");
    }

    @Test
    void sshForms() {
        BundleLocation.Ssh sftp = (BundleLocation.Ssh) BundleLocation.parse("sftp://build@files.example.org/pub/" + NAME, null);
        assertThat(sftp).isEqualTo(new BundleLocation.Ssh("sftp", "build", "files.example.org", 22, "/pub/" + NAME,
                OfedBundleName.parse(NAME), Optional.empty()));
        assertThat(sftp.toString()).isEqualTo("sftp://build@files.example.org/pub/" + NAME);

        BundleLocation.Ssh scp = (BundleLocation.Ssh) BundleLocation.parse("SCP://svc.ofed@10.0.0.5:2222/data/" + NAME, SUM);
        assertThat(scp.scheme()).isEqualTo("scp");
        assertThat(scp.port()).isEqualTo(2222);
        assertThat(scp.user()).isEqualTo("svc.ofed");
        assertThat(scp.toString()).isEqualTo("scp://svc.ofed@10.0.0.5:2222/data/" + NAME);

        BundleLocation.Ssh v6 = (BundleLocation.Ssh) BundleLocation.parse("sftp://u@[::1]:2200/x/" + NAME, null);
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.toString()).isEqualTo("sftp://u@[::1]:2200/x/" + NAME);

        // sftp has no shell in between: any file name is fine
        BundleLocation.Ssh spaced = (BundleLocation.Ssh) BundleLocation.parse("sftp://u@h/My%20Bundles/" + NAME, null);
        assertThat(spaced.path()).isEqualTo("/My Bundles/" + NAME);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''|bundle: no location given",
        "/srv/ofed/bundle.tgz|bundle: MLNX_OFED bundle name 'bundle.tgz' does not have the expected form",
        "/srv/ofed/|bundle: MLNX_OFED bundle name",
        "https://mirror.example.org/|bundle: MLNX_OFED bundle name ''",
        "https://user:secret@mirror.example.org/" + NAME + "|bundle: credentials in the URL are not accepted",
        "https://exa mple.org/" + NAME + "|bundle: 'https://exa mple.org/" + NAME + "' is not a valid URL",
        "https:///" + NAME + "|has no host or path",
        "ftp://mirror.example.org/" + NAME + "|bundle: unsupported scheme",
        "file:///srv/" + NAME + "|bundle: unsupported scheme",
        "sftp://files.example.org/pub/" + NAME + "|must name the user and no password",
        "sftp://u:pw@files.example.org/pub/" + NAME + "|must name the user and no password",
        "sftp://-oProxyCommand@files.example.org/pub/" + NAME + "|bundle: user '-oProxyCommand' may use letters",
        "sftp://u@files.example.org|has no path to the file",
        "sftp://u@files.example.org/|has no path to the file",
        "sftp://u@files.example.org:0/pub/" + NAME + "|bundle: port 0 is not 1 to 65535",
        "scp://u@h/pub/%24(reboot)/" + NAME + "|the scp:// path '/pub/$(reboot)/" + NAME + "' may only use",
        "scp://u@h/pub;rm/" + NAME + "|scp passes it through the remote shell",
        "scp://u@h/My%20Bundles/" + NAME + "|use sftp:// for other file names",
        "root@files.example.org:/pub/" + NAME + "|looks like an scp target; write it as scp://",
    })
    void refusesWithFieldAndForm(String location, String message) {
        assertThatThrownBy(() -> BundleLocation.parse(location, SUM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    /** Locations with a password or token and a second problem: no message may echo the secret. */
    @ParameterizedTest
    @ValueSource(strings = {"https://u:s3cr3tPW@/" + NAME, "https://u:s3cr3t PW@mirror.example.org/" + NAME,
        "https://u:s3cr3tPW@mirror.example.org/pub::", "foo://u:s3cr3tPW@mirror.example.org/" + NAME,
        "https://s3cr3tPW@mirror.example.org/" + NAME, "https://s3cr3tPW@/" + NAME,
        "https://u:s3cr3t/PW@mirror.example.org/" + NAME, "sftp://u:s3cr3t PW@files.example.org/pub/" + NAME,
        "sftp://u:s3cr3tPW@/pub/" + NAME, "scp://u:s3cr3tPW@files.example.org/pub::", "u:s3cr3tPW@files.example.org:"
        + "/pub/" + NAME, "u:s3cr3tPW@files.example.org:/pub/bundle.tgz", "ftp://u:s3cr3tPW@h/" + NAME,
        "https://u:s3cr3tPW@mirror.example.org/bundle.tgz"})
    void secretsInLocationsWithASecondProblemAreNotEchoed(String location) {
        assertThatThrownBy(() -> BundleLocation.parse(location, SUM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bundle: ")
                .hasMessageNotContaining("s3cr3t")
                .hasMessageNotContaining("PW@")
                .satisfies(e -> assertThat(e.getCause()).isNull());
    }

    @Test
    void aTokenOnlyHttpsUrlIsRefused() {
        assertThatThrownBy(() -> BundleLocation.parse("https://s3cr3tTOKEN@mirror.example.org/pub/" + NAME, SUM))
                .hasMessageStartingWith("bundle: credentials in the URL")
                .hasMessageContaining("sftp://")
                .hasMessageNotContaining("s3cr3tTOKEN");
    }

    @ParameterizedTest
    @CsvSource({"sftp://u:s3cr3tPW@files.example.org/pub/", "https://u:s3cr3tPW@mirror.example.org/"})
    void passwordsInLocationsAreNotEchoed(String prefix) {
        assertThatThrownBy(() -> BundleLocation.parse(prefix + NAME, SUM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bundle: ")
                .hasMessageNotContaining("s3cr3tPW");
    }

    @ParameterizedTest
    @CsvSource({"abc", "3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836e",
                "3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836edd",
                "sha256:3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed",
                "zf786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed"})
    void refusesBadChecksumsNamingTheField(String sum) {
        assertThatThrownBy(() -> BundleLocation.parse("/srv/" + NAME, sum))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bundleSha256: '" + sum + "' is not a SHA-256")
                .hasMessageContaining("64 hexadecimal digits");
    }

    @Test
    void recordsValidateDirectConstruction() {
        OfedBundleName n = OfedBundleName.parse(NAME);
        assertThatThrownBy(() -> new BundleLocation.Ssh("http", "u", "h", 22, "/x", n, Optional.empty()))
                .hasMessageContaining("not sftp or scp");
        assertThatThrownBy(() -> new BundleLocation.Ssh("sftp", "u", "h", 22, "relative/x", n, Optional.empty()))
                .hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> new BundleLocation.Ssh("sftp", "u", "-h", 22, "/x", n, Optional.empty()))
                .hasMessageContaining("not a host");
        assertThatThrownBy(() -> new BundleLocation.Local(Path.of("/x"), n, Optional.of("nope")))
                .hasMessageContaining("bundleSha256");
    }
}
