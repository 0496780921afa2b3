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

    /** A listener writing to this stream. */
    static BuildListener of(PrintStream console) {
        Objects.requireNonNull(console, "console");
        return () -> console;
    }
}
