package io.github.mellanoxlustre.cli;

import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.policy.CheckTally;
import io.github.mellanoxlustre.policy.DistributionPolicy;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.policy.PolicyException;
import io.github.mellanoxlustre.policy.RpmCheck;
import io.github.mellanoxlustre.report.ReportFormat;
import io.github.mellanoxlustre.report.ReportHeader;
import io.github.mellanoxlustre.report.ReportStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code mlnx-lustre check}: checks RPM files against a distribution policy. */
@Command(name = "check", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Check RPMs against a distribution policy: may they leave the site?",
            "PATH is an RPM file or a directory searched recursively for *.rpm (other files there are"
                    + " skipped and counted)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:nothing forbidden and every file read",
            "1:at least one package forbidden",
            "2:nothing forbidden but some file unreadable or missing; or bad usage / unknown policy",
            "3:nothing forbidden, but the checker itself failed (out of memory, a bug); what was read is reported",
            "4:cannot run here: the policy file cannot be read or is invalid; nothing checked"})
final class CheckCommand implements Callable<Integer> {
    /** How errors name the command. */
    static final String NAME = "mlnx-lustre check";

    @Spec
    CommandSpec spec;

    @Option(names = "--policy", paramLabel = "distribute|internal|FILE", defaultValue = "distribute",
            description = "distribute (default: for RPMs that leave the site), internal (warnings only),"
                    + " or a policy file (.yaml, .yml, .json); see docs/policy.md")
    String policy;

    @Option(names = "--format", paramLabel = "text|json|html", defaultValue = "text",
            converter = FormatConverter.class, description = "report format (default: text)")
    ReportFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "write the report to FILE instead of standard output (a summary line goes to standard output)")
    Path output;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "RPM files or directories")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
        DistributionPolicy resolved;
        try {
            resolved = DistributionPolicy.resolve(policy);
        } catch (PolicyException e) {
            if (DistributionPolicy.namesFile(policy)) {
                // the file the user named cannot be read or is invalid: as build and plan, exit 4
                spec.commandLine().getErr().println(NAME + ": cannot run here: " + e.getMessage() + "; nothing checked");
                return ExitCodes.CANNOT_RUN_HERE;
            }
            throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, policy);
        }
        return run(resolved, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Checks with this policy, the report to {@code out} (or {@link #output}); returns the exit code. */
    int run(DistributionPolicy resolved, PrintWriter out, PrintWriter err) throws IOException {
        if (output == null) {
            return check(resolved, out, out, err).exitCode();
        }
        return checkInto(resolved, output, out, err);
    }

    /** The exit code and the counts of what was reported. */
    private record Outcome(int exitCode, CheckTally tally) {
    }

    /**
     * Checks every path and writes the report to {@code report} as the results come (text at once,
     * JSON and HTML from a spool when the last file is read): nothing grows with the number of files
     * but the list of paths. When the checker itself fails outside any one file (out of memory, a
     * bug), the report is still completed with every file read so far, and the exit code is 3.
     */
    private Outcome check(DistributionPolicy policy, Writer report, PrintWriter out, PrintWriter err)
            throws IOException {
        try (ReportStream stream = format.writer().open(ReportHeader.now(policy), report)) {
            try {
                RpmCheck.run(paths, policy, r -> add(stream, r), stream::skipped);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (OutOfMemoryError | RuntimeException | StackOverflowError e) {
                return new Outcome(internalFailure(stream, out, err, e), stream.tally());
            }
            stream.finish();
            return new Outcome(stream.tally().exitCode(), stream.tally());
        }
    }

    private static void add(ReportStream stream, PackageResult r) {
        try {
            stream.add(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Never 1 ("forbidden") nor 2: the check itself failed. What was read is still reported. */
    private static int internalFailure(ReportStream stream, PrintWriter out, PrintWriter err, Throwable e) {
        try {
            stream.finish();
        } catch (IOException | RuntimeException | OutOfMemoryError again) {
            // the first failure is the one to report
        }
        out.flush();
        err.println(NAME + ": internal failure: " + (e instanceof OutOfMemoryError
                ? "out of memory (raise the Java heap, -Xmx)" : e.toString()));
        err.flush();
        return CheckReport.EXIT_INTERNAL;
    }

    /**
     * Writes the report next to the target and moves it into place, so a reader never sees half a
     * report. The report gets the mode a shell's {@code >} would give it: an existing file's own,
     * else 0666 less the umask (a web server may serve it). Errors name the file the user gave, never
     * the temporary one.
     */
    private int checkInto(DistributionPolicy policy, Path file, PrintWriter out, PrintWriter err) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new IOException("cannot write the report to " + file + ": it is a directory; give a file name");
        }
        Path dir = target.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot write the report to " + file + ": cannot create its directory " + dir
                    + " (" + reason(e) + ")", e);
        }
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
        Outcome outcome;
        try {
            Files.createFile(tmp);
            keepModeOf(target, tmp);
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                outcome = check(policy, w, out, err);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new IOException("cannot write the report to " + file + ": " + reason(e), e);
        }
        out.println("Wrote " + format.label() + " report to " + file + ": " + outcome.tally().summary());
        out.flush();
        return outcome.exitCode();
    }

    private static void keepModeOf(Path target, Path tmp) throws IOException {
        if (!Files.isRegularFile(target)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the new file's default mode stands
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // the error being reported matters more
        }
    }

    /** Why, in words, without the path (which may be the temporary file's). */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file that is not a directory is in the way";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** {@code text}, {@code json} or {@code html}, any case. */
    static final class FormatConverter implements ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String value) {
            return ReportFormat.parse(value).orElseThrow(() -> new TypeConversionException(
                    "'" + value + "' is not a report format; expected one of " + ReportFormat.labels()));
        }
    }
}
