package io.github.mellanoxlustre.detach;

import java.time.Instant;
import java.util.Objects;

/**
 * What a detached engine is doing ({@link ControlDir#PROGRESS}).
 *
 * @param state   {@code starting} (reading its request), {@code running} (in a phase) or
 *                {@code finished} (the exit status is, or is about to be, written)
 * @param phase   the current phase's number, 1 to {@code total}; 0 before the first
 * @param total   the number of phases
 * @param title   the current phase's title, or empty
 * @param detail  what its banner shows in parentheses, or empty
 * @param updated when this was written
 */
public record Progress(String state, int phase, int total, String title, String detail, Instant updated) {
    public static final String STARTING = "starting";
    public static final String RUNNING = "running";
    public static final String FINISHED = "finished";

    public Progress {
        Objects.requireNonNull(state, "state");
        title = title == null ? "" : title;
        detail = detail == null ? "" : detail;
    }

    /** {@code [3/9] Rebuild OFED kernel modules (srpm-rebuild)}, or the state before the first phase. */
    public String describe() {
        if (phase == 0) {
            return state;
        }
        return "[" + phase + "/" + total + "] " + title + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
