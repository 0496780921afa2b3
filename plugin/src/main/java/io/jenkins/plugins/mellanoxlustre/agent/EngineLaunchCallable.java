package io.jenkins.plugins.mellanoxlustre.agent;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.github.mellanoxlustre.detach.DetachedSpec;
import io.github.mellanoxlustre.detach.EngineLauncher;
import io.github.mellanoxlustre.detach.EngineSecrets;
import io.github.mellanoxlustre.request.BuildSpec;
import io.jenkins.plugins.mellanoxlustre.BuildOptions;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jenkins.MasterToSlaveFileCallable;

/**
 * Starts one Lustre build on the agent that holds the workspace as a detached engine process (core's
 * {@link EngineLauncher}: its own session, its own JVM, a control directory
 * {@code <workspace>@tmp/mellanox-lustre-control-<id>}), and returns the control directory's path; the build
 * then outlives this call, the agent's connection and the controller (see docs/durable-builds.md).
 *
 * <p>The request is core's {@link DetachedSpec} from the options, with what only the agent knows (the
 * workspace the relative paths are in, the output and work directories). Secrets reach the process
 * only through core's 0600 secrets file, which it reads and deletes at once: the build's environment,
 * the keys' passphrases and the SSH private keys themselves; the process writes each key to a 0600
 * file of the control directory and deletes it when the phase that reads it is done. Only the
 * engine's allowlist of the build's environment reaches a tool (see docs/build.md).
 */
public final class EngineLaunchCallable extends MasterToSlaveFileCallable<String> {
    private static final long serialVersionUID = 1L;
    /** The control directories' name prefix, in {@code <workspace>@tmp}. */
    public static final String CONTROL_PREFIX = "mellanox-lustre-control-";

    private final BuildOptions options;
    private final SshKeyMaterial bundleKey;
    private final SshKeyMaterial lustreKey;
    private final Map<String, String> environment;
    private final List<String> classpath;
    private final TaskListener listener;

    /**
     * @param options     the expanded, controller-validated options
     * @param bundleKey   key for an sftp/scp bundle, or null
     * @param lustreKey   key for the Lustre git remote, or null
     * @param environment the build's environment
     * @param classpath   the engine's jars on this agent ({@code EngineJars})
     * @param listener    the build log, for the lines said before the process starts
     */
    public EngineLaunchCallable(BuildOptions options, @CheckForNull SshKeyMaterial bundleKey,
                                @CheckForNull SshKeyMaterial lustreKey, Map<String, String> environment,
                                List<String> classpath, TaskListener listener) {
        this.options = options;
        this.bundleKey = bundleKey;
        this.lustreKey = lustreKey;
        this.environment = new LinkedHashMap<>(environment);
        this.classpath = new ArrayList<>(classpath);
        this.listener = listener;
    }

    @Override
    public String invoke(File f, VirtualChannel channel) throws IOException, InterruptedException {
        Path ws = f.toPath().toAbsolutePath().normalize();
        PrintStream log = listener.getLogger();
        Path out = AgentPaths.inside(ws, options.getOutputDir(), "outputDir");
        Path tmp = AgentPaths.tempDir(ws);
        Path work = options.getWorkDir().isEmpty() ? tmp.resolve("mellanox-lustre-work") : Path.of(options.getWorkDir());
        Files.createDirectories(tmp);
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path control = tmp.resolve(CONTROL_PREFIX + id);
        DetachedSpec spec = options.toDetachedSpec().baseDir(ws).outputDir(out).workDir(work);
        if (!options.getKnownHosts().isEmpty()) {
            spec.knownHosts(writeKnownHosts(knownHostsFile(control), options.getKnownHosts()));
        }
        log.println("[mellanoxLustreBuild] building on " + hostName() + " in " + ws);
        hintAtFormerCache(log);
        EngineSecrets secrets = secrets();
        try {
            EngineLauncher.withJars(classpath.stream().map(Path::of).toList()).launch(control, spec, secrets);
        } catch (IllegalArgumentException e) {
            throw new AbortException("mellanoxLustreBuild: " + e.getMessage());
        } finally {
            secrets.clear();
        }
        log.println("[mellanoxLustreBuild] the engine runs as a process of its own (it survives a restart of "
                + "Jenkins or of this agent's connection); control directory " + control);
        return control.toString();
    }

    /** The known_hosts file of a build: beside its control directory, removed with it. */
    public static Path knownHostsFile(Path control) {
        return control.resolveSibling(control.getFileName() + ".known_hosts");
    }

    /** The environment, the passphrases and the keys, in fresh arrays the launcher's caller clears. */
    private EngineSecrets secrets() {
        EngineSecrets s = EngineSecrets.of(environment);
        if (bundleKey != null) {
            s = s.withBundleKey(bundleKey.privateKey().getPlainText().toCharArray())
                    .withBundleKeyPassphrase(bundleKey.passphraseChars());
        }
        if (lustreKey != null && options.getLustreSourceDir().isEmpty()) {
            s = s.withLustreKey(lustreKey.privateKey().getPlainText().toCharArray())
                    .withLustreKeyPassphrase(lustreKey.passphraseChars());
        }
        return s;
    }

    /** known_hosts holds public host keys only: an ordinary file, removed with the control directory. */
    private static Path writeKnownHosts(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
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
