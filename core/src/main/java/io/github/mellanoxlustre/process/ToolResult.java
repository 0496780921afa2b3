package io.github.mellanoxlustre.process;

import java.time.Duration;
import java.util.List;

/**
 * How a tool ended.
 *
 * @param exitCode its exit code (one of the command's accepted codes)
 * @param tail     the last lines of its output
 * @param elapsed  its wall time
 */
public record ToolResult(int exitCode, List<String> tail, Duration elapsed) {
    public ToolResult {
        tail = List.copyOf(tail);
    }
}
