package io.github.mellanoxlustre.cli;

import io.github.mellanoxlustre.policy.DistributionPolicy;
import io.github.mellanoxlustre.policy.PolicyException;
import io.github.mellanoxlustre.report.ReportFormat;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code mlnx-lustre check} without picocli on the way, for the start-up cost of a process that
 * checks a few files (picocli's classes, Java 5 class files that class-data sharing skips, are a
 * good part of it). Only a command line that is plainly valid takes this path: {@code check}, then
 * {@code --policy}, {@code --format}, {@code -o}/{@code --output} (each at most once, as
 * {@code --opt VALUE} or {@code --opt=VALUE}) and at least one PATH. Anything else (help, version,
 * an unknown or repeated option, a missing or bad value, an {@code @file}, an unusable policy) goes
 * to picocli, which gives the usage error and its exit code, so both paths answer alike.
 */
final class LeanCheck {

    private LeanCheck() {
    }

    /** The exit code of the check these arguments ask for; empty when picocli must handle them. */
    static Optional<Integer> run(PrintWriter out, PrintWriter err, String... args) {
        Optional<CheckCommand> parsed = parse(args);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        CheckCommand check = parsed.get();
        DistributionPolicy policy;
        try {
            policy = DistributionPolicy.resolve(check.policy);
        } catch (PolicyException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(check.run(policy, out, err));
        } catch (Exception e) {
            // What picocli's execution-exception handler (Main) prints and returns.
            err.println(CheckCommand.NAME + ": " + Main.oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
            return Optional.of(Main.EXIT_USAGE);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The command these arguments give, when they are plainly valid; empty otherwise. */
    static Optional<CheckCommand> parse(String... args) {
        if (args.length < 2 || !args[0].equals("check")) {
            return Optional.empty();
        }
        String policy = null;
        String format = null;
        String output = null;
        List<Path> paths = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            boolean attached = !name.equals(a);
            if (attached && name.equals("-o")) {
                return Optional.empty();
            }
            if (!name.equals("--policy") && !name.equals("--format") && !name.equals("-o") && !name.equals("--output")) {
                if (a.isEmpty() || a.startsWith("-") || a.startsWith("@")) {
                    return Optional.empty();
                }
                Optional<Path> p = path(a);
                if (p.isEmpty()) {
                    return Optional.empty();
                }
                paths.add(p.get());
                continue;
            }
            String value;
            if (attached) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return Optional.empty();
            }
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
                return Optional.empty();
            }
            switch (name) {
                case "--policy" -> {
                    if (policy != null) {
                        return Optional.empty();
                    }
                    policy = value;
                }
                case "--format" -> {
                    if (format != null) {
                        return Optional.empty();
                    }
                    format = value;
                }
                default -> {
                    if (output != null) {
                        return Optional.empty();
                    }
                    output = value;
                }
            }
        }
        Optional<ReportFormat> f = format == null ? Optional.of(ReportFormat.TEXT) : ReportFormat.parse(format);
        Optional<Path> o = output == null ? Optional.empty() : path(output);
        if (paths.isEmpty() || f.isEmpty() || (output != null && o.isEmpty())) {
            return Optional.empty();
        }
        CheckCommand c = new CheckCommand();
        c.policy = policy == null ? "distribute" : policy;
        c.format = f.get();
        c.output = o.orElse(null);
        c.paths = paths;
        return Optional.of(c);
    }

    private static Optional<Path> path(String s) {
        try {
            return Optional.of(Path.of(s));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
