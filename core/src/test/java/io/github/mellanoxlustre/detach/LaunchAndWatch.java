package io.github.mellanoxlustre.detach;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A watching JVM for {@link DetachedBuildEndToEndTest}, which kills it mid-build: launches the engine
 * process for the spec in {@code args[1]} into control directory {@code args[0]} (this JVM's class
 * path, this JVM's environment), then streams the log to {@code args[2]} for ever, writing the
 * offset it reached to {@code args[3]} after each copy.
 */
public final class LaunchAndWatch {
    private LaunchAndWatch() {
    }

    public static void main(String[] args) throws Exception {
        Path control = Path.of(args[0]);
        DetachedSpec spec = EngineJson.MAPPER.readValue(Path.of(args[1]).toFile(), DetachedSpec.class);
        Path seen = Path.of(args[2]);
        Path offsetFile = Path.of(args[3]);
        BuildWatcher w = EngineLauncher.withClasspath(System.getProperty("java.class.path"))
                .launch(control, spec, EngineSecrets.of(System.getenv()));
        long offset = 0;
        try (OutputStream out = new FileOutputStream(seen.toFile(), true)) {
            while (true) {
                offset = w.copyLog(offset, out);
                Path tmp = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
                Files.writeString(tmp, Long.toString(offset), StandardCharsets.US_ASCII);
                Files.move(tmp, offsetFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Thread.sleep(100);
            }
        }
    }
}
