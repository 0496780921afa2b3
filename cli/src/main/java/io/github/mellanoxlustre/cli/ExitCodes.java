package io.github.mellanoxlustre.cli;

import io.github.mellanoxlustre.engine.BuildFailedException;
import io.github.mellanoxlustre.engine.BuildResult;
import io.github.mellanoxlustre.engine.CannotRunHereException;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.SecretMasker;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The exit codes of {@code plan} and {@code build}, and which failure gets which: the one place
 * they are decided (see docs/build.md, "Exit codes").
 *
 * <table>
 * <caption>failure to exit code</caption>
 * <tr><td>{@link IllegalArgumentException} (the request's {@code InvalidRequestException})</td>
 *     <td>{@value #USAGE}: bad usage or an invalid value, one line naming the option</td></tr>
 * <tr><td>{@link CannotRunHereException}</td><td>{@value #CANNOT_RUN_HERE}: the work directory is in
 *     use or not ours, the policy file cannot be read or is invalid</td></tr>
 * <tr><td>{@link BuildFailedException}</td><td>{@value #FAILED}: a phase failed</td></tr>
 * <tr><td>{@link AbortedException}</td><td>{@value #ABORTED}: SIGINT or SIGTERM</td></tr>
 * <tr><td>anything else</td><td>{@value #FAILED}: an internal error, with its trace</td></tr>
 * </table>
 */
final class ExitCodes {
    /** Built and published, nothing forbidden; or the plan printed. */
    static final int PASS = BuildResult.EXIT_PASS;
    /** Built; a forbidden RPM was withheld and the distributable set published. */
    static final int FORBIDDEN = BuildResult.EXIT_FORBIDDEN;
    /** Bad usage or an invalid value; nothing ran. */
    static final int USAGE = 2;
    /** The build failed in a phase (or the CLI failed: an internal error); nothing was published. */
    static final int FAILED = 3;
    /** The request is valid but cannot run here: work directory in use or not ours, policy file unusable. */
    static final int CANNOT_RUN_HERE = 4;
    /** Aborted by SIGINT or SIGTERM; nothing was published. */
    static final int ABORTED = 130;

    private ExitCodes() {
    }

    /** The exit code of a failure. */
    static int of(Throwable failure) {
        if (failure instanceof IllegalArgumentException) {
            return USAGE;
        }
        if (failure instanceof CannotRunHereException) {
            return CANNOT_RUN_HERE;
        }
        if (failure instanceof AbortedException) {
            return ABORTED;
        }
        return FAILED;
    }

    /**
     * Says what went wrong on {@code err} and returns the exit code. A usage error is thrown as picocli's
     * {@link ParameterException} instead, so it reads like every other usage error (with "see --help").
     *
     * @param masker the request's secrets, masked in an internal error's text
     */
    static int report(CommandSpec spec, Exception failure, SecretMasker masker) {
        int code = of(failure);
        if (code == USAGE) {
            throw new ParameterException(spec.commandLine(), BuildOptions.naming(failure.getMessage()), failure);
        }
        PrintWriter err = spec.commandLine().getErr();
        String command = spec.qualifiedName();
        if (failure instanceof BuildFailedException e) {
            err.println(command + ": failed in phase " + e.phaseIndex() + " (" + e.phaseTitle() + "): " + e.getMessage());
        } else if (failure instanceof AbortedException) {
            err.println(command + ": aborted; nothing was published");
        } else if (failure instanceof CannotRunHereException) {
            err.println(command + ": cannot run here: " + BuildOptions.naming(failure.getMessage()) + "; nothing ran");
        } else {
            err.println(command + ": internal error: " + masker.mask(failure.toString()));
            for (StackTraceElement frame : failure.getStackTrace()) {
                err.println("\tat " + frame);
            }
        }
        err.flush();
        return code;
    }
}
