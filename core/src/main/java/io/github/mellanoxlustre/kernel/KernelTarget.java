package io.github.mellanoxlustre.kernel;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The kernel the modules are built for.
 *
 * @param release   the kernel release ({@code uname -r} form), e.g.
 *                  {@code 4.18.0-477.10.1.el8_lustre.x86_64}; empty means "resolve at preflight"
 *                  (the running kernel, or the single {@code *_lustre*} kernel-devel tree found)
 * @param sourceDir the kernel build tree with {@code Makefile} and {@code Module.symvers}; empty
 *                  means {@code /lib/modules/<release>/build}
 */
public record KernelTarget(Optional<String> release, Optional<Path> sourceDir) {

    /** Accepted release form, for error messages. */
    public static final String RELEASE_FORM = "a kernel release such as 4.18.0-477.10.1.el8_lustre.x86_64, "
            + "as uname -r prints it (VERSION.PATCHLEVEL.SUBLEVEL, then letters, digits, '.', '_', '+', '-')";

    /** VERSION.PATCHLEVEL.SUBLEVEL as every kernel release starts (Linux's Makefile), then its local version. */
    private static final Pattern RELEASE = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+[A-Za-z0-9._+~-]*");
    private static final int MAX_RELEASE = 128;

    public KernelTarget {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(sourceDir, "sourceDir");
        release.ifPresent(KernelTarget::checkRelease);
    }

    /** Resolve both at preflight. */
    public static KernelTarget detect() {
        return new KernelTarget(Optional.empty(), Optional.empty());
    }

    /** Validates a kernel release string. */
    public static String checkRelease(String release) {
        if (release == null || release.length() > MAX_RELEASE || !RELEASE.matcher(release).matches()
                || release.contains("..")) {
            throw new IllegalArgumentException("kernelRelease: '" + release + "' is not " + RELEASE_FORM);
        }
        return release;
    }
}
