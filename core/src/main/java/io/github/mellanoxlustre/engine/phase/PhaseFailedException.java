package io.github.mellanoxlustre.engine.phase;

import java.util.List;

/**
 * A phase found something that stops the build (not a tool's exit code: that is
 * {@link io.github.mellanoxlustre.process.ToolFailedException}): a warning configure must not give,
 * a missing symbol, a file that is not where the contract says. The message says what, the details
 * list the evidence.
 */
public class PhaseFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> details;

    public PhaseFailedException(String message) {
        this(message, List.of(), null);
    }

    public PhaseFailedException(String message, List<String> details) {
        this(message, details, null);
    }

    public PhaseFailedException(String message, List<String> details, Throwable cause) {
        super(message, cause);
        this.details = List.copyOf(details);
    }

    /** Evidence lines (missing symbols, offending entries, ...). */
    public List<String> details() {
        return details;
    }
}
