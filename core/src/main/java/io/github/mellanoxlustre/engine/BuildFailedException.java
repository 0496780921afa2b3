package io.github.mellanoxlustre.engine;

import io.github.mellanoxlustre.process.ToolFailedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The build stopped in a phase. {@link #describe()} is what the console shows: the phase, what
 * happened, and for a tool its command, exit code, log file and last 50 log lines. Nothing was
 * published.
 */
public class BuildFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int phaseIndex;
    private final String phaseTitle;
    private final List<String> details;
    private final transient Path log;

    public BuildFailedException(int phaseIndex, String phaseTitle, String message, List<String> details, Path log,
                                Throwable cause) {
        super(message, cause);
        this.phaseIndex = phaseIndex;
        this.phaseTitle = phaseTitle;
        this.details = List.copyOf(details);
        this.log = log;
    }

    /** 1-based phase number. */
    public int phaseIndex() {
        return phaseIndex;
    }

    /** The phase's title, e.g. {@code Configure Lustre}. */
    public String phaseTitle() {
        return phaseTitle;
    }

    /** Evidence lines. */
    public List<String> details() {
        return details;
    }

    /** The phase log, when there is one. */
    public Optional<Path> log() {
        return Optional.ofNullable(log);
    }

    /** The tool failure behind this, if it was one. */
    public Optional<ToolFailedException> toolFailure() {
        return getCause() instanceof ToolFailedException t ? Optional.of(t) : Optional.empty();
    }

    /** Multi-line description for the console. */
    public String describe() {
        if (getCause() instanceof ToolFailedException t) {
            return "phase " + phaseIndex + " (" + phaseTitle + ") failed: " + t.describe();
        }
        StringBuilder b = new StringBuilder();
        b.append("phase ").append(phaseIndex).append(" (").append(phaseTitle).append(") failed: ")
                .append(getMessage()).append('\n');
        for (String d : details) {
            b.append("    ").append(d).append('\n');
        }
        if (log != null) {
            b.append("    log: ").append(log).append('\n');
        }
        return b.toString();
    }
}
