package io.github.mellanoxlustre.engine;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a build reports progress: the console (for Jenkins, the task listener's logger; for the
 * CLI, standard output). Plain Java, so the engine runs inside a Jenkins FileCallable on an agent.
 */
@FunctionalInterface
public interface BuildListener {

    /** The default {@link #heartbeat()}. */
    Duration HEARTBEAT = Duration.ofSeconds(60);

    /** The console every banner, tool output line and failure goes to. */
    PrintStream console();

    /**
     * Whether the console shows only the phase banners, warnings, errors and the summary (the phase
     * logs still have everything). Default: no, it shows every command and tool output line too.
     */
    default boolean quiet() {
        return false;
    }

    /**
     * While a tool runs and the console has been silent this long, a line says it is still running,
     * for how long and how much log it wrote ({@code ... make still running: 12 min 0 s, 3.1 MiB of
     * log written}). Default {@link #HEARTBEAT}; zero for none.
     */
    default Duration heartbeat() {
        return HEARTBEAT;
    }

    /**
     * A phase begins (called on the engine's thread, after its banner is printed). The default does
     * nothing; a detached engine process records it as the build's progress.
     *
     * @param index  the phase's number, 1 to {@code total}
     * @param total  the number of phases
     * @param title  the phase's title, as in its banner
     * @param detail what the banner shows in parentheses (secrets masked), or empty
     */
    default void phaseStarted(int index, int total, String title, String detail) {
    }

    /**
     * A phase is done (called on the engine's thread, after its {@code <== ... done} banner); not
     * called for a phase that failed or was aborted. The default does nothing; a detached engine
     * process deletes the SSH key files only that phase reads.
     *
     * @param index the phase's number, 1 to {@code total}
     * @param total the number of phases
     * @param title the phase's title, as in its banner
     */
    default void phaseDone(int index, int total, String title) {
    }

    /** A listener writing to this stream. */
    static BuildListener of(PrintStream console) {
        Objects.requireNonNull(console, "console");
        return () -> console;
    }

    /** A listener writing to this stream, quiet or not, with this heartbeat interval. */
    static BuildListener of(PrintStream console, boolean quiet, Duration heartbeat) {
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(heartbeat, "heartbeat");
        return new BuildListener() {
            @Override
            public PrintStream console() {
                return console;
            }

            @Override
            public boolean quiet() {
                return quiet;
            }

            @Override
            public Duration heartbeat() {
                return heartbeat;
            }
        };
    }
}
