package io.jenkins.plugins.mellanoxlustre.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mellanoxlustre.BuildOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's console on its way to the build log: field names as the form has them, keys deleted on time. */
class KeyRetirementTest {
    @TempDir
    Path dir;

    @Test
    void linesNameTheFormsFieldsAndAKeyGoesWhenItsPhaseIsDone() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        KeyRetirement console = new KeyRetirement(log, new BuildOptions().toSpec()::namedLine);
        Path key = Files.writeString(dir.resolve("key"), "private");
        console.deleteAfter(KeyRetirement.FETCH_BUNDLE, "bundleCredentialsId", key);
        PrintStream engine = new PrintStream(console, true, StandardCharsets.UTF_8);
        engine.println("    - kernel tree /k does not exist; install the kernel's development package or give the kernel "
                + "build tree (kernelSource)");
        engine.println("    - lustreDir: /src/lustre is not a directory");
        assertThat(key).exists();
        engine.println("<== [2/9] " + KeyRetirement.FETCH_BUNDLE + ": done in 0.4 s");
        console.finish();
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("give the kernel build tree (kernelSourceDir)", "    - lustreSourceDir: /src/lustre")
                .doesNotContain("(kernelSource)");
        assertThat(key).doesNotExist();
        assertThat(text).contains("bundleCredentialsId: the SSH key file is deleted ('Get OFED' is done)");
    }
}
