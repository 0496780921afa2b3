package io.github.mellanoxlustre.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolEnvironmentTest {
    @Test
    void onlyTheAllowlistThePassedNamesAndTheExplicitVariablesReachTools() {
        Map<String, String> inherited = Map.of("PATH", "/bin", "LC_CTYPE", "C.UTF-8", "NO_PROXY", "localhost",
                "CCACHE_BASEDIR", "/w", "MLNX_LUSTRE_BUNDLE_KEY_PASSPHRASE", "pp", "GITHUB_TOKEN", "ghp_x",
                "EXTRA", "e", "JAVA_TOOL_OPTIONS", "-Dx");
        assertThat(ToolEnvironment.build(inherited, Set.of("EXTRA", "MLNX_LUSTRE_BUNDLE_KEY_PASSPHRASE"),
                Map.of("MAKEFLAGS", "-s", "MLNX_LUSTRE_GIT_KEY_PASSPHRASE", "x")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("PATH", "/bin", "LC_CTYPE", "C.UTF-8", "NO_PROXY",
                        "localhost", "CCACHE_BASEDIR", "/w", "EXTRA", "e", "MAKEFLAGS", "-s"));
    }

    @Test
    void maskerReplacesEverySecretAlsoInItsJsonAndHtmlForms() {
        SecretMasker m = SecretMasker.of(List.of("a\"b<c", "longer-secret", ""));
        assertThat(m.mask("x a\"b<c y")).isEqualTo("x **** y");
        assertThat(m.mask("{\"v\": \"a\\\"b<c\"}")).isEqualTo("{\"v\": \"****\"}");
        assertThat(m.mask("<td>a&quot;b&lt;c</td>")).isEqualTo("<td>****</td>");
        assertThat(m.mask("longer-secret-and-more")).isEqualTo("****-and-more");
        assertThat(m.reveals("has longer-secret")).isTrue();
        assertThat(SecretMasker.NONE.mask("longer-secret")).isEqualTo("longer-secret");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream masked = m.masking(out);
        masked.println("line with longer-secret");
        masked.print("partial longer-");
        masked.print("secret");
        masked.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("line with ****\npartial ****");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://user:pw@host/x|https://****@host/x",
        "https://TOKEN@host/x|https://****@host/x",
        "https://user:p/w@host/x|https://****@host/x",
        "https://user:p w@host/x|https://****@host/x",
        "ssh://git@host:29418/x|ssh://git@host:29418/x",
        "sftp://user@host/p/a@b.tgz|sftp://user@host/p/a@b.tgz",
        "ssh://git:pw@host/x|ssh://****@host/x",
        "user:pw@host:path|****@host:path",
        "git@github.com:org/x.git|git@github.com:org/x.git",
        "/srv/a@b/x.tgz|/srv/a@b/x.tgz",
        "https://host/x|https://host/x",
    })
    void userInformationIsRedactedFromEchoedLocations(String location, String shown) {
        assertThat(SecretMasker.redactUserInfo(location)).isEqualTo(shown);
    }
}
