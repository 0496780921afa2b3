package io.github.mellanoxlustre.detach;

import io.github.mellanoxlustre.engine.BuildEngine;
import io.github.mellanoxlustre.request.BuildSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The SSH private keys of {@link EngineSecrets}, as the 0600 files of the control directory the
 * engine's SSH clients read ({@link #BUNDLE_KEY}, {@link #LUSTRE_KEY}). Each is deleted as soon as the
 * phase that reads it is done (the bundle's after "Get OFED", the git remote's after the Lustre
 * source was fetched), and whatever is left when the build ends; a watcher deletes them too when it
 * finds the process dead or aborts it ({@link #deleteAll(ControlDir)}).
 */
final class KeyFiles {
    static final String BUNDLE_KEY = "ssh-bundle-key";
    static final String LUSTRE_KEY = "ssh-lustre-key";

    private record Live(String phase, String field, Path file) {
    }

    private final ControlDir control;
    private final PrintStream console;
    private final List<Live> live = new ArrayList<>();

    private KeyFiles(ControlDir control, PrintStream console) {
        this.control = control;
        this.console = console;
    }

    /**
     * Writes the keys {@code secrets} carries and points {@code spec} at them. The field names in
     * the console's lines are the ones the user typed ({@link DetachedSpec#names}).
     */
    static KeyFiles write(ControlDir control, DetachedSpec spec, EngineSecrets secrets, PrintStream console)
            throws IOException {
        KeyFiles k = new KeyFiles(control, console);
        try {
            if (secrets.bundleKey() != null) {
                spec.bundleKey(k.write(BUNDLE_KEY, secrets.bundleKey(), BuildEngine.GET_OFED_TITLE,
                        spec.typedName(BuildSpec.Field.BUNDLE_KEY)));
            }
            if (secrets.lustreKey() != null) {
                spec.lustreKey(k.write(LUSTRE_KEY, secrets.lustreKey(), BuildEngine.LUSTRE_SOURCE_TITLE,
                        spec.typedName(BuildSpec.Field.LUSTRE_KEY)));
            }
            return k;
        } catch (IOException | RuntimeException e) {
            k.deleteAll();
            throw e;
        }
    }

    private Path write(String name, char[] key, String phase, String field) throws IOException {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(key));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        try {
            control.writeOwnerOnly(name, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        Path file = control.file(name);
        live.add(new Live(phase, field, file));
        return file;
    }

    /** A phase is done: deletes the keys only it reads, saying so on the console. */
    synchronized void phaseDone(String title) {
        for (Iterator<Live> it = live.iterator(); it.hasNext(); ) {
            Live k = it.next();
            if (k.phase().equals(title)) {
                delete(k.file());
                it.remove();
                console.println("mlnx-lustre: " + k.field() + ": the SSH key file is deleted ('" + title
                        + "' is done)");
            }
        }
    }

    /** The build ended (or never started): deletes every key file left. */
    synchronized void deleteAll() {
        for (Live k : live) {
            delete(k.file());
        }
        live.clear();
    }

    /** Deletes the key files of a control directory whose process is gone. */
    static void deleteAll(ControlDir control) throws IOException {
        Files.deleteIfExists(control.file(BUNDLE_KEY));
        Files.deleteIfExists(control.file(LUSTRE_KEY));
    }

    private void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            console.println("warning: cannot delete the SSH key file " + file + ": " + e.getMessage());
        }
    }
}
