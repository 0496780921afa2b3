package io.github.mellanoxlustre.process;

import java.util.regex.Pattern;

/**
 * POSIX shell single-quoting, for displaying commands and for the few places a tool itself takes a
 * shell string (git's {@code GIT_SSH_COMMAND}).
 */
public final class ShellQuote {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellQuote() {
    }

    /** The word as it must be written in a POSIX shell to mean exactly itself. */
    public static String quote(String word) {
        if (!word.isEmpty() && SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
