package io.github.mellanoxlustre.process;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Benchmark harness (not a test): what a PID namespace of its own costs each tool.
 *
 * <pre>
 * mvn -q -pl core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.mellanoxlustre.process.ToolContainmentBenchmark [-Dexec.args="RUNS"]
 * </pre>
 *
 * <p>Runs {@code true} RUNS times (default 200) through a {@link ToolRunner}, alternating a runner
 * whose tools run in a namespace and one whose do not (as where namespaces are unavailable), after
 * 20 unmeasured runs of each, and prints the median and mean wall time of one run for each and the
 * difference.
 */
public final class ToolContainmentBenchmark {
    private ToolContainmentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path dir = Files.createTempDirectory("mlnx-lustre-ns-bench-");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ToolContainment namespaces = new ToolContainment();
        ToolRunner contained = runner(dir, quiet, namespaces);
        ToolRunner plain = runner(dir, quiet, new ToolContainment(OptionalLong.empty()));
        ToolCommand tool = ToolCommand.of(dir, "true");
        List<Long> inNs = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        for (int i = 0; i < runs + 20; i++) {
            long a = time(contained, tool);
            long b = time(plain, tool);
            if (i >= 20) {
                inNs.add(a);
                without.add(b);
            }
        }
        if (namespaces.unavailable().isPresent()) {
            System.out.println("namespaces unavailable here: " + namespaces.unavailable().get());
        }
        report("in a PID namespace", inNs);
        report("without one", without);
        System.out.printf(Locale.ROOT, "cost per tool (median): %.2f ms%n", (median(inNs) - median(without)) / 1e6);
        Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    private static ToolRunner runner(Path dir, PrintStream quiet, ToolContainment c) {
        return new ToolRunner("bench", quiet, dir.resolve("bench.log"), Cancellation.forCurrentThread(),
                new ToolClock(), Map.of(), Duration.ofSeconds(2), c);
    }

    private static long time(ToolRunner r, ToolCommand c) throws Exception {
        long t = System.nanoTime();
        r.run(c);
        return System.nanoTime() - t;
    }

    private static void report(String what, List<Long> nanos) {
        double mean = nanos.stream().mapToLong(Long::longValue).average().orElse(0);
        System.out.printf(Locale.ROOT, "%-20s median %.2f ms, mean %.2f ms (%d runs)%n", what, median(nanos) / 1e6,
                mean / 1e6, nanos.size());
    }

    private static double median(List<Long> nanos) {
        List<Long> s = new ArrayList<>(nanos);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
