package io.github.mellanoxlustre.cli;

import io.github.mellanoxlustre.engine.BuildEngine;
import io.github.mellanoxlustre.engine.BuildFailedException;
import io.github.mellanoxlustre.engine.BuildListener;
import io.github.mellanoxlustre.engine.preflight.PreflightReport;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.Cancellation;
import io.github.mellanoxlustre.process.LineOutputStream;
import io.github.mellanoxlustre.request.BuildRequest;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mlnx-lustre doctor}: with the options of {@code build}, only the checks a build makes
 * before its long phases ({@link BuildEngine#doctor}), every problem at once.
 */
@Command(name = "doctor", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Check, with the options 'build' takes, everything a build checks before its long phases "
                + "(policy, output and work directories, kernel tree, tools, free space, distribution, input files, "
                + "the Lustre ref) and report every problem at once. Builds nothing, writes nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:a build could start: every check passed",
            "2:bad usage or an invalid value",
            "3:the checks themselves could not run (an I/O error)",
            "4:a build could not start here: the problems are listed",
            "130:aborted (SIGINT, SIGTERM)"})
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BuildOptions options;

    /** A problem line ({@code   - outputDir: ...}) with the option's name ({@code   - --output: ...}). */
    static String named(String line) {
        return BuildOptions.namingLine(line);
    }

    @Override
    public Integer call() {
        BuildRequest request = options.toRequest(spec);
        PrintWriter out = spec.commandLine().getOut();
        // Each line names the options the user typed (--output, --lustre-ref), not the request's fields.
        PrintStream console = new PrintStream(new LineOutputStream(line -> {
            out.print(named(line));
            out.flush();
        }, out::flush), true, StandardCharsets.UTF_8);
        try {
            PreflightReport report = new BuildEngine().doctor(request, BuildListener.of(console),
                    Cancellation.forCurrentThread());
            return report.ok() ? ExitCodes.PASS : ExitCodes.CANNOT_RUN_HERE;
        } catch (BuildFailedException | AbortedException | RuntimeException e) {
            console.flush();
            return ExitCodes.report(spec, e, request.secretMasker());
        } finally {
            console.flush();
        }
    }
}
