package io.github.mellanoxlustre.engine;

import io.github.mellanoxlustre.files.FileTrees;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark harness (not a test): the engine's own time on the stand-in build, and phase 3 on an
 * OFED cache hit.
 *
 * <pre>
 * mvn -q -pl core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.mellanoxlustre.engine.BuildEngineBenchmark [-Dexec.args="RUNS"]
 * </pre>
 *
 * <p>Makes the stand-ins (kernel tree, MLNX_OFED bundle, lustre-release repository) in a temporary
 * directory, then runs the default build (server, ldiskfs, kmod, srpm-rebuild, policy distribute):
 * once with an empty cache (cold: OFED rebuilt, git mirror cloned; also the JVM's first build),
 * then RUNS times (default 5) with the cache and mirror warm, each into a fresh output directory.
 * For each build it reports the wall time, the time spent inside child processes (the
 * {@link io.github.mellanoxlustre.process.ToolClock}: wall time from starting each tool to its exit,
 * summed), the engine's own time (the difference: hashing, extraction, RPM header reading, policy,
 * reports, publishing, process management), and phase 3's wall time. Targets: engine time under
 * 2 s; phase 3 under 1 s on a cache hit. The build console is discarded.
 */
public final class BuildEngineBenchmark {
    private BuildEngineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path root = Files.createTempDirectory("mlnx-lustre-bench-");
        try {
            long t0 = System.nanoTime();
            EngineFixtures f = EngineFixtures.create(root.resolve("standins"));
            System.out.printf(Locale.ROOT, "stand-ins made in %.1f s (%s)%n", (System.nanoTime() - t0) / 1e9, root);
            BuildEngine engine = new BuildEngine();
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            List<BuildResult> warm = new ArrayList<>();
            System.out.println("build        wall     tools    engine   phase 3  (cache)");
            for (int i = 0; i <= runs; i++) {
                Path dir = Files.createDirectories(root.resolve("run-" + i));
                EngineFixtures.Request req = f.request(dir);
                BuildResult r = engine.run(req.build(), BuildListener.of(quiet));
                print(i == 0 ? "cold" : "warm " + i, r);
                if (i > 0) {
                    warm.add(r);
                }
                FileTrees.delete(dir);
            }
            if (!warm.isEmpty()) {
                System.out.println();
                summary("engine time, warm", warm.stream().map(BuildResult::engineTime).toList(), Duration.ofSeconds(2));
                summary("phase 3 on a cache hit", warm.stream().map(r -> r.phases().get(2).elapsed()).toList(),
                        Duration.ofSeconds(1));
                summary("wall time, warm", warm.stream().map(BuildResult::elapsed).toList(), null);
            }
        } finally {
            FileTrees.deleteQuietly(root);
        }
    }

    private static void print(String label, BuildResult r) {
        System.out.printf(Locale.ROOT, "%-10s %6.2f s %6.2f s %6.2f s %6.3f s  %s%n", label, s(r.elapsed()),
                s(r.toolTime()), s(r.engineTime()), s(r.phases().get(2).elapsed()), r.ofedCacheHit() ? "hit" : "miss");
    }

    private static void summary(String what, List<Duration> values, Duration target) {
        List<Duration> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        Duration median = sorted.get(sorted.size() / 2);
        Duration worst = sorted.get(sorted.size() - 1);
        System.out.printf(Locale.ROOT, "%-24s best %.3f s, median %.3f s, worst %.3f s%s%n", what, s(sorted.get(0)),
                s(median), s(worst), target == null ? "" : String.format(Locale.ROOT, "  (target < %.0f s: %s)",
                        s(target), worst.compareTo(target) < 0 ? "met" : "NOT met"));
    }

    private static double s(Duration d) {
        return d.toNanos() / 1e9;
    }
}
