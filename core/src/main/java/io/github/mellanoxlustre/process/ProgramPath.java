package io.github.mellanoxlustre.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a program the way {@code execvp} does, but on the PATH the tool will actually get (the
 * build's environment), not the JVM's own: a name with a {@code /} is taken as a path, any other
 * name is looked up in each PATH element in order.
 */
public final class ProgramPath {
    private ProgramPath() {
    }

    /** The executable file a program name refers to, or empty when there is none. */
    public static Optional<Path> find(String program, String pathVariable) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
        }
        String path = pathVariable == null || pathVariable.isEmpty() ? "/usr/local/bin:/usr/bin:/bin" : pathVariable;
        for (String dir : path.split(File.pathSeparator, -1)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
