package io.jenkins.plugins.mellanoxlustre.agent;

import hudson.console.LineTransformationOutputStream;
import io.github.mellanoxlustre.engine.BuildEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The engine's console on its way to the build log, which deletes each SSH key file as soon as the
 * build phase that uses it has ended: the bundle's key after the bundle was fetched, the git remote's
 * key after the Lustre source was cloned. The engine announces the end of a phase with its banner
 * {@code <== [i/n] <title>: done in ...} (core's {@code PhaseSequence}); every line passes through
 * unchanged but for the field names (as the form names them). A key whose phase never ends (the build failed or was aborted first) is deleted with its
 * {@link PrivateDir} when the build ends.
 */
final class KeyRetirement extends LineTransformationOutputStream.Delegating {
    /** The title of the engine's phase that reads the OFED file (bundle, source RPM, DOCA sources) over SSH. */
    static final String FETCH_BUNDLE = BuildEngine.GET_OFED_TITLE;
    /** The title of the engine's phase that clones or fetches the Lustre git remote. */
    static final String LUSTRE_SOURCE = BuildEngine.LUSTRE_SOURCE_TITLE;

    private record Retiring(String phase, String field, Path file) {
    }

    private final List<Retiring> pending = new ArrayList<>();
    private final UnaryOperator<String> naming;

    /**
     * @param naming how each line names the request's fields (the form's field names in place of
     *               core's: {@code (kernelSource)} becomes {@code (kernelSourceDir)})
     */
    KeyRetirement(OutputStream log, UnaryOperator<String> naming) {
        super(log);
        this.naming = naming;
    }

    /** Deletes {@code file} (the key of the form field {@code field}) once the phase {@code phase} is done. */
    synchronized void deleteAfter(String phase, String field, Path file) {
        pending.add(new Retiring(phase, field, file));
    }

    @Override
    protected synchronized void eol(byte[] b, int len) throws IOException {
        out.write(naming.apply(new String(b, 0, len, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        if (pending.isEmpty() || len < 4 || b[0] != '<' || b[1] != '=' || b[2] != '=') {
            return;
        }
        String line = trimEOL(new String(b, 0, len, StandardCharsets.UTF_8));
        for (Iterator<Retiring> it = pending.iterator(); it.hasNext(); ) {
            Retiring r = it.next();
            if (line.startsWith("<== [") && line.contains("] " + r.phase() + ": done")) {
                Files.deleteIfExists(r.file());
                it.remove();
                out.write(("[mellanoxLustreBuild] " + r.field() + ": the SSH key file is deleted ('" + r.phase()
                        + "' is done)\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Passes on a last line without end of line; does not close the build log. */
    void finish() throws IOException {
        forceEol();
        flush();
    }
}
