package io.jenkins.plugins.mellanoxlustre.agent;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.github.mellanoxlustre.request.BuildRequest;
import io.github.mellanoxlustre.request.BuildSpec;
import io.jenkins.plugins.mellanoxlustre.ArchivedFile;
import io.jenkins.plugins.mellanoxlustre.BuildOptions;
import io.jenkins.plugins.mellanoxlustre.RpmReport;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs one Lustre build on the agent that holds the workspace: turns the options into the engine's
 * {@link BuildRequest} through core's {@link BuildSpec} (agent-side paths resolved here, where they
 * mean something), writes SSH key material into a private 0600 file (only when a key is used, and
 * only until the phase that reads it is done: {@link KeyRetirement}), runs the engine with its
 * console on the build log, and returns the check report and the list of files fit to archive.
 *
 * <p>Abort: when the build is aborted Jenkins interrupts the thread waiting in {@code FilePath.act};
 * remoting's {@code Request.call} then sends a {@code Cancel} to the agent, which cancels the
 * executing request's future with interruption. The interrupt reaches the engine's thread here and
 * the engine kills the running phase's process tree (issue 3's contract). On the built-in node the
 * callable runs in the interrupted thread itself.
 */
public final class AgentBuildCallable extends MasterToSlaveFileCallable<RpmReport> {
    private static final long serialVersionUID = 1L;

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
        Path tmp = AgentPaths.tempDir(ws);
        Path work = options.getWorkDir().isEmpty() ? tmp.resolve("mellanox-lustre-work") : Path.of(options.getWorkDir());
        Files.createDirectories(tmp);
        KeyRetirement console = new KeyRetirement(log, options.toSpec()::namedLine);
        Path knownHosts = null;
        // The private directory exists only while a key is used: a build without SSH credentials never
        // needs POSIX permissions.
        try (PrivateDir secrets = usesKeys() ? PrivateDir.create(tmp, "mellanox-lustre-ssh") : null) {
            if (!options.getKnownHosts().isEmpty()) {
                knownHosts = writeKnownHosts(tmp, options.getKnownHosts());
            }
            BuildRequest request = request(ws, out, work, knownHosts, secrets, console);
            log.println("[mellanoxLustreBuild] building on " + hostName() + " in " + ws);
            hintAtFormerCache(log);
            EngineBridge.Outcome outcome;
            try {
                outcome = EngineBridge.build(request, new PrintStream(console, true, StandardCharsets.UTF_8));
            } finally {
                console.finish();
            }
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
                    ReportRecords.packages(outcome.report(), ws, outcome.rpms()), files, AgentPaths.shown(ws, out),
                    outcome.manifest() == null ? "" : AgentPaths.shown(ws, outcome.manifest()), withheldShown);
        } finally {
            if (knownHosts != null) {
                Files.deleteIfExists(knownHosts);
            }
        }
    }

    /** Whether this build writes a key file: the bundle's, or the git remote's when the source comes from git. */
    private boolean usesKeys() {
        return bundleKey != null || usesLustreKey();
    }

    private boolean usesLustreKey() {
        return lustreKey != null && options.getLustreSourceDir().isEmpty();
    }

    /** known_hosts holds public host keys only: an ordinary temporary file, removed after the build. */
    private static Path writeKnownHosts(Path tmp, String content) throws IOException {
        Path file = Files.createTempFile(tmp, "mellanox-lustre-known_hosts", "");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The engine's request: core's {@link io.github.mellanoxlustre.request.BuildSpec} from the options, with
     * what only the agent knows (the workspace the relative paths are in, the output and work
     * directories, the key files written for this build). Forbidden RPMs go to
     * {@code <outputDir>-withheld}, the cache is the agent user's {@code ~/.cache/mlnx-lustre} (the
     * CLI's), both as the engine defaults them. The build's environment (EnvVars) is where the tools'
     * variables come from, but only the engine's allowlist of it (PATH, HOME, the locale, proxies,
     * ...; see docs/build.md) reaches a tool: a credential bound with {@code withCredentials} or a
     * token in the agent's environment never does. Each key file is handed to {@code console} to be
     * deleted when the phase that reads it is done.
     */
    private BuildRequest request(Path ws, Path out, Path work, @CheckForNull Path knownHosts,
                                 @CheckForNull PrivateDir secrets, KeyRetirement console) throws IOException {
        char[][] passphrases = new char[2][];
        try {
            var spec = options.toSpec().baseDir(ws).outputDir(out).workDir(work);
            if (knownHosts != null) {
                spec.knownHosts(knownHosts);
            }
            if (bundleKey != null && secrets != null) {
                passphrases[0] = bundleKey.passphraseChars();
                Path key = secrets.write("bundle-key", bundleKey.privateKey().getPlainText());
                console.deleteAfter(KeyRetirement.FETCH_BUNDLE, "bundleCredentialsId", key);
                spec.bundleKey(key, passphrases[0]);
            }
            if (usesLustreKey() && secrets != null) {
                passphrases[1] = lustreKey.passphraseChars();
                Path key = secrets.write("lustre-key", lustreKey.privateKey().getPlainText());
                console.deleteAfter(KeyRetirement.LUSTRE_SOURCE, "lustreCredentialsId", key);
                spec.lustreKey(key, passphrases[1]);
            }
            return spec.toRequest(environment);
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        } finally {
            for (char[] p : passphrases) {
                if (p != null) {
                    Arrays.fill(p, '\0');
                }
            }
        }
    }

    /** One line when the cache this plugin used before it shared the CLI's is still on this agent. */
    private void hintAtFormerCache(PrintStream log) {
        if (!options.getCacheDir().isEmpty()) {
            return;
        }
        Path former = BuildSpec.formerPluginCacheDir(environment);
        if (Files.isDirectory(former)) {
            log.println("[mellanoxLustreBuild] the OFED cache is now " + BuildSpec.defaultCacheDir(environment)
                    + " (shared with the mlnx-lustre CLI); " + former + " is no longer used: move its ofed/ and "
                    + "lustre-git/ there or delete it (see docs/jenkins.md)");
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this agent";
        }
    }
}
