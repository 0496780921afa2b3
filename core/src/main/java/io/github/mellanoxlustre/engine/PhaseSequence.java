package io.github.mellanoxlustre.engine;

import io.github.mellanoxlustre.engine.phase.Phase;
import io.github.mellanoxlustre.engine.phase.PhaseContext;
import io.github.mellanoxlustre.engine.phase.PhaseFailedException;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.Cancellation;
import io.github.mellanoxlustre.process.SecretMasker;
import io.github.mellanoxlustre.process.ToolClock;
import io.github.mellanoxlustre.process.ToolContainment;
import io.github.mellanoxlustre.process.ToolFailedException;
import io.github.mellanoxlustre.process.ToolRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the phases of one build in order: prints each phase's banner
 * ({@code ==> [3/9] Rebuild OFED kernel modules (srpm-rebuild)}), gives it a tool runner logging to
 * {@code <work>/logs/NN-<slug>.log}, prints its elapsed time when done, and on failure prints the
 * phase, the command, its exit code and the last 50 lines of its log before throwing
 * {@link BuildFailedException}.
 */
final class PhaseSequence {

    /** A phase's work. */
    @FunctionalInterface
    interface Body<T> {
        T run(PhaseContext ctx) throws ToolFailedException, PhaseFailedException, IOException, AbortedException;
    }

    private final PrintStream console;
    private final BuildListener listener;
    private final Path logDir;
    private final Cancellation cancellation;
    private final ToolClock clock;
    private final Map<String, String> environment;
    private final SecretMasker masker;
    private final int total;
    private final List<PhaseTiming> timings = new ArrayList<>();
    private final ToolContainment containment = new ToolContainment();
    private final boolean quiet;
    private final Duration heartbeat;

    PhaseSequence(PrintStream console, BuildListener listener, Path logDir, Cancellation cancellation,
                  ToolClock clock, Map<String, String> environment, SecretMasker masker, int total) {
        this.masker = masker;
        this.console = console;
        this.listener = listener;
        this.logDir = logDir;
        this.cancellation = cancellation;
        this.clock = clock;
        this.environment = environment;
        this.total = total;
        this.quiet = listener.quiet();
        this.heartbeat = listener.heartbeat();
    }

    List<PhaseTiming> timings() {
        return List.copyOf(timings);
    }

    /** Runs one phase; {@code detail} is shown in parentheses after the title when not empty. */
    <T> T run(Phase phase, String detail, Body<T> body) throws BuildFailedException, AbortedException {
        int index = phase.number();
        String title = phase.title();
        cancellation.check(title);
        String banner = "[" + index + "/" + total + "] " + title;
        console.println("==> " + banner + (detail.isEmpty() ? "" : " (" + detail + ")"));
        listener.phaseStarted(index, total, title, masker.mask(detail));
        Path log = logDir.resolve(String.format(Locale.ROOT, "%02d-%s.log", index, slug(title)));
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new BuildFailedException(index, title, "cannot create the log directory " + logDir + ": "
                    + e.getMessage(), List.of(), null, e);
        }
        ToolRunner tools = new ToolRunner(title, console, log, cancellation, clock, environment,
                ToolRunner.DEFAULT_GRACE, masker, containment).showing(quiet, heartbeat);
        PhaseContext ctx = new PhaseContext(index, total, title, tools, cancellation);
        long start = System.nanoTime();
        Duration toolStart = clock.toolTime();
        try {
            T result = body.run(ctx);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Duration toolTime = clock.toolTime().minus(toolStart);
            timings.add(new PhaseTiming(index, title, elapsed, toolTime));
            // The tools' share, so that the engine's own (the rest) shows phase by phase.
            console.println("<== " + banner + ": done in " + seconds(elapsed) + " (tools " + seconds(toolTime) + ")");
            listener.phaseDone(index, total, title);
            return result;
        } catch (ToolFailedException e) {
            throw failed(index, title, start, new BuildFailedException(index, title, e.getMessage(), List.of(),
                    e.log(), e));
        } catch (PhaseFailedException e) {
            throw failed(index, title, start, new BuildFailedException(index, title, e.getMessage(), e.details(),
                    Files.exists(log) ? log : null, e));
        } catch (java.io.InterruptedIOException | java.nio.channels.ClosedByInterruptException e) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Thread.interrupted();
            console.println("!!! " + banner + " ABORTED after " + seconds(elapsed));
            throw new AbortedException(title, "aborted during " + title + ": " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw failed(index, title, start, new BuildFailedException(index, title, "I/O error: " + msg, List.of(),
                    Files.exists(log) ? log : null, e));
        } catch (AbortedException e) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            console.println("!!! " + banner + " ABORTED after " + seconds(elapsed));
            throw e;
        }
    }

    private BuildFailedException failed(int index, String title, long start, BuildFailedException e) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        console.println("!!! [" + index + "/" + total + "] " + title + " FAILED after " + seconds(elapsed));
        console.print(e.describe());
        console.flush();
        return e;
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static String slug(String title) {
        String s = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        s = s.replaceAll("^-+|-+$", "");
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
