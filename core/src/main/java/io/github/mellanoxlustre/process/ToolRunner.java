package io.github.mellanoxlustre.process;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs external tools for one build phase.
 *
 * <p>Each command is an argv list (never a shell string). Its standard output and standard error
 * are merged and streamed, line by line, to the build console (for Jenkins, the listener's stream)
 * and appended to the phase's log file; the last {@value ToolFailedException#TAIL_LINES} lines are
 * kept for the failure report. An exit code the command does not accept throws
 * {@link ToolFailedException}; nothing is retried, ignored or timed out silently.
 *
 * <p><b>Environment and secrets.</b> A tool gets the runner's environment (built by
 * {@link ToolEnvironment}: an allowlist, never the JVM's whole environment) plus what its command
 * sets. Every secret of the runner's {@link SecretMasker} and of the command is masked in the
 * displayed command, the console, the log, the tail and the failure message.
 *
 * <p><b>Process groups.</b> When {@code setsid} is available (util-linux, on every EL and Debian
 * system) each tool is started through it, so the tool leads its own session and process group.
 * That lets abort find and kill processes that were re-parented to init (a tool's background job
 * whose parent already exited), which {@link ProcessHandle#descendants()} alone cannot see, and
 * keeps a terminal's Ctrl-C from reaching the tools directly: the CLI's shutdown hook aborts the
 * engine, which kills the tree in order. Without {@code setsid} only descendants are tracked.
 * A Java child is never a process-group leader, so {@code setsid} does not fork: the pid we get is
 * the tool's, and also its group and session id.
 *
 * <p><b>PID namespaces.</b> Where the build's {@link ToolContainment} can make them, each tool (each
 * side of a pipe) runs in a PID namespace of its own, entered with {@code nsenter} (see
 * {@link PidNamespace}): a process that leaves the tool's session and double-forks (a daemon) is
 * re-parented to that namespace's init, so abort and the end of the tool find and kill it, and
 * nothing survives the namespace. Where they cannot, the build's console says so once, and tools run
 * as before.
 *
 * <p><b>Abort.</b> Interrupting the calling thread (or {@link Cancellation#cancel()}) while a tool
 * runs kills its whole process tree (see {@link ProcessTree}) and throws {@link AbortedException}.
 * After a tool exits, processes it left running in its group, session or namespace are killed too
 * (and logged).
 */
public final class ToolRunner {
    /** How long killed processes get between SIGTERM and SIGKILL. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(3);
    private static final int MAX_LINE_CHARS = 16 * 1024;
    private static final int CAPTURE_LIMIT = 100_000;

    private final String phase;
    private final PrintStream console;
    private final Path logFile;
    private final Cancellation cancellation;
    private final ToolClock clock;
    private final Map<String, String> environment;
    private final Duration grace;
    private final SecretMasker masker;
    private final ToolContainment containment;
    private final Object logLock = new Object();
    /** Whether tool output and engine notes stay out of the console (warnings and errors excepted). */
    private volatile boolean quiet;
    /** After this long without a console line while a tool runs, a heartbeat line; null: never. */
    private volatile Duration heartbeat;
    /** When the console last got a line from this runner. */
    private volatile long lastConsoleNanos = System.nanoTime();
    /** Bytes of tool output written to the log by the running command. */
    private final java.util.concurrent.atomic.AtomicLong commandLogBytes = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param phase        the phase name shown in failures
     * @param console      the build console
     * @param logFile      the phase log (created or appended to)
     * @param cancellation the build's abort handle
     * @param clock        where time spent in tools is added up
     * @param environment  the whole environment every tool gets (see {@link ToolEnvironment}; the JVM's
     *                     own is not inherited); PATH here is where programs are found
     */
    public ToolRunner(String phase, PrintStream console, Path logFile, Cancellation cancellation, ToolClock clock,
                      Map<String, String> environment) {
        this(phase, console, logFile, cancellation, clock, environment, DEFAULT_GRACE);
    }

    public ToolRunner(String phase, PrintStream console, Path logFile, Cancellation cancellation, ToolClock clock,
                      Map<String, String> environment, Duration grace) {
        this(phase, console, logFile, cancellation, clock, environment, grace, SecretMasker.NONE);
    }

    /**
     * A runner that also masks the build's secrets ({@code masker}) in everything it shows and logs:
     * the displayed commands, the tools' output on the console and in the log, failure tails and
     * messages.
     */
    public ToolRunner(String phase, PrintStream console, Path logFile, Cancellation cancellation, ToolClock clock,
                      Map<String, String> environment, Duration grace, SecretMasker masker) {
        this(phase, console, logFile, cancellation, clock, environment, grace, masker, new ToolContainment());
    }

    /**
     * A runner whose tools run in {@code containment}.
     *
     * @param containment where the build's tools run (one per build, so that its warning, when
     *                    PID namespaces are not available, is given once per build)
     */
    public ToolRunner(String phase, PrintStream console, Path logFile, Cancellation cancellation, ToolClock clock,
                      Map<String, String> environment, Duration grace, ToolContainment containment) {
        this(phase, console, logFile, cancellation, clock, environment, grace, SecretMasker.NONE, containment);
    }

    /** A runner with everything given: the build's secrets are masked, its tools run in {@code containment}. */
    public ToolRunner(String phase, PrintStream console, Path logFile, Cancellation cancellation, ToolClock clock,
                      Map<String, String> environment, Duration grace, SecretMasker masker,
                      ToolContainment containment) {
        this.masker = Objects.requireNonNull(masker, "masker");
        this.containment = Objects.requireNonNull(containment, "containment");
        this.phase = Objects.requireNonNull(phase, "phase");
        this.console = Objects.requireNonNull(console, "console");
        this.logFile = Objects.requireNonNull(logFile, "logFile");
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.environment = Map.copyOf(environment);
        this.grace = Objects.requireNonNull(grace, "grace");
    }

    /**
     * How much of this runner's work the console shows. Quiet: no commands, no tool output and no
     * engine notes, except notes about a warning, an error or a failure (the log has everything).
     * Heartbeat: while a tool runs and the console has had no line from this runner for that long, one
     * line says it is still running, for how long, and how much log it wrote; null for none.
     *
     * @return this runner
     */
    public ToolRunner showing(boolean quiet, Duration heartbeat) {
        this.quiet = quiet;
        this.heartbeat = heartbeat == null || heartbeat.isZero() || heartbeat.isNegative() ? null : heartbeat;
        return this;
    }

    /** The phase log file. */
    public Path logFile() {
        return logFile;
    }

    /** The console this runner writes to. */
    public PrintStream consoleStream() {
        return console;
    }

    /** The secrets this runner masks; whatever a phase writes itself goes through it too. */
    public SecretMasker masker() {
        return masker;
    }

    /** The phase this runner belongs to. */
    public String phase() {
        return phase;
    }

    /** Runs a command, showing its output on the console and in the log. */
    public ToolResult run(ToolCommand command) throws ToolFailedException, AbortedException, IOException {
        return run(command, line -> { }, true);
    }

    /** Runs a command; {@code observer} sees each output line (already masked) as it arrives. */
    public ToolResult run(ToolCommand command, Consumer<String> observer)
            throws ToolFailedException, AbortedException, IOException {
        return run(command, observer, true);
    }

    /**
     * Runs a short command whose output the engine needs (e.g. {@code git rev-parse}): its output
     * goes to the log only and is returned (up to 100,000 lines).
     */
    public List<String> capture(ToolCommand command) throws ToolFailedException, AbortedException, IOException {
        List<String> lines = new ArrayList<>();
        run(command, line -> {
            if (lines.size() < CAPTURE_LIMIT) {
                lines.add(line);
            }
        }, false);
        return lines;
    }

    private ToolResult run(ToolCommand toRun, Consumer<String> observer, boolean toConsole)
            throws ToolFailedException, AbortedException, IOException {
        cancellation.check(phase);
        ToolCommand command = masker.maskingIn(toRun);
        Map<String, String> env = effectiveEnvironment(command);
        List<String> argv = executable(command, env);
        long start = System.nanoTime();
        Optional<PidNamespace> ns = namespace(argv, env);
        int exit;
        long elapsed;
        commandLogBytes.set(0);
        Sink sink = new Sink(command, observer, toConsole);
        try {
            announce(command, toConsole);
            ProcessBuilder pb = new ProcessBuilder(launchArgv(contained(argv, ns), env))
                    .directory(command.dir().toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            replaceEnvironment(pb, env);
            Process process = start(pb, command, sink);
            ProcessTree tree = new ProcessTree(process.toHandle(), launchedWithSetsid(env), ns);
            Thread reader = pump(process.getInputStream(), sink, command.program());
            try {
                exit = awaitExit(process, List.of(tree), List.of(reader), command);
                finishOutput(List.of(tree), List.of(reader), sink);
            } finally {
                elapsed = System.nanoTime() - start;
                clock.add(elapsed);
                sink.flush();
            }
        } finally {
            ns.ifPresent(PidNamespace::close);
        }
        if (!command.okExits().contains(exit)) {
            throw new ToolFailedException(phase, command.display(), exit, logFile, sink.tail(),
                    command.program() + " failed with exit code " + exit);
        }
        return new ToolResult(exit, sink.tail(), Duration.ofNanos(elapsed));
    }

    /**
     * Runs {@code producer | consumer}: two processes, the first's standard output connected to the
     * second's standard input by the operating system ({@link ProcessBuilder#startPipeline}), no
     * shell. The producer's standard error and the consumer's output go to the console and log.
     * Fails when either exits with a code it does not accept.
     */
    public ToolResult pipe(ToolCommand toProduce, ToolCommand toConsume)
            throws ToolFailedException, AbortedException, IOException {
        cancellation.check(phase);
        ToolCommand producer = masker.maskingIn(toProduce);
        ToolCommand consumer = masker.maskingIn(toConsume);
        Map<String, String> env1 = effectiveEnvironment(producer);
        Map<String, String> env2 = effectiveEnvironment(consumer);
        List<String> argv1 = executable(producer, env1);
        List<String> argv2 = executable(consumer, env2);
        String display = producer.display() + " | " + consumer.display();
        ToolCommand shown = new ToolCommand(consumer.argv(), consumer.dir(), Map.of(), consumer.okExits(),
                concat(producer.secrets(), consumer.secrets()));
        long start = System.nanoTime();
        Optional<PidNamespace> ns1 = Optional.empty();
        Optional<PidNamespace> ns2 = Optional.empty();
        int exit1;
        int exit2;
        long elapsed;
        commandLogBytes.set(0);
        Sink sink = new Sink(shown, l -> { }, true);
        try {
            ns1 = namespace(argv1, env1);
            ns2 = namespace(argv2, env2);
            line("$ " + display, !quiet);
            ProcessBuilder pb1 = new ProcessBuilder(launchArgv(contained(argv1, ns1), env1))
                    .directory(producer.dir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.PIPE);
            replaceEnvironment(pb1, env1);
            ProcessBuilder pb2 = new ProcessBuilder(launchArgv(contained(argv2, ns2), env2))
                    .directory(consumer.dir().toFile())
                    .redirectErrorStream(true);
            replaceEnvironment(pb2, env2);
            List<Process> procs;
            try {
                procs = ProcessBuilder.startPipeline(List.of(pb1, pb2));
            } catch (IOException e) {
                throw new ToolFailedException(phase, display, -1, logFile, List.of(), "could not start "
                        + producer.program() + " | " + consumer.program() + ": " + e.getMessage());
            }
            boolean group = launchedWithSetsid(env1);
            ProcessTree t1 = new ProcessTree(procs.get(0).toHandle(), group, ns1);
            ProcessTree t2 = new ProcessTree(procs.get(1).toHandle(), group, ns2);
            Thread r1 = pump(procs.get(0).getErrorStream(), sink, producer.program());
            Thread r2 = pump(procs.get(1).getInputStream(), sink, consumer.program());
            try {
                exit2 = awaitExit(procs.get(1), List.of(t1, t2), List.of(r1, r2), consumer);
                exit1 = awaitExit(procs.get(0), List.of(t1, t2), List.of(r1, r2), producer);
                finishOutput(List.of(t1, t2), List.of(r1, r2), sink);
            } finally {
                sink.flush();
            }
        } finally {
            ns1.ifPresent(PidNamespace::close);
            ns2.ifPresent(PidNamespace::close);
            elapsed = System.nanoTime() - start;
            clock.add(elapsed);
        }
        if (!producer.okExits().contains(exit1)) {
            throw new ToolFailedException(phase, display, exit1, logFile, sink.tail(),
                    producer.program() + " failed with exit code " + exit1 + " (in " + display + ")");
        }
        if (!consumer.okExits().contains(exit2)) {
            throw new ToolFailedException(phase, display, exit2, logFile, sink.tail(),
                    consumer.program() + " failed with exit code " + exit2 + " (in " + display + ")");
        }
        return new ToolResult(exit2, sink.tail(), Duration.ofNanos(elapsed));
    }

    /** Writes an engine message (not tool output) to the console and the phase log. */
    public void note(String message) {
        line(message, !quiet || important(message));
    }

    /** A note a quiet console still shows: about a warning, an error or a failure. */
    private static boolean important(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("warning") || m.contains("error") || m.contains("fail");
    }

    // ---------------------------------------------------------------------------------------------

    /** The runner's environment (nothing inherited from the JVM) plus what the command sets. */
    private Map<String, String> effectiveEnvironment(ToolCommand command) {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(command.env());
        return env;
    }

    private static void replaceEnvironment(ProcessBuilder pb, Map<String, String> env) {
        pb.environment().clear();
        pb.environment().putAll(env);
    }

    /** argv with the program resolved on the tool's own PATH; a missing program is a failure. */
    private List<String> executable(ToolCommand command, Map<String, String> env) throws ToolFailedException {
        String program = command.argv().get(0);
        // a relative path (./configure) is relative to the directory the tool runs in
        String lookup = program.contains("/") && !program.startsWith("/")
                ? command.dir().resolve(program).toString() : program;
        Optional<Path> found = ProgramPath.find(lookup, env.get("PATH"));
        if (found.isEmpty()) {
            String where = program.contains("/") ? "" : " on PATH (" + env.getOrDefault("PATH", "") + ")";
            String msg = masker.mask(program + " was not found" + where + " or is not executable");
            line("$ " + command.display(), true);
            line(msg, true);
            throw new ToolFailedException(phase, command.display(), -1, logFile, List.of(msg), msg);
        }
        List<String> argv = new ArrayList<>(command.argv());
        argv.set(0, found.get().toString());
        return argv;
    }

    /**
     * A PID namespace for the tool (see {@link ToolContainment}); empty when the build has none.
     * An interrupt meanwhile aborts, with nothing left running.
     */
    private Optional<PidNamespace> namespace(List<String> argv, Map<String, String> env) throws AbortedException {
        try {
            return containment.open(Path.of(argv.get(0)), env, this::note);
        } catch (InterruptedException e) {
            throw new AbortedException(phase, "aborted during " + phase);
        }
    }

    private static List<String> contained(List<String> argv, Optional<PidNamespace> ns) {
        return ns.map(n -> n.enter(argv)).orElse(argv);
    }

    private List<String> launchArgv(List<String> argv, Map<String, String> env) {
        Optional<Path> setsid = setsid(env);
        if (setsid.isEmpty()) {
            return argv;
        }
        List<String> a = new ArrayList<>(argv.size() + 1);
        a.add(setsid.get().toString());
        a.addAll(argv);
        return a;
    }

    private boolean launchedWithSetsid(Map<String, String> env) {
        return setsid(env).isPresent();
    }

    private static Optional<Path> setsid(Map<String, String> env) {
        for (String p : List.of("/usr/bin/setsid", "/bin/setsid")) {
            Path path = Path.of(p);
            if (Files.isExecutable(path)) {
                return Optional.of(path);
            }
        }
        return ProgramPath.find("setsid", env.get("PATH"));
    }

    private Process start(ProcessBuilder pb, ToolCommand command, Sink sink) throws ToolFailedException {
        try {
            return pb.start();
        } catch (IOException e) {
            String msg = "could not start " + command.program() + ": " + e.getMessage();
            sink.accept(msg);
            sink.flush();
            throw new ToolFailedException(phase, command.display(), -1, logFile, sink.tail(), msg);
        }
    }

    private int awaitExit(Process process, List<ProcessTree> trees, List<Thread> readers, ToolCommand command)
            throws AbortedException {
        long start = System.nanoTime();
        while (true) {
            try {
                if (cancellation.isCancelled()) {
                    throw new InterruptedException();
                }
                Duration every = heartbeat;
                if (every == null) {
                    return process.waitFor();
                }
                if (process.waitFor(Math.min(every.toMillis(), 1000), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return process.exitValue();
                }
                beat(command, start);
            } catch (InterruptedException e) {
                int killed = 0;
                for (ProcessTree t : trees) {
                    killed += t.kill(grace);
                }
                joinQuietly(readers, Duration.ofSeconds(5));
                Thread.interrupted();
                String msg = "aborted: killed " + command.program() + " and its process tree (" + killed
                        + " process" + (killed == 1 ? "" : "es") + ")";
                line(msg, true);
                throw new AbortedException(phase, msg + " during " + phase);
            }
        }
    }

    /** After the tool exited: its output ends when every writer has gone; kill stragglers. */
    private void finishOutput(List<ProcessTree> trees, List<Thread> readers, Sink sink) throws AbortedException {
        boolean done = join(readers, Duration.ofSeconds(2));
        int killed = 0;
        for (ProcessTree t : trees) {
            killed += t.killLeftovers(grace);
        }
        if (killed > 0) {
            sink.note("killed " + killed + " process" + (killed == 1 ? "" : "es")
                    + " the tool left running after it exited");
        }
        if (!done) {
            join(readers, Duration.ofSeconds(10));
        }
    }

    private boolean join(List<Thread> readers, Duration max) throws AbortedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (Thread r : readers) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    r.join(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    for (Thread t : readers) {
                        t.interrupt();
                    }
                    throw new AbortedException(phase, "aborted during " + phase);
                }
            }
        }
        return readers.stream().noneMatch(Thread::isAlive);
    }

    private static void joinQuietly(List<Thread> readers, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        for (Thread r : readers) {
            long left = deadline - System.nanoTime();
            while (left > 0 && r.isAlive()) {
                try {
                    r.join(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    // keep waiting: the output must be drained before we report
                }
                left = deadline - System.nanoTime();
            }
        }
    }

    private Thread pump(InputStream in, Sink sink, String program) {
        Thread t = new Thread(() -> {
            try (InputStream input = in) {
                byte[] buf = new byte[8192];
                ByteArrayOutputStream line = new ByteArrayOutputStream(256);
                int n;
                while ((n = input.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        byte b = buf[i];
                        if (b == '\n' || line.size() >= MAX_LINE_CHARS) {
                            sink.accept(decode(line));
                            line.reset();
                            if (b == '\n') {
                                continue;
                            }
                        }
                        line.write(b);
                    }
                }
                if (line.size() > 0) {
                    sink.accept(decode(line));
                }
            } catch (IOException e) {
                // the stream is closed when the process is killed: nothing more to read
            }
        }, "tool-output-" + program);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String decode(ByteArrayOutputStream line) {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private void announce(ToolCommand command, boolean toConsole) {
        line("$ " + command.display(), toConsole && !quiet);
    }

    /** {@code 2026-11-29T23:20:01Z }: what each line of the phase log starts with. */
    private static String stamp() {
        return java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " ";
    }

    /** Prints a heartbeat line when the console has been silent for the heartbeat interval. */
    private void beat(ToolCommand command, long startNanos) {
        Duration every = heartbeat;
        long now = System.nanoTime();
        if (every == null || now - lastConsoleNanos < every.toNanos()) {
            return;
        }
        long s = (now - startNanos) / 1_000_000_000L;
        String text = "... " + command.program() + " still running: " + (s / 60) + " min " + (s % 60) + " s, "
                + bytes(commandLogBytes.get()) + " of log written";
        synchronized (logLock) {
            console.println(text);
            lastConsoleNanos = now;
        }
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        return n < 1024 * 1024 ? String.format(java.util.Locale.ROOT, "%.1f KiB", n / 1024.0)
                : String.format(java.util.Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    private void line(String raw, boolean toConsole) {
        String text = masker.mask(raw);
        synchronized (logLock) {
            if (toConsole) {
                console.println(text);
                lastConsoleNanos = System.nanoTime();
            }
            try (BufferedWriter w = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                w.write(stamp());
                w.write(text);
                w.newLine();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the phase log " + logFile, e);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** Where a tool's lines go: console, log file, tail, observer. */
    private final class Sink {
        private final ToolCommand command;
        private final Consumer<String> observer;
        private final boolean toConsole;
        private final Deque<String> tail = new ArrayDeque<>();
        private BufferedWriter log;

        Sink(ToolCommand command, Consumer<String> observer, boolean toConsole) {
            this.command = command;
            this.observer = observer;
            this.toConsole = toConsole && !quiet;
        }

        void accept(String raw) {
            String line = command.mask(raw);
            synchronized (logLock) {
                if (toConsole) {
                    console.println(line);
                    lastConsoleNanos = System.nanoTime();
                }
                commandLogBytes.addAndGet(line.getBytes(StandardCharsets.UTF_8).length + 1L);
                try {
                    if (log == null) {
                        log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                    log.write(stamp());
                    log.write(line);
                    log.newLine();
                } catch (IOException e) {
                    // a full disk must not hang the tool: keep streaming to the console
                }
                tail.addLast(line);
                if (tail.size() > ToolFailedException.TAIL_LINES) {
                    tail.removeFirst();
                }
            }
            observer.accept(line);
        }

        void note(String text) {
            accept(text);
        }

        List<String> tail() {
            synchronized (logLock) {
                return new ArrayList<>(tail);
            }
        }

        void flush() {
            synchronized (logLock) {
                if (log != null) {
                    try {
                        log.close();
                    } catch (IOException e) {
                        // reported by the next write
                    }
                    log = null;
                }
            }
        }
    }
}
