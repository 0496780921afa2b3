package io.jenkins.plugins.mellanoxlustre.agent;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.github.mellanoxlustre.build.BuildRequest;
import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.ofed.SshAuth;
import io.jenkins.plugins.mellanoxlustre.ArchivedFile;
import io.jenkins.plugins.mellanoxlustre.BuildOptions;
import io.jenkins.plugins.mellanoxlustre.RpmReport;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs one Lustre build on the agent that holds the workspace: turns the options into the engine's
 * {@link BuildRequest} (agent-side paths resolved here, where they mean something), writes SSH key
 * material into a private 0600 file for the duration of the build, runs the engine with its console
 * on the build log, and returns the check report and the list of files fit to archive.
 *
 * <p>Abort: when the build is aborted Jenkins interrupts the thread waiting in {@code FilePath.act};
 * remoting's {@code Request.call} then sends a {@code Cancel} to the agent, which cancels the
 * executing request's future with interruption. The interrupt reaches the engine's thread here and
 * the engine kills the running phase's process tree (issue 3's contract). On the built-in node the
 * callable runs in the interrupted thread itself.
 */
public final class AgentBuildCallable extends MasterToSlaveFileCallable<RpmReport> {
    private static final long serialVersionUID = 1L;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final BuildOptions options;
    private final SshKeyMaterial bundleKey;
    private final SshKeyMaterial lustreKey;
    private final Map<String, String> environment;
    private final TaskListener listener;

    /**
     * @param options     the expanded, controller-validated options
     * @param bundleKey   key for an sftp/scp bundle, or null
     * @param lustreKey   key for the Lustre git remote, or null
     * @param environment the build's environment (the engine's tools get its allowlisted variables only)
     * @param listener    the build log; remotable, the engine's console streams into it
     */
    public AgentBuildCallable(BuildOptions options, @CheckForNull SshKeyMaterial bundleKey,
                              @CheckForNull SshKeyMaterial lustreKey, Map<String, String> environment,
                              TaskListener listener) {
        this.options = options;
        this.bundleKey = bundleKey;
        this.lustreKey = lustreKey;
        this.environment = new LinkedHashMap<>(environment);
        this.listener = listener;
    }

    @Override
    public RpmReport invoke(File f, VirtualChannel channel) throws IOException, InterruptedException {
        Path ws = f.toPath().toAbsolutePath().normalize();
        PrintStream log = listener.getLogger();
        Path out = AgentPaths.inside(ws, options.getOutputDir(), "outputDir");
        Path withheld = out.resolveSibling(out.getFileName() + "-withheld");
        Path tmp = AgentPaths.tempDir(ws);
        Path work = options.getWorkDir().isEmpty() ? tmp.resolve("mellanox-lustre-work")
                : ws.resolve(options.getWorkDir()).normalize();
        Path cache = options.getCacheDir().isEmpty() ? defaultCacheDir() : ws.resolve(options.getCacheDir()).normalize();
        Files.createDirectories(tmp);
        try (PrivateDir secrets = PrivateDir.create(tmp, "mellanox-lustre-ssh")) {
            BuildRequest request;
            char[][] passphrases = new char[2][];
            try {
                Path knownHosts = knownHosts(ws, secrets);
                Optional<SshAuth> bundleSsh = Optional.empty();
                if (bundleKey != null) {
                    passphrases[0] = bundleKey.passphraseChars();
                    bundleSsh = Optional.of(new SshAuth(secrets.write("bundle-key",
                            bundleKey.privateKey().getPlainText()), passphrases[0], knownHosts));
                }
                Optional<SshAuth> lustreSsh = Optional.empty();
                if (lustreKey != null) {
                    passphrases[1] = lustreKey.passphraseChars();
                    lustreSsh = Optional.of(new SshAuth(secrets.write("lustre-key",
                            lustreKey.privateKey().getPlainText()), passphrases[1], knownHosts));
                }
                request = request(ws, out, withheld, work, cache, bundleSsh, lustreSsh);
            } catch (IllegalArgumentException e) {
                throw new AbortException(e.getMessage());
            } finally {
                for (char[] p : passphrases) {
                    if (p != null) {
                        Arrays.fill(p, '\0');
                    }
                }
            }
            log.println("[mellanoxLustreBuild] building on " + hostName() + " in " + ws);
            EngineBridge.Outcome outcome = EngineBridge.build(request, log);
            Set<Path> exclude = new HashSet<>();
            for (Path w : outcome.withheld()) {
                exclude.add(w.toAbsolutePath().normalize());
            }
            List<ArchivedFile> files = AgentPaths.archivable(ws, out, exclude);
            List<String> withheldShown = new ArrayList<>();
            for (Path w : outcome.withheld()) {
                withheldShown.add(AgentPaths.shown(ws, w));
            }
            return new RpmReport(outcome.result().policy(), outcome.result().verdict().name(),
                    ReportRecords.packages(outcome.report(), ws), files, AgentPaths.shown(ws, out),
                    outcome.manifest() == null ? "" : AgentPaths.shown(ws, outcome.manifest()), withheldShown);
        }
    }

