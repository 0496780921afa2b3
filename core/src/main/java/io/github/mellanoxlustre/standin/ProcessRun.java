package io.github.mellanoxlustre.standin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The outcome of one external command run by the stand-in fixtures or their tests: the exit code
 * and the interleaved standard output and error.
 *
 * <pre>{@code
 * ProcessRun run = ProcessRun.exec(dir, Map.of(), Duration.ofSeconds(60), "sh", "autogen.sh");
 * run.requireSuccess();
 * }</pre>
 *
 * @param command the argv that ran
 * @param exitCode its exit status
 * @param output standard output and standard error, interleaved
 */
public record ProcessRun(List<String> command, int exitCode, String output) {

    public ProcessRun {
        command = List.copyOf(command);
    }

    /**
     * Runs {@code command} (an argv list, no shell) in {@code dir} with {@code extraEnv} added to this
     * JVM's environment, waiting at most {@code timeout}; a command still running then is killed
     * with its descendants and reported as an {@link IOException}.
     */
    public static ProcessRun exec(Path dir, Map<String, String> extraEnv, Duration timeout, String... command)
            throws IOException, InterruptedException {
        return exec(dir, extraEnv, timeout, List.of(command));
    }

    /** As {@link #exec(Path, Map, Duration, String...)} with the argv as a list. */
    public static ProcessRun exec(Path dir, Map<String, String> extraEnv, Duration timeout, List<String> command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("standin-run-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(extraEnv);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                throw new IOException("timed out after " + timeout + ": " + command + "\n"
                        + new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
            }
            return new ProcessRun(command, p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** This run, or an {@link IOException} with the command and its output when it did not exit 0. */
    public ProcessRun requireSuccess() throws IOException {
        if (exitCode != 0) {
            throw new IOException("command failed (exit " + exitCode + "): " + command + "\n" + output);
        }
        return this;
    }
}
