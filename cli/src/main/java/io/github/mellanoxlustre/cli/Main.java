package io.github.mellanoxlustre.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mlnx-lustre}: the command line over core. Each subcommand is a class listed in
 * {@code subcommands} below; adding one (e.g. {@code PlanCommand.class}) is one line there.
 *
 * <p>Exit codes: what the subcommand returns (for {@code check}: 0 pass, 1 forbidden, 2 unreadable
 * files; for {@code plan}, {@code doctor} and {@code build}: {@link ExitCodes}); {@value #EXIT_USAGE} for bad usage
 * or (for {@code check}) an unusable policy, with a one-line reason on standard error.
 */
@Command(name = "mlnx-lustre",
        description = "Build Lustre against Mellanox OFED and keep non-distributable ZFS kernel modules at home.",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        subcommands = {
            CheckCommand.class,
            PlanCommand.class,
            DoctorCommand.class,
            DemoCommand.class,
            BuildCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    /** Exit code for bad usage (unknown option, missing argument, invalid value, unusable policy). */
    public static final int EXIT_USAGE = ExitCodes.USAGE;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand; one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs {@code args} with these streams and returns the exit code (for tests and embedding). A
     * plainly valid {@code check} command line runs without picocli ({@link LeanCheck}), which
     * answers it alike in less start-up time; everything else goes through picocli.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        Optional<Integer> lean = LeanCheck.run(out, err, args);
        if (lean.isPresent()) {
            return lean.get();
        }
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The configured command line: usage errors print one line to {@code err} and exit
     * {@value #EXIT_USAGE}; so does any failure a subcommand throws.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((thrown, args) -> {
            ParameterException ex = preferUnknownOptions(thrown, args);
            CommandLine c = ex.getCommandLine();
            err.println(c.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage()) + didYouMean(ex)
                    + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            err.println(c.getCommandSpec().qualifiedName() + ": " + oneLine(
                    ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return EXIT_USAGE;
        });
        return cl;
    }

    /**
     * picocli reports a missing required option before an unknown one; but {@code build --polcy x}
     * without {@code --output} is a typo first: the unknown options (with their nearest names) are
     * what the user needs to read.
     */
    static ParameterException preferUnknownOptions(ParameterException ex, String[] args) {
        if (!(ex instanceof CommandLine.MissingParameterException)) {
            return ex;
        }
        CommandLine c = ex.getCommandLine();
        List<String> unknown = new java.util.ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-") && a.length() > 1 && !"--".equals(a) && !isOption(c.getCommandSpec(), a)
                    && c.getCommandSpec().subcommands().get(a) == null) {
                unknown.add(a);
            }
        }
        return unknown.isEmpty() ? ex : new CommandLine.UnmatchedArgumentException(c, unknown);
    }

    private static boolean isOption(CommandLine.Model.CommandSpec spec, String arg) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        if (spec.findOption(name) != null) {
            return true;
        }
        // a short option with its value attached, -j4
        return !name.startsWith("--") && name.length() > 2 && spec.findOption(name.substring(0, 2)) != null;
    }

    /** picocli's nearest subcommands or options for a mistyped one ({@code chek}, {@code --polcy}), if any. */
    private static String didYouMean(ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u)) {
            return "";
        }
        List<String> near = u.getSuggestions();
        return near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near.subList(0, Math.min(3, near.size())))
                + "?";
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The version from the jar manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mlnx-lustre " + (v == null ? "(development build)" : v)};
        }
    }
}
