package io.github.mellanoxlustre.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A tool ended with an exit code that is not success (or could not be started). Carries what a
 * person needs to act on it: the phase, the command (secrets masked), the exit code, where its full
 * log is, and the last lines of that log.
 */
public class ToolFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** How many log lines a failure shows. */
    public static final int TAIL_LINES = 50;

    private final String phase;
    private final String command;
    private final int exitCode;
    private final transient Path log;
    private final List<String> tail;

    /**
     * @param phase    the phase the tool ran in
     * @param command  the command for display, secrets already masked
     * @param exitCode the exit code, or -1 when it could not be started
     * @param log      the phase log file
     * @param tail     the last lines of the tool's output
     * @param reason   what went wrong, in words
     */
    public ToolFailedException(String phase, String command, int exitCode, Path log, List<String> tail, String reason) {
        super(reason);
        this.phase = Objects.requireNonNull(phase, "phase");
        this.command = Objects.requireNonNull(command, "command");
        this.exitCode = exitCode;
        this.log = log;
        this.tail = List.copyOf(tail);
    }

    /** The phase the tool ran in. */
    public String phase() {
        return phase;
    }

    /** The command as displayed, secrets masked. */
    public String command() {
        return command;
    }

    /** The exit code, or -1 when the tool could not be started. */
    public int exitCode() {
        return exitCode;
    }

    /** The phase log file holding the full output, if any. */
    public Path log() {
        return log;
    }

    /** The last (up to {@value #TAIL_LINES}) lines of the tool's output. */
    public List<String> tail() {
        return tail;
    }

    /** A multi-line description: phase, command, exit code, log, last lines. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(getMessage()).append('\n');
        b.append("    phase:     ").append(phase).append('\n');
        b.append("    command:   ").append(command).append('\n');
        b.append("    exit code: ").append(exitCode < 0 ? "(not started)" : Integer.toString(exitCode)).append('\n');
        if (log != null) {
            b.append("    log:       ").append(log).append('\n');
        }
        if (!tail.isEmpty()) {
            b.append("    last ").append(tail.size()).append(" lines of its output:\n");
            for (String line : tail) {
                b.append("    | ").append(line).append('\n');
            }
        }
        return b.toString();
    }
}
