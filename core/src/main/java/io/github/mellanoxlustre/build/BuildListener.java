package io.github.mellanoxlustre.build;

import java.io.PrintStream;
import java.util.Objects;

/**
 * Where a build reports progress: the console (for Jenkins, the task listener's logger; for the
 * CLI, standard output). Plain Java, so the engine runs inside a Jenkins FileCallable on an agent.
 */
@FunctionalInterface
public interface BuildListener {

    /** The console every banner, tool output line and failure goes to. */
    PrintStream console();

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

    /** A listener writing to this stream. */
    static BuildListener of(PrintStream console) {
        Objects.requireNonNull(console, "console");
        return () -> console;
    }
}