    /** The engine's request, every value checked by the engine's own constructors. */
    private BuildRequest request(Path ws, Path out, Path withheld, Path work, Path cache, Optional<SshAuth> bundleSsh,
                                 Optional<SshAuth> lustreSsh) {
        BundleLocation bundle = BundleLocation.parse(localPath(ws, options.getBundle()), options.getBundleSha256());
        KernelTarget kernel = new KernelTarget(
                options.getKernelRelease().isEmpty() ? Optional.empty() : Optional.of(options.getKernelRelease()),
                options.getKernelSourceDir().isEmpty() ? Optional.empty()
                        : Optional.of(ws.resolve(options.getKernelSourceDir()).normalize()));
        LustreSource lustre = options.getLustreSourceDir().isEmpty()
                ? new LustreSource.Git(options.getLustreRepository(), options.getLustreRef(), lustreSsh)
                : new LustreSource.Local(ws.resolve(options.getLustreSourceDir()).normalize());
        int jobs = options.getMakeJobs() == 0 ? Runtime.getRuntime().availableProcessors() : options.getMakeJobs();
        LustreOptions lustreOptions = new LustreOptions(!options.isClientOnly(), options.backendSet(),
                optionalPath(ws, options.getZfsSource()), optionalPath(ws, options.getZfsObj()),
                options.packagingSet(), jobs);
        String policy = AgentCheckCallable.resolvePolicy(ws, options.getPolicy());
        return EngineBridge.request(bundle, bundleSsh, kernel, RebuildMethod.parse(options.getOfedRebuild()), lustre,
                lustreOptions, policy, out, work, cache, withheld, options, buildEnvironment());
    }

    /** A local bundle path relative to the workspace is resolved against it; URLs are left as they are. */
    private static String localPath(Path ws, String location) {
        if (location.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            return location;
        }
        return ws.resolve(location).normalize().toString();
    }

    private static Optional<Path> optionalPath(Path ws, String value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(ws.resolve(value).normalize());
    }

    /** known_hosts: pasted content (written beside the keys), an agent path, or the agent user's own. */
    private Path knownHosts(Path ws, PrivateDir secrets) throws IOException {
        if (!options.getKnownHosts().isEmpty()) {
            return secrets.write("known_hosts", options.getKnownHosts());
        }
        if (!options.getKnownHostsFile().isEmpty()) {
            return ws.resolve(options.getKnownHostsFile()).normalize();
        }
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /** The machine-wide cache of rebuilt OFED modules and Lustre mirrors, shared by builds on this agent. */
    static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("mellanox-lustre");
    }

    /** The build's variables that are valid environment names; the engine passes only its allowlist to tools. */
    private Map<String, String> buildEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        environment.forEach((k, v) -> {
            if (k != null && v != null && ENV_NAME.matcher(k).matches() && v.indexOf('\0') < 0) {
                env.put(k, v);
            }
        });
        return env;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this agent";
        }
    }
}
