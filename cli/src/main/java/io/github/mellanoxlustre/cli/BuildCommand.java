package io.github.mellanoxlustre.cli;

import io.github.mellanoxlustre.engine.BuildEngine;
import io.github.mellanoxlustre.engine.BuildFailedException;
import io.github.mellanoxlustre.engine.BuildListener;
import io.github.mellanoxlustre.engine.BuildResult;
import io.github.mellanoxlustre.files.FileTrees;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.Cancellation;
import io.github.mellanoxlustre.process.LineOutputStream;
import io.github.mellanoxlustre.request.BuildRequest;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlnx-lustre build}: runs the build.
 *
 * <p>SIGINT and SIGTERM abort it: a shutdown hook cancels the engine (which kills the running
 * tool's whole process tree and removes the staging output), waits up to
 * {@value #ABORT_WAIT_SECONDS} s for that cleanup, and ends the process with exit code
 * {@value #EXIT_ABORTED}.
 */
@Command(name = "build", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Rebuild MLNX_OFED's kernel modules for the target kernel, build Lustre against them, verify "
                + "the kernel symbols, check every RPM against the distribution policy and publish the distributable "
                + "ones (see docs/build.md)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:built and published; nothing forbidden",
            "1:built; a forbidden RPM was withheld (the distributable set was published)",
            "2:bad usage or an invalid value; nothing ran",
            "3:the build failed; nothing was published",
            "4:cannot run here (work directory in use or not ours, policy file unreadable or invalid); nothing ran",
            "130:aborted (SIGINT, SIGTERM); nothing was published"})
final class BuildCommand implements Callable<Integer> {
    static final int EXIT_FAILED = ExitCodes.FAILED;
    static final int EXIT_ABORTED = ExitCodes.ABORTED;
    static final int ABORT_WAIT_SECONDS = 60;

    @Spec
    CommandSpec spec;

    @Mixin
    BuildOptions options;

    @Option(names = {"-q", "--quiet"}, description = "show only the phase banners, warnings, errors and the summary "
            + "(the phase logs keep every command and output line); a heartbeat line still shows a long tool step is "
            + "alive")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        BuildRequest request = options.toRequest(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // A byte stream onto picocli's writer (the console is a PrintStream, as Jenkins' listener gives).
        PrintStream console = new PrintStream(new LineOutputStream(line -> {
            out.print(BuildOptions.namingLine(line));
            out.flush();
        }, out::flush), true, StandardCharsets.UTF_8);
        Cancellation cancellation = Cancellation.forCurrentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancellation.cancel();
            try {
                finished.await(ABORT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.flush();
            err.flush();
            Runtime.getRuntime().halt(EXIT_ABORTED);
        }, "mlnx-lustre-abort");
        Runtime.getRuntime().addShutdownHook(hook);
        int code;
        try {
            BuildResult result = new BuildEngine().run(request,
                    BuildListener.of(console, quiet, BuildListener.HEARTBEAT), cancellation);
            code = result.exitCode();
            if (options.temporaryWorkDir) {
                FileTrees.deleteQuietly(request.workDir());
            }
        } catch (BuildFailedException | AbortedException | RuntimeException e) {
            console.flush();
            code = ExitCodes.report(spec, e, request.secretMasker());
        } finally {
            console.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook ends the process
            }
        }
        return code;
    }
}
