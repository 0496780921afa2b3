package io.github.mellanoxlustre.detach;

import io.github.mellanoxlustre.engine.BuildResult;

/**
 * How a detached build ended, and its exit code: the same codes as {@code mlnx-lustre build}
 * (docs/build.md, "Exit codes").
 */
public enum Outcome {
    /** Built and published; nothing forbidden. */
    PASSED(BuildResult.EXIT_PASS),
    /** Built; a forbidden RPM was withheld and the distributable set published. */
    FORBIDDEN_WITHHELD(BuildResult.EXIT_FORBIDDEN),
    /** The request was invalid; nothing ran. */
    INVALID_REQUEST(2),
    /** A phase failed (or the engine process failed internally); nothing was published. */
    FAILED(3),
    /** Valid, but cannot run here (work directory in use or not ours, policy file unusable); nothing ran. */
    CANNOT_RUN_HERE(4),
    /** Aborted; the tools were killed and nothing was published. */
    ABORTED(130);

    private final int exitCode;

    Outcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
