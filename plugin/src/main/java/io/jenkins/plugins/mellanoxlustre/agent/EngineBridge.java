package io.jenkins.plugins.mellanoxlustre.agent;

import hudson.AbortException;
import io.github.mellanoxlustre.build.BuildEngine;
import io.github.mellanoxlustre.build.BuildFailedException;
import io.github.mellanoxlustre.build.BuildListener;
import io.github.mellanoxlustre.build.BuildRequest;
import io.github.mellanoxlustre.build.BuildResult;
import io.github.mellanoxlustre.build.BuildSettings;
import io.github.mellanoxlustre.build.SudoMode;
import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.ofed.SshAuth;
import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.policy.DistributionPolicy;
import io.github.mellanoxlustre.policy.PolicyException;
import io.github.mellanoxlustre.policy.RpmCheck;
import io.jenkins.plugins.mellanoxlustre.BuildOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
     * The engine's request. A Jenkins build replaces its previous output (the output directory is the
     * job's to reuse) and puts forbidden RPMs in {@code <output>-withheld}. The build's environment
     * (EnvVars) is where the tools' variables come from, but only the engine's allowlist of it (PATH,
     * HOME, the locale, proxies, ...; see docs/build.md) reaches a tool: a credential bound with
     * {@code withCredentials} or a token in the agent's environment never does.
     */
    static BuildRequest request(BundleLocation bundle, Optional<SshAuth> bundleSsh, KernelTarget kernel,
                                RebuildMethod rebuild, LustreSource lustre, LustreOptions lustreOptions, String policy,
                                Path out, Path work, Path cache, Path withheld, BuildOptions options,
                                Map<String, String> environment) {
        BuildSettings settings = BuildSettings.defaults()
                .withCheckDistro(options.isCheckDistro())
                .withWithheldDir(withheld)
                .withReplaceOutput(true)
                .withInherited(environment)
                .withPassEnvironment(options.toolEnvironmentNames())
                .withSudo(SudoMode.parse(options.getSudo()));
        return new BuildRequest(bundle, bundleSsh, kernel, rebuild, lustre, lustreOptions, policy, out, work, cache,
                settings);
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
