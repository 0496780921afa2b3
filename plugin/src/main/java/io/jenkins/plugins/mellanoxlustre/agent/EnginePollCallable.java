package io.jenkins.plugins.mellanoxlustre.agent;

import hudson.remoting.VirtualChannel;
import io.github.mellanoxlustre.detach.BuildWatcher;
import io.github.mellanoxlustre.detach.ControlDir;
import io.github.mellanoxlustre.engine.BuildResult;
import io.jenkins.plugins.mellanoxlustre.ArchivedFile;
import io.jenkins.plugins.mellanoxlustre.RpmReport;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jenkins.MasterToSlaveFileCallable;

/**
 * Looks at a detached build through its control directory (the file this callable runs on), on the
 * agent: core's {@link BuildWatcher}, re-attached on every call, so a controller that restarted
 * carries on with the offset it saved. Returns the log's new whole lines since {@code offset} (at
 * most {@value #MAX_LOG_BYTES} bytes a call), the status, and when the build completed the report
 * the controller publishes: the engine's own policy report and the files fit to archive (the
 * published directory without what was withheld, symbolic links neither followed nor listed).
 */
public final class EnginePollCallable extends MasterToSlaveFileCallable<EnginePoll> {
    private static final long serialVersionUID = 1L;
    static final int MAX_LOG_BYTES = 1024 * 1024;

    private final String workspace;
    private final long offset;

    /**
     * @param workspace the build's workspace on the agent (paths in the report are shown relative to it)
     * @param offset    the log offset the controller has written up to
     */
    public EnginePollCallable(String workspace, long offset) {
        this.workspace = workspace;
        this.offset = offset;
    }

    @Override
    public EnginePoll invoke(File control, VirtualChannel channel) throws IOException, InterruptedException {
        BuildWatcher w = BuildWatcher.attach(control.toPath());
        BuildWatcher.Status s = w.status();
        boolean over = s instanceof BuildWatcher.Finished || s instanceof BuildWatcher.Died;
        // the status first: once it says over, the log is complete and read to its end
        BuildWatcher.LogChunk chunk = w.readLog(offset, MAX_LOG_BYTES, over);
        boolean more = over && chunk.next() < control.toPath().resolve(ControlDir.LOG).toFile().length();
        String progress = w.progress().map(p -> p.describe()).orElse("starting");
        if (s instanceof BuildWatcher.Finished f && !more) {
            RpmReport report = f.result().isPresent() ? report(f.result().get()) : null;
            return new EnginePoll(chunk.bytes(), chunk.next(), EnginePoll.State.FINISHED, progress,
                    f.exit().outcome().name(), f.exit().exitCode(), f.exit().message(), report);
        }
        if (s instanceof BuildWatcher.Died d && !more) {
            return new EnginePoll(chunk.bytes(), chunk.next(), EnginePoll.State.DIED, progress, "", -1,
                    "the engine process " + d.process().pid() + " ended without an exit status (killed, out of "
                            + "memory, or the machine rebooted) in " + progress + "; the last lines of its log:\n"
                            + d.logTail(), null);
        }
        return new EnginePoll(chunk.bytes(), chunk.next(), EnginePoll.State.RUNNING, progress, "", -1, "", null);
    }

    /** The report of a completed build, as the build page and the archiving want it. */
    private RpmReport report(BuildResult result) throws IOException {
        Path ws = Path.of(workspace);
        Set<Path> exclude = new HashSet<>();
        for (Path w : result.withheld()) {
            exclude.add(w.toAbsolutePath().normalize());
        }
        List<ArchivedFile> files = AgentPaths.archivable(ws, result.outputDir(), exclude);
        List<String> withheldShown = new ArrayList<>();
        for (Path w : result.withheld()) {
            withheldShown.add(AgentPaths.shown(ws, w));
        }
        List<Path> rpms = new ArrayList<>(result.published());
        rpms.addAll(result.withheld());
        return new RpmReport(result.policy(), result.verdict().name(),
                ReportRecords.packages(result.report(), ws, rpms), files, AgentPaths.shown(ws, result.outputDir()),
                result.manifest() == null ? "" : AgentPaths.shown(ws, result.manifest()), withheldShown);
    }
}
