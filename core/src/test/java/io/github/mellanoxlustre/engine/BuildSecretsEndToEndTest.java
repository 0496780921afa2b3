package io.github.mellanoxlustre.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.standin.LustreRepo;
import io.github.mellanoxlustre.standin.LustreTreeFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets in the environment the engine runs in (as Jenkins passes its EnvVars) never reach a tool:
 * a {@code make} that prints its whole environment shows the allowlisted and passed variables only.
 */
class BuildSecretsEndToEndTest {
    static final String PASSPHRASE = "Hunter2-passphrase-51c3";
    static final String TOKEN = "ci-deploy-token-7d0e";

    static EngineFixtures f;
    final BuildEngine engine = new BuildEngine();

    @TempDir
    Path dir;

    @BeforeAll
    static void standins() throws Exception {
        f = EngineFixtures.shared();
    }

    @Test
    void aMakePrintingItsEnvironmentShowsNoSecretInConsoleLogsTailOrFailure() throws Exception {
        LustreRepo repo = LustreTreeFixture.createGitRepo(dir.resolve("lustre"),
                LustreTreeFixture.Options.defaults().withMakePrintingItsEnvironment().withFailingMake());
        EngineFixtures.Request req = f.request(dir);
        req.lustre = new LustreSource.Git(repo.url(), "b2_15", Optional.empty());
        Map<String, String> jenkinsEnv = new HashMap<>(System.getenv());
        jenkinsEnv.put("MLNX_LUSTRE_GIT_KEY_PASSPHRASE", PASSPHRASE);
        jenkinsEnv.put("DEPLOY_TOKEN", TOKEN);
        jenkinsEnv.put("https_proxy", "http://proxy.example:3128");
        jenkinsEnv.put("LC_MESSAGES", "C");
        jenkinsEnv.put("SITE_KBUILD_FLAGS", "W=1");
        req.settings = req.settings.withInherited(jenkinsEnv).withPassEnvironment(Set.of("SITE_KBUILD_FLAGS"));

        EngineFixtures.Outcome o = EngineFixtures.run(engine, req.build());
        BuildFailedException e = o.failed();
        assertThat(e.phaseIndex()).isEqualTo(7);
        // make did print its environment: what tools may get is there
        assertThat(o.console()).contains("make: environment:", "https_proxy=http://proxy.example:3128",
                "LC_MESSAGES=C", "SITE_KBUILD_FLAGS=W=1", "PATH=" + f.path());
        StringBuilder logs = new StringBuilder();
        try (Stream<Path> s = Files.list(req.work.resolve("logs"))) {
            for (Path p : s.sorted().toList()) {
                logs.append(Files.readString(p));
            }
        }
        assertThat(logs).contains("make: environment:");
        String tail = String.join("\n", e.toolFailure().orElseThrow().tail());
        for (String text : List.of(o.console(), logs.toString(), tail, e.describe(), e.getMessage())) {
            assertThat(text).doesNotContain(PASSPHRASE, TOKEN, "MLNX_LUSTRE_GIT_KEY_PASSPHRASE", "DEPLOY_TOKEN");
        }
    }
}
