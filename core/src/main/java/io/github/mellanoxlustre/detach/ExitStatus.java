package io.github.mellanoxlustre.detach;

import java.time.Instant;
import java.util.Objects;

/**
 * How a detached engine process ended ({@link ControlDir#EXIT}): the last file it writes, so when
 * it exists the build is over and {@link ControlDir#RESULT} (when the build completed) is whole.
 *
 * @param exitCode the process's exit code, {@link Outcome#exitCode()}
 * @param outcome  how the build ended
 * @param message  one line for the console (secrets masked)
 * @param writer   {@code engine}, or {@code watcher} when a watcher had to kill the process
 * @param finished when this was written
 */
public record ExitStatus(int exitCode, Outcome outcome, String message, String writer, Instant finished) {
    public static final String ENGINE = "engine";
    public static final String WATCHER = "watcher";

    public ExitStatus {
        Objects.requireNonNull(outcome, "outcome");
        message = message == null ? "" : message;
    }

    static ExitStatus of(Outcome outcome, String message, String writer) {
        return new ExitStatus(outcome.exitCode(), outcome, message, writer, Instant.now());
    }
}
