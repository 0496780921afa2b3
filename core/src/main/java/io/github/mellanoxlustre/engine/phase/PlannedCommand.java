package io.github.mellanoxlustre.engine.phase;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A command a build would run.
 *
 * @param dir  the directory it runs in (may hold a placeholder such as {@code <work>/lustre})
 * @param argv the exact argv; values only known while building are placeholders in angle
 *             brackets, e.g. {@code <bundle>/SRPMS/mlnx-ofa_kernel-*.src.rpm}
 */
public record PlannedCommand(String dir, List<String> argv) {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,<>*{}-]+");

    public PlannedCommand {
        argv = List.copyOf(argv);
    }

    /** The command as a shell line; placeholders are left unquoted so they read as such. */
    public String display() {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append("|".equals(a) || (!a.isEmpty() && PLAIN.matcher(a).matches()) ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }
}
