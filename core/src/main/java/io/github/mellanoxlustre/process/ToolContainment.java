package io.github.mellanoxlustre.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Where a build's tools run so that abort, and the end of each tool, kill everything they started:
 * one {@link PidNamespace} per tool (or pipeline). One instance per build: it finds out once
 * whether namespaces work here, and when they do not, warns once and lets tools run as before
 * (their own session, killed by process group, session and descendants; see {@link ProcessTree}).
 *
 * <ul>
 *   <li>As root: {@code unshare --pid --fork --kill-child}, tools entered with
 *       {@code nsenter --pid}.</li>
 *   <li>As any other user: the PID namespace needs a user namespace of its own. It maps the user to
 *       itself ({@code unshare --user --map-current-user}, util-linux 2.35 or later, and user
 *       namespaces allowed to unprivileged users), so tools see the same uid and gid, files keep
 *       their owners, and nothing runs as a fake root. A set-user-ID program ({@code sudo}) gets
 *       no privileges in a user namespace, so such a program runs without one (and is said so).</li>
 *   <li>Otherwise (no {@code unshare}/{@code nsenter} on the build's PATH, an older util-linux,
 *       user namespaces disabled, a container that forbids them): the warning names the reason.</li>
 * </ul>
 */
public final class ToolContainment {
    private static final long READY_TIMEOUT_MILLIS = 10_000;
    private static final Path SH = Path.of("/bin/sh");

    private final OptionalLong euid;
    private String unavailable;
    private boolean warned;
    private boolean entered;

    /** Containment for one build, for the user this JVM runs as. */
    public ToolContainment() {
        this(effectiveUid());
    }

    ToolContainment(OptionalLong euid) {
        this.euid = euid;
    }

    /** Why tools run without a PID namespace in this build, once that is known. */
    public synchronized Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    /**
     * A namespace for a tool whose program is {@code program} (resolved), or empty when it runs
     * without one; {@code say} gets the build's single warning, or a note for a set-user-ID program.
     */
    synchronized Optional<PidNamespace> open(Path program, Map<String, String> env, Consumer<String> say)
            throws InterruptedException {
        if (unavailable == null) {
            unavailable = missingPrerequisite(env).orElse(null);
        }
        if (unavailable != null) {
            warnOnce(say);
            return Optional.empty();
        }
        boolean userNs = euid.getAsLong() != 0;
        if (userNs && isSetId(program)) {
            say.accept("note: " + program.getFileName() + " is set-user-ID or set-group-ID, which has no effect in"
                    + " a user namespace: it runs without a PID namespace, so a process it detaches from its"
                    + " session can outlive it");
            return Optional.empty();
        }
        String path = env.get("PATH");
        Path unshare = ProgramPath.find("unshare", path).orElseThrow();
        Path nsenter = ProgramPath.find("nsenter", path).orElseThrow();
        PidNamespace ns;
        try {
            ns = PidNamespace.start(startArgv(unshare, userNs), enterArgv(nsenter, userNs), holderEnvironment(path),
                    READY_TIMEOUT_MILLIS);
        } catch (IOException e) {
            unavailable = "unshare " + String.join(" ", unshareFlags(userNs)) + " failed: " + e.getMessage();
            warnOnce(say);
            return Optional.empty();
        }
        if (!entered) {
            try {
                ns.checkEnter(holderEnvironment(path), READY_TIMEOUT_MILLIS);
                entered = true;
            } catch (IOException | InterruptedException e) {
                ns.close();
                if (e instanceof InterruptedException) {
                    throw (InterruptedException) e;
                }
                unavailable = e.getMessage();
                warnOnce(say);
                return Optional.empty();
            }
        }
        return Optional.of(ns);
    }

    private Optional<String> missingPrerequisite(Map<String, String> env) {
        if (euid.isEmpty()) {
            return Optional.of("the effective user id could not be read from /proc/self/status");
        }
        for (String tool : List.of("unshare", "nsenter")) {
            if (ProgramPath.find(tool, env.get("PATH")).isEmpty()) {
                return Optional.of(tool + " (util-linux) is not on the PATH");
            }
        }
        if (!Files.isExecutable(SH)) {
            return Optional.of(SH + " is missing");
        }
        return Optional.empty();
    }

    private void warnOnce(Consumer<String> say) {
        if (!warned) {
            warned = true;
            say.accept("warning: tools run without a PID namespace in this build: " + unavailable
                    + ". A process a tool detaches from its session (setsid and a double fork) can outlive an"
                    + " abort or the end of the tool (see \"Abort\" in docs/build.md)");
        }
    }

    private static List<String> startArgv(Path unshare, boolean userNs) {
        List<String> a = new ArrayList<>();
        setsid().ifPresent(s -> a.add(s.toString()));
        a.add(unshare.toString());
        a.addAll(unshareFlags(userNs));
        a.addAll(List.of("--", SH.toString(), "-c", PidNamespace.HOLDER));
        return a;
    }

    private static List<String> unshareFlags(boolean userNs) {
        List<String> a = new ArrayList<>();
        if (userNs) {
            a.add("--user");
            a.add("--map-current-user");
        }
        a.addAll(List.of("--pid", "--fork", "--kill-child"));
        return a;
    }

    private static List<String> enterArgv(Path nsenter, boolean userNs) {
        List<String> a = new ArrayList<>(List.of(nsenter.toString(), "--pid"));
        if (userNs) {
            a.add("--user");
            a.add("--preserve-credentials");
        }
        return a;
    }

    /** The holder needs nothing of the build's environment (it must not see its secrets). */
    private static Map<String, String> holderEnvironment(String path) {
        return Map.of("PATH", path == null ? "/usr/bin:/bin" : path, "LC_ALL", "C");
    }

    private static Optional<Path> setsid() {
        for (String p : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(p))) {
                return Optional.of(Path.of(p));
            }
        }
        return Optional.empty();
    }

    private static boolean isSetId(Path program) {
        try {
            int mode = (Integer) Files.getAttribute(program, "unix:mode");
            return (mode & 06000) != 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }

    /** The second field of the {@code Uid:} line of /proc/self/status (Linux). */
    static OptionalLong effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return f.length > 1 ? OptionalLong.of(Long.parseLong(f[1])) : OptionalLong.empty();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted
        }
        return OptionalLong.empty();
    }
}
