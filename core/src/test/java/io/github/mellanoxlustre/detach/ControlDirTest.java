package io.github.mellanoxlustre.detach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlDirTest {
    @TempDir
    Path dir;

    /** A reader polling the file while it is rewritten never sees a part of it. */
    @Test
    void aReaderNeverSeesHalfAWrittenFile() throws Exception {
        ControlDir c = ControlDir.create(dir.resolve("control"));
        byte[] a = ("{\"v\":\"" + "a".repeat(2_000_000) + "\"}").getBytes(StandardCharsets.US_ASCII);
        byte[] b = ("{\"v\":\"" + "b".repeat(1_000_000) + "\"}").getBytes(StandardCharsets.US_ASCII);
        c.writeAtomically(ControlDir.PROGRESS, a);
        AtomicBoolean done = new AtomicBoolean();
        List<Integer> torn = new ArrayList<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    int n = Files.readAllBytes(c.file(ControlDir.PROGRESS)).length;
                    if (n != a.length && n != b.length) {
                        torn.add(n);
                    }
                } catch (java.io.IOException e) {
                    torn.add(-1);
                }
            }
        });
        reader.start();
        for (int i = 0; i < 40; i++) {
            c.writeAtomically(ControlDir.PROGRESS, i % 2 == 0 ? b : a);
        }
        done.set(true);
        reader.join();
        assertThat(torn).as("sizes a reader saw besides the two whole files").isEmpty();
        try (Stream<Path> s = Files.list(c.dir())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(ControlDir.PROGRESS);
        }
    }

    @Test
    void theDirectoryAndTheSecretsFileAreTheOwnersOnly() throws Exception {
        ControlDir c = ControlDir.create(dir.resolve("control"));
        c.writeOwnerOnly(ControlDir.SECRETS, "{}".getBytes(StandardCharsets.US_ASCII));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(c.dir()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(c.file(ControlDir.SECRETS))))
                .isEqualTo("rw-------");
        assertThatThrownBy(() -> c.writeOwnerOnly(ControlDir.SECRETS, new byte[0]))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void aControlDirectoryIsForOneBuild() throws Exception {
        Path used = Files.createDirectories(dir.resolve("used"));
        Files.writeString(used.resolve(ControlDir.LOG), "an earlier build\n");
        assertThatThrownBy(() -> ControlDir.create(used)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("controlDir: not empty");
        assertThat(used.resolve(ControlDir.LOG)).hasContent("an earlier build");
    }
}
