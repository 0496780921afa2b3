package io.github.mellanoxlustre.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the real {@code rpm -qp} on a file, for differential tests. */
public final class RpmQuery {
    private RpmQuery() {
    }

    /** Lines {@code rpm -qp ARGS... file} prints on standard output; fails when rpm fails. */
    public static List<String> query(Path rpm, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("rpm", "-qp", "--nosignature", "--nodigest"));
        cmd.addAll(List.of(args));
        cmd.add(rpm.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException("rpm " + cmd + " exited " + rc);
        }
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }
}
