package io.jenkins.plugins.mellanoxlustre.agent;

import hudson.AbortException;
import io.github.mellanoxlustre.build.BuildEngine;
import io.github.mellanoxlustre.build.BuildFailedException;
import io.github.mellanoxlustre.build.BuildListener;
import io.github.mellanoxlustre.build.BuildRequest;
import io.github.mellanoxlustre.build.BuildResult;
import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.policy.DistributionPolicy;
import io.github.mellanoxlustre.policy.PolicyException;
import io.github.mellanoxlustre.policy.RpmCheck;
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
     * @param result the engine's result
     * @param report every published and withheld RPM, checked with the build's policy (header-only, cheap)
     */
    record Outcome(BuildResult result, CheckReport report) {
        List<Path> withheld() {
            return result.withheld();
        }

        Path manifest() {
            return result.manifest();
        }
    }

    /**
     * Runs the build on this thread with its console on the build log. An interrupt of this thread
     * (the aborted build's remote call being cancelled) aborts the engine, which kills the running
     * phase's process tree and publishes nothing.
     *
     * @throws AbortException       when a phase failed (its description, command, exit code and log tail)
     *                              or the request cannot run here
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
        }
        console.println("[mellanoxLustreBuild] " + result.summary());
        List<Path> rpms = new ArrayList<>(result.published());
        rpms.addAll(result.withheld());
        CheckReport report;
        try {
            report = RpmCheck.run(rpms, DistributionPolicy.resolve(request.policy()));
        } catch (PolicyException e) {
            throw new AbortException("policy: " + e.getMessage());
        }
        return new Outcome(result, report);
    }
}
