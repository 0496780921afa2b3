package io.github.mellanoxlustre.detach;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test, aborts an engine process a test that failed half-way left running in its control
 * directory (and the process's tools with it), so that none waits for ever. Register it with the
 * test's control directory: {@code @RegisterExtension final LeftoverEngine leftover = new
 * LeftoverEngine(() -> dir.resolve("control"));}.
 */
final class LeftoverEngine implements AfterEachCallback {
    private final Supplier<Path> control;

    LeftoverEngine(Supplier<Path> control) {
        this.control = control;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Path dir = control.get();
        if (dir != null && Files.isDirectory(dir)) {
            BuildWatcher.attach(dir).abort(Duration.ofSeconds(30));
        }
    }
}
