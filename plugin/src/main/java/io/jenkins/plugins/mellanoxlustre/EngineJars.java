package io.jenkins.plugins.mellanoxlustre;

import hudson.FilePath;
import hudson.model.Computer;
import hudson.model.Node;
import hudson.model.TaskListener;
import hudson.remoting.Which;
import io.github.mellanoxlustre.detach.EngineClasspath;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's jars for a detached engine process on an agent: found on the controller where the
 * plugin's class loaders loaded core and its libraries from ({@link Which#jarFile}: the plugin's
 * {@code WEB-INF/lib}, the library plugins' jars), and copied to the agent into
 * {@code <agent root>/caches/mellanox-lustre-engine/<sha256>.jar}: a jar already there is not copied
 * again (its name is its content's hash), and one being copied is never seen half-written (it is
 * copied under a temporary name and renamed).
 */
final class EngineJars {
    private static final Logger LOGGER = Logger.getLogger(EngineJars.class.getName());
    static final String CACHE = "caches/mellanox-lustre-engine";

    /** A jar on the controller and its name in the agents' caches. */
    record Jar(File file, String cacheName) {
    }

    private static List<Jar> jars;
    private static volatile List<EngineClasspath.Missing> missing = List.of();

    private EngineJars() {
    }

    /**
     * The jars on the controller, looked up once (the plugin's jars do not change while it runs). A
     * library that cannot be found is left out with a warning (in the system log, and in each build's
     * log): the engine needs some only on some paths (sshd for an sftp:// bundle).
     */
    static synchronized List<Jar> onController() throws IOException {
        if (jars == null) {
            EngineClasspath.Located located = EngineClasspath.locate(EngineClasspath.class.getClassLoader(),
                    c -> Which.jarFile(c).toPath());
            missing = located.missing();
            if (!missing.isEmpty()) {
                LOGGER.log(Level.WARNING, "the engine's class path lacks {0}", missing);
            }
            Path scratch = Files.createTempDirectory("mellanox-lustre-engine");
            List<Jar> found = new ArrayList<>();
            for (Path p : EngineClasspath.archive(located.entries(), scratch)) {
                found.add(new Jar(p.toFile(), EngineClasspath.cacheName(p)));
            }
            LOGGER.log(Level.FINE, "engine jars: {0}", found);
            jars = List.copyOf(found);
        }
        return jars;
    }

    /**
     * Copies the jars the agent of {@code workspace} lacks into its cache and returns the agent-side
     * paths of all of them, in class path order.
     */
    static List<String> install(FilePath workspace, TaskListener listener) throws IOException, InterruptedException {
        FilePath cache = cacheDir(workspace);
        cache.mkdirs();
        List<String> paths = new ArrayList<>();
        int copied = 0;
        for (Jar j : onController()) {
            FilePath target = cache.child(j.cacheName());
            if (!target.exists()) {
                FilePath tmp = cache.createTempFile(".copy-", ".tmp");
                try {
                    new FilePath(j.file()).copyTo(tmp);
                    tmp.renameTo(target);
                } finally {
                    if (tmp.exists()) {
                        tmp.delete();
                    }
                }
                copied++;
            }
            paths.add(target.getRemote());
        }
        for (EngineClasspath.Missing m : missing) {
            listener.getLogger().println("[mellanoxLustreBuild] warning: the engine's class path lacks the jar of "
                    + m.className() + ": " + m.reason() + "; the build fails only if the engine needs it");
        }
        if (copied > 0) {
            listener.getLogger().println("[mellanoxLustreBuild] copied " + copied + " of the engine's " + paths.size()
                    + " jars to " + cache.getRemote());
        }
        return paths;
    }

    /** {@code <agent root>/caches/mellanox-lustre-engine}, or beside the workspace when the node has no root. */
    static FilePath cacheDir(FilePath workspace) {
        Computer c = workspace.toComputer();
        Node n = c == null ? null : c.getNode();
        FilePath root = n == null ? null : n.getRootPath();
        if (root == null) {
            return workspace.sibling(workspace.getName() + "@tmp").child("mellanox-lustre-engine");
        }
        return root.child(CACHE);
    }
}
