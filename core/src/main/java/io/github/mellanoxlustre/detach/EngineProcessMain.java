package io.github.mellanoxlustre.detach;

import io.github.mellanoxlustre.engine.BuildEngine;
import io.github.mellanoxlustre.engine.BuildFailedException;
import io.github.mellanoxlustre.engine.BuildListener;
import io.github.mellanoxlustre.engine.BuildResult;
import io.github.mellanoxlustre.engine.CannotRunHereException;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.Cancellation;
import io.github.mellanoxlustre.process.SecretMasker;
import io.github.mellanoxlustre.process.ToolEnvironment;
import io.github.mellanoxlustre.request.BuildRequest;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The detached engine process: {@code java -cp <core's classpath> io.github.mellanoxlustre.detach.EngineProcessMain
 * <control-dir>}, started by {@link EngineLauncher}. It reads and deletes {@link ControlDir#SECRETS},
 * fills a {@code BuildSpec} from {@link ControlDir#REQUEST}, runs the engine with its console on
 * standard output (which the launcher appends to {@link ControlDir#LOG}), records each phase in
 * {@link ControlDir#PROGRESS}, and at the end writes {@link ControlDir#RESULT} (when the build
 * completed) and then {@link ControlDir#EXIT}, and exits with the {@link Outcome}'s code.
 *
 * <p>SIGTERM (and SIGINT, SIGHUP) abort: a shutdown hook cancels the engine, which kills the running
 * tool's process tree, removes its staging output and publishes nothing, waits up to
 * {@value #ABORT_WAIT_SECONDS} s for that, and ends the process with {@link Outcome#ABORTED}'s code.
 */
public final class EngineProcessMain {
    static final int ABORT_WAIT_SECONDS = 60;

    private final ControlDir control;
    private final PrintStream console;
    private final Object exitLock = new Object();
    private boolean exitWritten;
    private volatile KeyFiles keys;

    EngineProcessMain(ControlDir control, PrintStream console) {
        this.control = control;
        this.console = console;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (args.length != 1) {
            out.println("usage: EngineProcessMain <control-dir>");
            System.exit(Outcome.INVALID_REQUEST.exitCode());
        }
        int code = new EngineProcessMain(ControlDir.of(Path.of(args[0])), out).run();
        out.flush();
        System.exit(code);
    }

    /**
     * Runs the build this control directory asks for; returns the exit code. The abort hook is in
     * place from the start, so a SIGTERM while the request is read still ends with an exit status.
     */
    int run() {
        Cancellation cancellation = Cancellation.forCurrentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> abortOnSignal(cancellation, finished), "mlnx-lustre-abort");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return readAndBuild(cancellation);
        } finally {
            deleteKeys();
            console.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook ends the process
            }
        }
    }

    private int readAndBuild(Cancellation cancellation) {
        progress(new Progress(Progress.STARTING, 0, BuildEngine.PHASES, "", "", Instant.now()));
        console.println("mlnx-lustre engine process " + ProcessHandle.current().pid() + ", control directory "
                + control.dir());
        EngineSecrets secrets;
        try {
            secrets = readSecrets();
        } catch (IOException | RuntimeException e) {
            // not the parser's message: it may quote what it read
            return finish(Outcome.FAILED, "cannot read " + control.file(ControlDir.SECRETS) + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        DetachedSpec spec;
        try {
            spec = EngineJson.MAPPER.readValue(control.file(ControlDir.REQUEST).toFile(), DetachedSpec.class);
        } catch (IOException | RuntimeException e) {
            secrets.clear();
            return finish(Outcome.FAILED, "cannot read the request " + control.file(ControlDir.REQUEST) + ": "
                    + e.getMessage());
        }
        try {
            keys = KeyFiles.write(control, spec, secrets, console);
        } catch (IOException | RuntimeException e) {
            secrets.clear();
            return finish(Outcome.FAILED, "cannot write the SSH key files in " + control.dir() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        SecretMasker early = earlyMasker(secrets);
        BuildRequest request;
        try {
            request = spec.toBuildSpec(secrets).toRequest(secrets.environment());
        } catch (IllegalArgumentException e) {
            return finish(Outcome.INVALID_REQUEST, early.mask(e.getMessage()));
        } finally {
            secrets.clear();
        }
        return runEngine(request, request.secretMasker(), cancellation);
    }

    private int runEngine(BuildRequest request, SecretMasker masker, Cancellation cancellation) {
        try {
            BuildResult result = new BuildEngine().run(request, listener(), cancellation);
            control.writeAtomically(ControlDir.RESULT, EngineJson.MAPPER.writeValueAsBytes(result));
            Outcome o = result.exitCode() == BuildResult.EXIT_PASS ? Outcome.PASSED : Outcome.FORBIDDEN_WITHHELD;
            return finish(o, result.summary());
        } catch (BuildFailedException e) {
            return finish(Outcome.FAILED, "failed in phase " + e.phaseIndex() + " (" + e.phaseTitle() + "): "
                    + e.getMessage());
        } catch (AbortedException e) {
            return finish(Outcome.ABORTED, "aborted; nothing was published");
        } catch (IllegalArgumentException e) {
            return finish(Outcome.INVALID_REQUEST, masker.mask(e.getMessage()));
        } catch (CannotRunHereException e) {
            return finish(Outcome.CANNOT_RUN_HERE, "cannot run here: " + e.getMessage() + "; nothing ran");
        } catch (IOException | RuntimeException | Error e) {
            console.println("internal error: " + masker.mask(e.toString()));
            for (StackTraceElement frame : e.getStackTrace()) {
                console.println("\tat " + frame);
            }
            return finish(Outcome.FAILED, "internal error: " + masker.mask(e.toString()));
        }
    }

    /** The shutdown hook: cancel, let the engine clean up, make sure an exit status is written. */
    private void abortOnSignal(Cancellation cancellation, CountDownLatch finished) {
        cancellation.cancel();
        try {
            finished.await(ABORT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteKeys();
        finish(Outcome.ABORTED, "aborted by a signal; the engine did not finish cleaning up within "
                + ABORT_WAIT_SECONDS + " s");
        console.flush();
        Runtime.getRuntime().halt(Outcome.ABORTED.exitCode());
    }

    /** Reads {@link ControlDir#SECRETS} and deletes it, whatever it holds. */
    private EngineSecrets readSecrets() throws IOException {
        Path file = control.file(ControlDir.SECRETS);
        byte[] bytes = null;
        try {
            bytes = Files.readAllBytes(file);
            return EngineJson.MAPPER.readValue(bytes, EngineSecrets.class);
        } finally {
            Files.deleteIfExists(file);
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /** Masks what the request is made from, for an error before the request (and its masker) exists. */
    private static SecretMasker earlyMasker(EngineSecrets s) {
        List<String> values = new ArrayList<>();
        for (char[] p : new char[][] {s.bundleKeyPassphrase(), s.lustreKeyPassphrase()}) {
            if (p != null) {
                values.add(new String(p));
            }
        }
        for (String name : ToolEnvironment.SECRET_NAMES) {
            values.add(s.environment().get(name));
        }
        return SecretMasker.of(values);
    }

    private BuildListener listener() {
        return new BuildListener() {
            @Override
            public PrintStream console() {
                return console;
            }

            @Override
            public void phaseStarted(int index, int total, String title, String detail) {
                progress(new Progress(Progress.RUNNING, index, total, title, detail, Instant.now()));
            }

            @Override
            public void phaseDone(int index, int total, String title) {
                KeyFiles k = keys;
                if (k != null) {
                    k.phaseDone(title);
                }
            }
        };
    }

    private void deleteKeys() {
        KeyFiles k = keys;
        if (k != null) {
            k.deleteAll();
        }
    }

    private void progress(Progress p) {
        try {
            control.writeAtomically(ControlDir.PROGRESS, EngineJson.MAPPER.writeValueAsBytes(p));
        } catch (IOException e) {
            console.println("warning: cannot record the progress in " + control.dir() + ": " + e.getMessage());
        }
    }

    /** Writes the exit status once (the engine's, or the abort hook's when the engine did not finish). */
    private int finish(Outcome outcome, String message) {
        synchronized (exitLock) {
            if (exitWritten) {
                return outcome.exitCode();
            }
            exitWritten = true;
            console.println("==> exit " + outcome.exitCode() + " (" + outcome + "): " + message);
            console.flush();
            Progress last = readProgress();
            progress(new Progress(Progress.FINISHED, last.phase(), last.total(), last.title(), last.detail(),
                    Instant.now()));
            try {
                control.writeAtomically(ControlDir.EXIT, EngineJson.MAPPER.writeValueAsBytes(
                        ExitStatus.of(outcome, message, ExitStatus.ENGINE)));
            } catch (IOException e) {
                console.println("error: cannot write the exit status to " + control.dir() + ": " + e.getMessage());
            }
            return outcome.exitCode();
        }
    }

    private Progress readProgress() {
        try {
            return EngineJson.MAPPER.readValue(control.file(ControlDir.PROGRESS).toFile(), Progress.class);
        } catch (IOException | RuntimeException e) {
            return new Progress(Progress.STARTING, 0, BuildEngine.PHASES, "", "", Instant.now());
        }
    }
}
