package io.github.mellanoxlustre.detach;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine process's main, run in this JVM on control directories made by hand. */
class EngineProcessMainTest {
    @TempDir
    Path dir;

    /** A secrets file the parser cannot read is deleted, and its text is not quoted anywhere. */
    @Test
    void anUnreadableSecretsFileIsDeletedAndNotQuoted() throws Exception {
        ControlDir c = ControlDir.create(dir.resolve("control"));
        c.writeAtomically(ControlDir.REQUEST, EngineJson.MAPPER.writeValueAsBytes(new DetachedSpec()));
        String secret = "tokS3cretPassphrase";
        c.writeOwnerOnly(ControlDir.SECRETS, ("{\"environment\":{},\"bundleKeyPassphrase\":" + secret + "}")
                .getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        int code = new EngineProcessMain(c, new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        assertThat(code).isEqualTo(Outcome.FAILED.exitCode());
        assertThat(c.file(ControlDir.SECRETS)).doesNotExist();
        ExitStatus exit = EngineJson.MAPPER.readValue(c.file(ControlDir.EXIT).toFile(), ExitStatus.class);
        assertThat(exit.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(exit.message()).contains("cannot read", ControlDir.SECRETS).doesNotContain("S3cret");
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("S3cret");
        for (String f : new String[] {ControlDir.EXIT, ControlDir.PROGRESS}) {
            assertThat(Files.readString(c.file(f))).doesNotContain("S3cret");
        }
    }
}
