package io.github.mellanoxlustre.process;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Replaces every secret value the engine knows (SSH key passphrases, the values of the variables
 * that hold them) by {@link ToolCommand#MASK} in text the engine prints or writes. One masker is
 * made at the start of a build and applied where text leaves the engine: the console, the phase
 * logs and failure tails ({@link ToolRunner}), exception messages, the plan, the manifest and the
 * reports.
 *
 * <p>Also redacts the user information of URLs ({@link #redactUserInfo(String)}) for messages that
 * echo a location the user typed.
 */
public final class SecretMasker {
    /** A masker that knows no secret. */
    public static final SecretMasker NONE = new SecretMasker(List.of());

    private static final String MASK = ToolCommand.MASK;
    private static final List<String> SSH_SCHEMES = List.of("ssh", "sftp", "scp", "git+ssh", "ssh+git");
    private static final Pattern SSH_USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*");

    private final List<String> secrets;

    private SecretMasker(List<String> secrets) {
        this.secrets = secrets;
    }

    /**
     * A masker for these secrets (null and empty values are ignored). Each is also masked in the form
     * JSON and HTML writers escape it to, so a secret with a quote or backslash cannot slip through a
     * manifest or report.
     */
    public static SecretMasker of(Collection<String> secrets) {
        return new SecretMasker(secrets.stream().filter(s -> s != null && !s.isEmpty())
                .flatMap(s -> Stream.of(s, jsonEscaped(s), htmlEscaped(s))).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    private static String jsonEscaped(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String htmlEscaped(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** Whether there is nothing to mask. */
    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** {@code command} with these secrets added to the ones it masks in its display and output. */
    public ToolCommand maskingIn(ToolCommand command) {
        ToolCommand c = command;
        for (String s : secrets) {
            c = c.masking(s);
        }
        return c;
    }

    /** Whether {@code text} contains one of the secrets. */
    public boolean reveals(String text) {
        return text != null && secrets.stream().anyMatch(text::contains);
    }

    /** {@code text} with every secret replaced by {@link ToolCommand#MASK} (longest first). */
    public String mask(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String t = text;
        for (String s : secrets) {
            t = t.replace(s, ToolCommand.MASK);
        }
        return t;
    }

    /**
     * A console that masks what is written to {@code out}, line by line (a line is passed on when it
     * ends or the stream is flushed). With no secret, {@code out} itself.
     */
    public PrintStream masking(PrintStream out) {
        Objects.requireNonNull(out, "out");
        if (secrets.isEmpty()) {
            return out;
        }
        // not auto-flushing: a flush passes a partial line on, which could split a secret
        LineOutputStream masking = new LineOutputStream(line -> {
            byte[] masked = mask(line).getBytes(StandardCharsets.UTF_8);
            out.write(masked, 0, masked.length);
        }, out::flush);
        return new PrintStream(masking, false, StandardCharsets.UTF_8);
    }

    /**
     * A location as it may be echoed in a message: the user information of a URL
     * ({@code scheme://user:secret@host/...}, {@code scheme://TOKEN@host/...}) or of an scp-like
     * {@code user:secret@host:path} is replaced by {@code ****}. A plain SSH user name
     * ({@code ssh://user@host}, {@code sftp://user@host}) is kept. Works on malformed text too: it
     * masks everything up to the last {@code @} when in doubt.
     */
    public static String redactUserInfo(String location) {
        if (location == null || location.indexOf('@') < 0) {
            return location;
        }
        int last = location.lastIndexOf('@');
        int sep = location.indexOf("://");
        if (sep < 0 || sep > last) {
            // scp-like user:secret@host:path (the host ends at the first ':'); a path is left as it is
            boolean path = location.startsWith("/") || location.startsWith(".");
            return !path && location.substring(0, location.indexOf('@')).indexOf(':') >= 0
                    ? MASK + location.substring(last) : location;
        }
        String scheme = location.substring(0, sep).toLowerCase(Locale.ROOT);
        String rest = location.substring(sep + 3);
        int end = 0;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String authority = rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            boolean sshUser = SSH_SCHEMES.contains(scheme) && SSH_USER.matcher(userInfo).matches();
            return sshUser ? location : location.substring(0, sep + 3) + MASK + rest.substring(at);
        }
        if (authority.indexOf(':') >= 0) {
            // user:pass/word@host: the password ends the authority early; mask up to the last '@'
            return location.substring(0, sep + 3) + MASK + location.substring(last);
        }
        return location;
    }

    @Override
    public String toString() {
        return "SecretMasker[" + secrets.size() + " secrets]";
    }
}
