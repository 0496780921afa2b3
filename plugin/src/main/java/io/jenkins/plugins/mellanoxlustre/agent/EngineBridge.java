package io.jenkins.plugins.mellanoxlustre.agent;

import hudson.AbortException;
import io.github.mellanoxlustre.engine.BuildEngine;
import io.github.mellanoxlustre.engine.BuildFailedException;
import io.github.mellanoxlustre.engine.BuildListener;
import io.github.mellanoxlustre.engine.BuildResult;
import io.github.mellanoxlustre.engine.CannotRunHereException;
import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.request.BuildRequest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The one place the plugin calls the build engine (agent side). */
final class EngineBridge {
    private EngineBridge() {
    }

    /**
     * What the plugin needs from a finished build.
     *
     * @param result the engine's result, with the policy report that decided what was published
     */
    record Outcome(BuildResult result) {
        /** The engine's own policy report: what the build page shows is what decided the publishing. */
        CheckReport report() {
            return result.report();
        }

        List<Path> withheld() {
            return result.withheld();
        }

        Path manifest() {
            return result.manifest();
        }

        /** Every RPM the build made, published or withheld: where the report's file names are. */
        List<Path> rpms() {
            List<Path> all = new ArrayList<>(result.published());
            all.addAll(result.withheld());
            return all;
        }
    }

    /**
     * Runs the build on this thread with its console on the build log. An interrupt of this thread
     * (the aborted build's remote call being cancelled) aborts the engine, which kills the running
     * phase's process tree and publishes nothing.
     *
     * @throws AbortException       when a phase failed (its description, command, exit code and log tail),
     *                              the request is refused, or it cannot run here (work directory in use,
     *                              policy file unreadable or invalid)
     * @throws InterruptedException when aborted
     */
    static Outcome build(BuildRequest request, PrintStream console) throws AbortException, InterruptedException {
        BuildResult result;
        try {
            result = new BuildEngine().run(request, BuildListener.of(console));
        } catch (BuildFailedException e) {
            console.println(e.describe());
            throw new AbortException("mellanoxLustreBuild: phase " + e.phaseIndex() + " (" + e.phaseTitle()
                    + ") failed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new AbortException("mellanoxLustreBuild: " + e.getMessage());
        } catch (CannotRunHereException e) {
            throw new AbortException("mellanoxLustreBuild: cannot run on this agent now: " + e.getMessage());
        }
        console.println("[mellanoxLustreBuild] " + result.summary());
        return new Outcome(result);
    }
}
