package io.github.mellanoxlustre.build;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The kernel a build is for, as preflight resolved it.
 *
 * @param release   the kernel release ({@code uname -r} form)
 * @param sourceDir the kernel build tree with {@code Makefile} and {@code Module.symvers}
 */
public record TargetKernel(String release, Path sourceDir) {
    public TargetKernel {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(sourceDir, "sourceDir");
    }

    /** The kernel tree's {@code Module.symvers}. */
    public Path moduleSymvers() {
        return sourceDir.resolve("Module.symvers");
    }
}
