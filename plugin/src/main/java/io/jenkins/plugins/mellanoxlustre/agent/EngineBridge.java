package io.jenkins.plugins.mellanoxlustre.agent;

import hudson.AbortException;
import io.github.mellanoxlustre.build.BuildRequest;
import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.ofed.SshAuth;
import io.github.mellanoxlustre.policy.CheckReport;
import io.jenkins.plugins.mellanoxlustre.BuildOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one place the plugin calls the build engine (agent side). */
final class EngineBridge {
    private EngineBridge() {
    }

    /** What the plugin needs from a finished build. */
    record Outcome(CheckReport report, List<Path> withheld, Path manifest) {
    }

    static BuildRequest request(BundleLocation bundle, Optional<SshAuth> bundleSsh, KernelTarget kernel,
                                RebuildMethod rebuild, LustreSource lustre, LustreOptions lustreOptions, String policy,
                                Path out, Path work, Path cache, Path withheld, BuildOptions options,
                                Map<String, String> environment) {
        return new BuildRequest(bundle, bundleSsh, kernel, rebuild, lustre, lustreOptions, policy, out, work, cache);
    }

    // TODO(engine branch): replace with BuildEngine#run once it lands on this branch.
    static Outcome build(BuildRequest request, PrintStream console) throws AbortException {
        throw new AbortException("the build engine is not part of this plugin build yet");
    }
}
