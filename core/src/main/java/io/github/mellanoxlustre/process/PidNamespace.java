package io.github.mellanoxlustre.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A PID namespace that one tool (or one pipeline) runs in, so that nothing it starts can escape:
 * a process that leaves the tool's session ({@code setsid}) and is re-parented by a double fork is
 * re-parented to the namespace's init, not to the machine's, and stays a descendant of it.
 *
 * <p>The namespace is held by a small init started first:
 * <pre>
 * setsid unshare --pid --fork --kill-child [--user --map-current-user] -- /bin/sh -c HOLDER
 * </pre>
 * The holder ({@code sh}, pid 1 in the namespace) starts {@code cat} on the engine's pipe, prints
 * {@code ready} and waits, reaping every orphan that is re-parented to it. The tool is then started
 * by {@code nsenter --target <holder> --pid [--user --preserve-credentials] -- <argv>}: nsenter
 * forks, the child enters the namespace and execs the tool with nsenter's own environment, working
 * directory and standard input, and nsenter exits with the tool's exit status (or dies of its
 * signal), so the engine sees exactly what it saw before. The tool is never pid 1: it gets SIGTERM
 * like any process.
 *
 * <p>Closing the namespace closes the holder's standard input ({@code cat} ends, the holder exits)
 * and, if that does not end it at once, SIGKILLs {@code unshare} ({@code --kill-child} then kills
 * the holder). When the init of a PID namespace dies the kernel SIGKILLs everything in it. The
 * holder also ends when the JVM dies (its pipe closes), so a crashed engine leaves nothing behind.
 */
final class PidNamespace implements AutoCloseable {
    /** The holder: cat on the engine's pipe (fd 3 saved because an async list's stdin is /dev/null). */
    static final String HOLDER = "exec 3<&0; cat <&3 >/dev/null 3<&- & exec 3<&-; echo ready; wait; exit 0";
    private static final String READY = "ready";

    private final Process unshare;
    private final ProcessHandle init;
    private final Set<Long> holderOwn;
    private final List<String> enter;

    private PidNamespace(Process unshare, ProcessHandle init, Set<Long> holderOwn, List<String> enter) {
        this.unshare = unshare;
        this.init = init;
        this.holderOwn = holderOwn;
        this.enter = enter;
    }

    /**
     * Starts a holder with {@code startArgv} (the unshare command line) and waits up to
     * {@code timeoutMillis} for it to be ready.
     *
     * @param startArgv  setsid/unshare argv ending in the holder's {@code /bin/sh -c HOLDER}
     * @param enterArgv  the nsenter argv without {@code --target} and the tool
     * @throws IOException          with unshare's own message when the namespace could not be made
     * @throws InterruptedException when the calling thread was interrupted meanwhile (nothing left)
     */
    static PidNamespace start(List<String> startArgv, List<String> enterArgv, java.util.Map<String, String> env,
                              long timeoutMillis) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(startArgv).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            awaitReady(p, timeoutMillis);
            ProcessHandle init = initOf(p.toHandle());
            Set<Long> own = init.children().map(ProcessHandle::pid).collect(Collectors.toUnmodifiableSet());
            List<String> enter = new ArrayList<>(enterArgv);
            enter.add(1, "--target=" + init.pid());
            return new PidNamespace(p, init, own, List.copyOf(enter));
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(p);
            throw e;
        }
    }

    private static void awaitReady(Process p, long timeoutMillis) throws IOException, InterruptedException {
        CompletableFuture<String> first = new CompletableFuture<>();
        Thread reader = new Thread(() -> first.complete(firstLines(p)), "pid-namespace-holder");
        reader.setDaemon(true);
        reader.start();
        String said;
        try {
            said = first.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("unshare did not start its namespace within " + timeoutMillis / 1000 + " s");
        } catch (ExecutionException e) {
            throw new IOException(String.valueOf(e.getCause()));
        }
        if (!READY.equals(said)) {
            throw new IOException(said.isBlank() ? "unshare ended without a message" : said);
        }
    }

    /** {@code ready}, or what unshare printed before it ended (its error), one line. */
    private static String firstLines(Process p) {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> said = new ArrayList<>();
        try {
            String line;
            while ((line = r.readLine()) != null) {
                if (READY.equals(line)) {
                    return READY;
                }
                if (said.size() < 5) {
                    said.add(line.strip());
                }
            }
        } catch (IOException e) {
            said.add(e.getMessage());
        }
        return String.join("; ", said);
    }

    /** The holder: the only child of unshare (setsid does not fork: a Java child leads no group). */
    private static ProcessHandle initOf(ProcessHandle unshare) throws IOException {
        List<ProcessHandle> children = unshare.children().toList();
        if (children.size() != 1) {
            throw new IOException("unshare has " + children.size() + " children, expected its namespace's init");
        }
        return children.get(0);
    }

    /**
     * Enters the namespace once with {@code nsenter} running {@code /bin/sh -c 'exit 0'}: a system
     * may allow making a namespace but not entering it.
     *
     * @throws IOException with nsenter's own message when it fails
     */
    void checkEnter(java.util.Map<String, String> env, long timeoutMillis) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(enter(List.of("/bin/sh", "-c", "exit 0"))).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> said = new CompletableFuture<>();
        Thread reader = new Thread(() -> said.complete(firstLines(p)), "pid-namespace-enter");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new IOException("nsenter did not enter the namespace within " + timeoutMillis / 1000 + " s");
            }
            if (p.exitValue() != 0) {
                String msg = said.get(timeoutMillis, TimeUnit.MILLISECONDS);
                String flags = enter.stream().skip(1).filter(a -> !a.startsWith("--target="))
                        .collect(Collectors.joining(" "));
                throw new IOException("nsenter " + flags + " failed (exit code " + p.exitValue() + ")"
                        + (msg.isBlank() ? "" : ": " + msg));
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("nsenter failed (exit code " + p.exitValue() + ")");
        } finally {
            p.destroyForcibly();
        }
    }

    /** {@code nsenter --target=<init> ... -- argv}. */
    List<String> enter(List<String> argv) {
        List<String> a = new ArrayList<>(enter);
        a.add("--");
        a.addAll(argv);
        return a;
    }

    /** The namespace's init (the holder), pid as the machine sees it. */
    ProcessHandle init() {
        return init;
    }

    /**
     * Every process in the namespace but the holder's own (the init and its {@code cat}): the
     * tools and whatever they left behind, re-parented to the init.
     */
    Stream<ProcessHandle> members() {
        return init.children().filter(h -> !holderOwn.contains(h.pid()))
                .flatMap(h -> Stream.concat(Stream.of(h), h.descendants()));
    }

    /** Ends the namespace: every process still in it is SIGKILLed by the kernel. */
    @Override
    public void close() {
        stop(unshare);
    }

    private static void stop(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // the holder is killed below
        }
        boolean interrupted = false;
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.toHandle().children().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
            p.toHandle().children().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        try {
            p.getInputStream().close();
        } catch (IOException e) {
            // nothing more to read
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
