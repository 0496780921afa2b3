package io.jenkins.plugins.mellanoxlustre;

import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.mellanoxlustre.agent.EngineLaunchCallable;
import io.jenkins.plugins.mellanoxlustre.agent.EnginePoll;
import io.jenkins.plugins.mellanoxlustre.agent.EnginePollCallable;
import io.jenkins.plugins.mellanoxlustre.agent.EngineStopCallable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import jenkins.MasterToSlaveFileCallable;

/**
 * The controller's side of a detached engine process on an agent (core's
 * {@code io.github.mellanoxlustre.detach}, docs/durable-builds.md): start it, look at it, stop it,
 * remove its control directory. Everything it needs later is two strings and a number (the agent's
 * workspace, the control directory, the log offset), which the Pipeline step keeps in its persisted
 * state, so a controller that restarted carries on.
 */
final class EngineProcess {
    /** How long one look at the agent may take before the agent is taken for offline (DurableTaskStep's default). */
    static final long REMOTE_TIMEOUT_SECONDS = 20;
    /** The first and shortest interval between two looks; after output, it starts here again. */
    static final long MIN_RECURRENCE_MILLIS = 250;
    /** The longest interval between two looks. */
    static final long MAX_RECURRENCE_MILLIS = 15_000;
    private static final float BACKOFF = 1.2f;

    private EngineProcess() {
    }

    /** The next interval after a look that brought nothing new, as DurableTaskStep backs off. */
    static long backOff(long period) {
        return Math.min(Math.max(MIN_RECURRENCE_MILLIS, (long) (period * BACKOFF)), MAX_RECURRENCE_MILLIS);
    }

    /**
     * Copies the engine's jars the agent lacks and starts the engine process there.
     *
     * @return the control directory on the agent
     */
    static String launch(LustreBuildRunner.Prepared p, FilePath workspace, Map<String, String> env,
                         TaskListener listener) throws IOException, InterruptedException {
        workspace.mkdirs();
        List<String> classpath = EngineJars.install(workspace, listener);
        return workspace.act(new EngineLaunchCallable(p.options(), p.bundleKey(), p.lustreKey(), env, classpath,
                listener));
    }

    /**
     * One look, bounded by {@link #REMOTE_TIMEOUT_SECONDS}: the log's new lines since {@code offset},
     * the status, and the report once the build completed.
     *
     * @throws IOException when the agent does not answer in time or the channel is closed
     */
    static EnginePoll poll(FilePath workspace, String controlDir, long offset) throws IOException, InterruptedException {
        return bounded(control(workspace, controlDir), new EnginePollCallable(workspace.getRemote(), offset),
                REMOTE_TIMEOUT_SECONDS);
    }

    /** Aborts the engine process and kills its whole process tree; returns one line for the log. */
    static String abort(FilePath workspace, String controlDir) throws IOException, InterruptedException {
        return bounded(control(workspace, controlDir), EngineStopCallable.abort(),
                REMOTE_TIMEOUT_SECONDS + 2L * 60);
    }

    /** Removes the control directory of a build that is over, saying so in the log when it cannot. */
    static void cleanUp(FilePath workspace, String controlDir, TaskListener listener) throws InterruptedException {
        try {
            bounded(control(workspace, controlDir), EngineStopCallable.cleanUp(), REMOTE_TIMEOUT_SECONDS);
        } catch (IOException e) {
            listener.getLogger().println("[mellanoxLustreBuild] could not remove the control directory " + controlDir
                    + ": " + e.getMessage());
        }
    }

    /**
     * Writes log bytes (whole lines, as {@link EnginePollCallable} hands them out) to the build log,
     * each line with the request's field names as the form names them
     * ({@code (kernelSource)} becomes {@code (kernelSourceDir)}).
     */
    static void writeLog(byte[] bytes, UnaryOperator<String> naming, PrintStream log) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            String line = end < 0 ? text.substring(start) : text.substring(start, end);
            log.print(naming.apply(line));
            log.print('\n');
            start = end < 0 ? text.length() : end + 1;
        }
        log.flush();
    }

    private static FilePath control(FilePath workspace, String controlDir) {
        return new FilePath(workspace.getChannel(), controlDir);
    }

    private static <T> T bounded(FilePath file, MasterToSlaveFileCallable<T> callable, long seconds)
            throws IOException, InterruptedException {
        Future<T> f = file.actAsync(callable);
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException(c == null ? e : c);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IOException("no answer from the agent within " + seconds + " s", e);
        }
    }
}
