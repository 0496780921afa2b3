package io.jenkins.plugins.mellanoxlustre.agent;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.mellanoxlustre.RpmReport;
import java.io.Serializable;

/**
 * One look at a detached engine process from the controller ({@link EnginePollCallable}): the log
 * bytes since the offset asked for (whole lines), where the build is, and once it is over, how it
 * ended and (when it completed) the report the controller publishes. Only strings, numbers and the
 * plugin's own records, so it crosses the remoting channel.
 */
public final class EnginePoll implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where the engine is. */
    public enum State {
        /** Started but not yet recorded, or running. */
        RUNNING,
        /** Wrote its exit status. */
        FINISHED,
        /** Gone without an exit status: killed, out of memory, the machine rebooted. */
        DIED
    }

    private final byte[] log;
    private final long next;
    private final State state;
    private final String progress;
    private final String outcome;
    private final int exitCode;
    private final String message;
    private final RpmReport report;

    EnginePoll(byte[] log, long next, State state, String progress, String outcome, int exitCode, String message,
               @CheckForNull RpmReport report) {
        this.log = log.clone();
        this.next = next;
        this.state = state;
        this.progress = progress;
        this.outcome = outcome;
        this.exitCode = exitCode;
        this.message = message;
        this.report = report;
    }

    /** Log bytes from the offset asked for to {@link #next()}: whole lines, secrets masked by the engine. */
    public byte[] log() {
        return log.clone();
    }

    /** The log offset to ask for next. */
    public long next() {
        return next;
    }

    public State state() {
        return state;
    }

    /** The current phase ({@code [7/9] Build the Lustre RPMs}), or the state before the first phase. */
    public String progress() {
        return progress;
    }

    /** The engine's {@code Outcome} name ({@code PASSED}, {@code FAILED}, ...) once finished; empty before. */
    public String outcome() {
        return outcome;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The exit status's message once finished; the last lines of the log when the process died. */
    public String message() {
        return message;
    }

    /** What the build published and withheld, when it completed (PASSED or FORBIDDEN_WITHHELD). */
    @CheckForNull
    public RpmReport report() {
        return report;
    }
}
