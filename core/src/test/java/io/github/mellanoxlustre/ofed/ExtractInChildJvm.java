package io.github.mellanoxlustre.ofed;

import io.github.mellanoxlustre.standin.ProcessRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one extraction in a fresh JVM, so a test can give it a small heap ({@code -Xmx32m}) or another
 * locale ({@code LC_ALL=C}) and see what really happens: an {@link OutOfMemoryError} ends the child
 * with a stack trace and exit 1, a refusal prints {@code refused: <exception class>: <message>} and
 * exits 3, a success prints {@code extracted <n> entries} and exits 0.
 */
final class ExtractInChildJvm {
    private ExtractInChildJvm() {
    }

    /** The child's entry point: {@code <archive> <target>}. */
    public static void main(String[] args) {
        try {
            ExtractedArchive result = new SafeArchiveExtractor().extract(Path.of(args[0]), Path.of(args[1]));
            System.out.println("extracted " + result.entries() + " entries");
        } catch (IOException e) {
            System.out.println("refused: " + e.getClass().getName() + ": " + e.getMessage());
            System.exit(3);
        }
    }

    /** Runs {@link #main} in a child JVM with {@code jvmOptions} and {@code env} added to this one's. */
    static ProcessRun run(Path dir, List<String> jvmOptions, Map<String, String> env, Path archive, Path target)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(classpath());
        argv.add(ExtractInChildJvm.class.getName());
        argv.add(archive.toString());
        argv.add(target.toString());
        return ProcessRun.exec(dir, env, Duration.ofSeconds(120), argv);
    }

    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }
}
