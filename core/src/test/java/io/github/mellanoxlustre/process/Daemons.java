package io.github.mellanoxlustre.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shell snippets for tests of abort and leftovers, which record the pids of the processes they
 * start as the machine sees them (in a PID namespace {@code $$} and {@code $!} are the namespace's
 * pids, which mean other processes outside it).
 */
public final class Daemons {
    private Daemons() {
    }

    /** A file to source ({@code . file}) in a shell: appends that shell's machine pid to {@code pids}. */
    public static String recorder(Path pids) throws IOException {
        Path rec = pids.resolveSibling(pids.getFileName() + ".rec");
        Files.writeString(rec, "read -r recorded_pid _ < /proc/self/stat; echo \"$recorded_pid\" >> '" + pids + "'\n");
        return rec.toString();
    }

    /**
     * A script that daemonises the classic way: {@code sh daemon.sh start} runs {@code setsid} (a
     * new session, so neither the tool's process group nor its session), which forks a grandchild
     * and exits at once, so the grandchild is re-parented; the grandchild records its pid and sleeps.
     */
    public static String daemoniser(Path pids) throws IOException {
        Path script = pids.resolveSibling(pids.getFileName() + ".daemon.sh");
        Files.writeString(script, "case $1 in\n"
                + "start) setsid sh \"$0\" fork </dev/null >/dev/null 2>&1 ;;\n"
                + "fork) sh \"$0\" grandchild & ;;\n"
                + "grandchild) . '" + recorder(pids) + "'; exec sleep 1000 ;;\n"
                + "esac\n");
        return script.toString();
    }
}
