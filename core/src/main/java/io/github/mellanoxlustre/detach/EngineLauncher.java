package io.github.mellanoxlustre.detach;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Starts the engine as a process of its own, detached from the calling JVM, for one build in a new
 * control directory, and returns a {@link BuildWatcher} on it.
 *
 * <pre>{@code
 * BuildWatcher w = EngineLauncher.withClasspath(System.getProperty("java.class.path"))
 *         .launch(controlDir, spec, EngineSecrets.of(env));
 * }</pre>
 *
 * <p>The process is {@code [setsid] java <jvm options> -cp <classpath> }{@link EngineProcessMain}
 * {@code <control-dir>}, started in the background by a {@code /bin/sh} that exits at once
 * ({@link #SPAWN}), with standard input from {@code /dev/null} and standard output and error
 * appended to {@link ControlDir#LOG}, so it needs nothing of the calling JVM once started, outlives
 * it, and is not among its descendants. {@code setsid} (util-linux) makes it the leader of a session and process group of its
 * own: a signal to the caller's process group (a terminal's Ctrl-C, an agent killed with its group)
 * or the caller's terminal hanging up does not reach it. Without {@code setsid}, {@code nohup}
 * (coreutils) is used, which only makes it ignore the hang-up; without either it is started plainly,
 * in the caller's process group. A service manager that kills the caller's whole cgroup (systemd's
 * default {@code KillMode=control-group}) kills it in every case.
 *
 * <p>Its process environment is the calling process's {@link #PROCESS_ENVIRONMENT} variables only;
 * the build's environment travels in {@link ControlDir#SECRETS}.
 */
public final class EngineLauncher {
    /** The variables of the calling process the engine process itself runs with. */
    public static final Set<String> PROCESS_ENVIRONMENT = Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG",
            "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ");

    private final Path java;
    private final String classpath;
    private final List<String> jvmOptions;

    private EngineLauncher(Path java, String classpath, List<String> jvmOptions) {
        this.java = Objects.requireNonNull(java, "java");
        this.classpath = Objects.requireNonNull(classpath, "classpath");
        this.jvmOptions = List.copyOf(jvmOptions);
        if (classpath.isBlank()) {
            throw new IllegalArgumentException("classpath: empty; expected core's jar and its dependencies, as "
                    + "java -cp takes them");
        }
    }

    /** A launcher running this JVM's {@code java} with {@code classpath} (core and its dependencies). */
    public static EngineLauncher withClasspath(String classpath) {
        return new EngineLauncher(Path.of(System.getProperty("java.home"), "bin", "java"), classpath, List.of());
    }

    /** A launcher running this JVM's {@code java} with these jars ({@link EngineClasspath}). */
    public static EngineLauncher withJars(List<Path> jars) {
        return withClasspath(EngineClasspath.join(jars));
    }

    /** This launcher with another {@code java} executable. */
    public EngineLauncher java(Path executable) {
        return new EngineLauncher(executable, classpath, jvmOptions);
    }

    /** This launcher with JVM options for the engine process (e.g. {@code -Xmx1g}). */
    public EngineLauncher jvmOptions(List<String> options) {
        return new EngineLauncher(java, classpath, options);
    }

    /**
     * Writes the request into a new control directory and starts the engine process.
     *
     * @param controlDir a new or empty directory (created owner-only)
     * @param spec       the build, without secrets
     * @param secrets    the passphrases and the build's environment; written to a 0600 file the
     *                   process deletes as soon as it has read it. The caller clears its passphrases
     *                   afterwards.
     * @throws IOException when the directory cannot be made or the process cannot be started (then
     *                     the secrets file is deleted)
     */
    public BuildWatcher launch(Path controlDir, DetachedSpec spec, EngineSecrets secrets) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(secrets, "secrets");
        ControlDir control = ControlDir.create(controlDir);
        control.writeAtomically(ControlDir.REQUEST, EngineJson.MAPPER.writeValueAsBytes(spec));
        byte[] secretBytes = EngineJson.MAPPER.writeValueAsBytes(secrets);
        try {
            control.writeOwnerOnly(ControlDir.SECRETS, secretBytes);
        } finally {
            Arrays.fill(secretBytes, (byte) 0);
        }
        try {
            start(control);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(control.file(ControlDir.SECRETS));
            throw e;
        }
        return BuildWatcher.attach(control.dir());
    }

    /** The command that starts the engine process for {@code controlDir}. */
    List<String> argv(Detacher detacher, Path controlDir) {
        List<String> argv = new ArrayList<>(detacher.argv());
        argv.add(java.toString());
        argv.addAll(jvmOptions);
        argv.addAll(List.of("-cp", classpath, EngineProcessMain.class.getName(), controlDir.toString()));
        return argv;
    }

    /**
     * The shell that starts the engine in the background and says its pid: a constant script, the
     * log file and the command come as its arguments (never part of the script). Once the shell has
     * exited, the engine's parent is init (or the nearest subreaper), not the calling JVM: whoever
     * kills the caller with its descendants (Jenkins kills an agent JVM's process tree when the agent
     * disconnects) does not reach the engine.
     */
    static final String SPAWN = "log=$1; shift; \"$@\" </dev/null >>\"$log\" 2>&1 & echo $!";

    private void start(ControlDir control) throws IOException {
        Detacher detacher = detacher();
        Path log = control.file(ControlDir.LOG);
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SPAWN, "mlnx-lustre-spawn", log.toString()));
        argv.addAll(argv(detacher, control.dir()));
        Files.writeString(log, "mlnx-lustre: starting the engine process " + detacher.description() + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().retainAll(PROCESS_ENVIRONMENT);
        Process spawn = pb.start();
        String said;
        try (var out = spawn.getInputStream()) {
            said = new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        long pid;
        try {
            spawn.waitFor();
            pid = Long.parseLong(said);
        } catch (NumberFormatException e) {
            throw new IOException("cannot start the engine process: /bin/sh said '" + said + "', expected its pid", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the engine process", e);
        }
        ProcessIdentity id = ProcessIdentity.of(pid).orElseGet(() -> new ProcessIdentity(pid, -1, "", null));
        control.writeAtomically(ControlDir.PID, EngineJson.MAPPER.writeValueAsBytes(id));
    }

    /** How the process is detached: {@code setsid}, else {@code nohup}, else not at all. */
    record Detacher(List<String> argv, String description) {
    }

    static Detacher detacher() {
        Optional<Path> setsid = program("setsid");
        if (setsid.isPresent()) {
            return new Detacher(List.of(setsid.get().toString()), "in a session of its own (setsid)");
        }
        Optional<Path> nohup = program("nohup");
        if (nohup.isPresent()) {
            return new Detacher(List.of(nohup.get().toString()), "ignoring hang-ups (nohup; no setsid here), in "
                    + "the caller's process group");
        }
        return new Detacher(List.of(), "in the caller's process group (neither setsid nor nohup here)");
    }

    private static Optional<Path> program(String name) {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
