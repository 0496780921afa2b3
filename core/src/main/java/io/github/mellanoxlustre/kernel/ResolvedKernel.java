package io.github.mellanoxlustre.kernel;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The kernel a build is for, once {@link KernelResolver} has filled in what the request left open.
 *
 * @param release   the kernel release ({@code uname -r} form)
 * @param sourceDir the kernel build tree that should hold {@code Makefile} and {@code Module.symvers}
 * @param origin    how it was chosen, for the build log (e.g. "the running kernel")
 */
public record ResolvedKernel(String release, Path sourceDir, String origin) {
    public ResolvedKernel {
        KernelTarget.checkRelease(release);
        Objects.requireNonNull(sourceDir, "sourceDir");
        Objects.requireNonNull(origin, "origin");
    }

    /** The kernel tree's {@code Module.symvers}. */
    public Path moduleSymvers() {
        return sourceDir.resolve("Module.symvers");
    }
}
