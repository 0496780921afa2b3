package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.Cancellation;
import io.github.mellanoxlustre.process.ToolRunner;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What a running phase gets: its tool runner (console + phase log), the console, the abort handle.
 *
 * @param index        1-based phase number
 * @param total        number of phases
 * @param title        the phase title
 * @param tools        runs the phase's tools, logging to {@link #logFile()}
 * @param cancellation the build's abort handle
 */
public record PhaseContext(int index, int total, String title, ToolRunner tools, Cancellation cancellation) {

    /** The console. */
    public PrintStream console() {
        return tools.consoleStream();
    }

    /** The phase log. */
    public Path logFile() {
        return tools.logFile();
    }

    /** Writes an engine message to the console and the phase log. */
    public void log(String message) {
        tools.note(message);
    }

    /** Throws when the build was aborted. */
    public void checkAborted() throws AbortedException {
        cancellation.check(title);
    }
}
