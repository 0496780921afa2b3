package io.github.mellanoxlustre.process;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Run by {@link ToolContainmentTest} in a second JVM as another (non-root) user: one tool through a
 * {@link ToolRunner} that daemonises a grandchild ({@code setsid} and a double fork) and prints the
 * uid and gid it runs as. Prints the console, then {@code unavailable: <reason>} or
 * {@code contained}. Arguments: the working directory, and optionally a set-user-ID program to run
 * after that.
 */
public final class ContainmentProbe {
    private ContainmentProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path pids = dir.resolve("pids");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ToolContainment containment = new ToolContainment();
        ToolRunner runner = new ToolRunner("probe", console, dir.resolve("probe.log"),
                Cancellation.forCurrentThread(), new ToolClock(), Map.of(), Duration.ofSeconds(2), containment);
        runner.run(ToolCommand.of(dir, "sh", "-c", "echo \"tool uid $(id -u) gid $(id -g)\"; "
                + "sh " + Daemons.daemoniser(pids)
                + " start; while [ ! -s " + pids + " ]; do sleep 0.05; done; exit 0"));
        if (args.length > 1) {
            runner.run(ToolCommand.of(dir, args[1]));
        }
        System.out.print(bytes.toString(StandardCharsets.UTF_8));
        System.out.println(containment.unavailable().map(r -> "unavailable: " + r).orElse("contained"));
        Files.writeString(dir.resolve("done"), "done\n");
    }
}
