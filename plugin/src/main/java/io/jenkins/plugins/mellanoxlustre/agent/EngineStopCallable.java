package io.jenkins.plugins.mellanoxlustre.agent;

import hudson.remoting.VirtualChannel;
import io.github.mellanoxlustre.detach.BuildWatcher;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import jenkins.MasterToSlaveFileCallable;

/**
 * Ends a detached build through its control directory (the file this callable runs on), on the
 * agent. {@link #abort()}: core's {@link BuildWatcher#abort}: SIGTERM to the engine, which kills the
 * running tool's process tree and publishes nothing; what is left of the whole tree after
 * {@value #GRACE_SECONDS} s is killed. {@link #cleanUp()}: removes the control directory and its
 * known_hosts file once the controller has read everything (only when the build is over).
 */
public final class EngineStopCallable extends MasterToSlaveFileCallable<String> {
    private static final long serialVersionUID = 1L;
    static final int GRACE_SECONDS = 30;

    private final boolean abort;

    private EngineStopCallable(boolean abort) {
        this.abort = abort;
    }

    public static EngineStopCallable abort() {
        return new EngineStopCallable(true);
    }

    public static EngineStopCallable cleanUp() {
        return new EngineStopCallable(false);
    }

    /** What happened, one line for the build log. */
    @Override
    public String invoke(File control, VirtualChannel channel) throws IOException, InterruptedException {
        Path dir = control.toPath();
        if (!Files.isDirectory(dir)) {
            return "the control directory " + dir + " is gone";
        }
        BuildWatcher w = BuildWatcher.attach(dir);
        if (abort) {
            BuildWatcher.Status s = w.abort(Duration.ofSeconds(GRACE_SECONDS));
            return s instanceof BuildWatcher.Finished f ? "the engine process ended: " + f.exit().message()
                    : "the engine process is gone";
        }
        BuildWatcher.Status s = w.status();
        if (!(s instanceof BuildWatcher.Finished) && !(s instanceof BuildWatcher.Died)) {
            return "the engine process still runs; its control directory " + dir + " is kept";
        }
        Files.deleteIfExists(EngineLaunchCallable.knownHostsFile(dir));
        List<Path> all;
        try (Stream<Path> files = Files.walk(dir)) {
            all = files.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
        return "removed " + dir;
    }
}
