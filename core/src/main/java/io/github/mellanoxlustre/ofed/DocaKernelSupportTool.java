package io.github.mellanoxlustre.ofed;

import io.github.mellanoxlustre.process.ProgramPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where DOCA-Host's {@code doca-kernel-support} is (package {@code doca-extra}): on the build's tool
 * PATH, else {@code /opt/mellanox/doca/tools/doca-kernel-support}, where public install guides run it.
 */
public final class DocaKernelSupportTool {
    /** The tool's name. */
    public static final String NAME = "doca-kernel-support";
    /** Where {@code doca-extra} installs it. */
    public static final Path DEFAULT = Path.of("/opt/mellanox/doca/tools", NAME);
    /** The package that ships it. */
    public static final String PACKAGE = "doca-extra";

    private DocaKernelSupportTool() {
    }

    /** The tool on {@code path} (a PATH value), else {@link #DEFAULT}; empty when neither is there. */
    public static Optional<Path> locate(String path) {
        return locate(path, DEFAULT);
    }

    static Optional<Path> locate(String path, Path fallback) {
        Optional<Path> onPath = ProgramPath.find(NAME, path);
        if (onPath.isPresent()) {
            return onPath;
        }
        return Files.isRegularFile(fallback) && Files.isExecutable(fallback) ? Optional.of(fallback) : Optional.empty();
    }

    /** What is said when it is missing: where it was looked for and which package has it. */
    public static String missing(String path) {
        return "ofedRebuild: " + NAME + " is neither on the tools' PATH (" + path + ") nor at " + DEFAULT
                + "; install DOCA-Host's " + PACKAGE + " package (dnf install " + PACKAGE + ") or put the tool on "
                + "the PATH";
    }
}
