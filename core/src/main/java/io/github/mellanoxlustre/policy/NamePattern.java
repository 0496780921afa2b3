package io.github.mellanoxlustre.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob over RPM package names: {@code *} matches any run of characters (also none), {@code ?}
 * exactly one; every other character must be one RPM allows in a name ({@code A-Z a-z 0-9 . _ +
 * -}) and matches itself. Matching is case-sensitive, as rpm's is. Examples: {@code kmod-zfs*},
 * {@code kmod-lustre-osd-zfs*}, {@code lustre?client}.
 *
 * @param glob  the pattern as written
 */
public record NamePattern(String glob) {

    /** How a valid pattern looks, for error messages. */
    public static final String ACCEPTED_FORM = "a package-name glob of A-Z a-z 0-9 . _ + - with * (any run)"
            + " and ? (one character), e.g. kmod-foo*";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._+\\-*?]+");

    public NamePattern {
        Objects.requireNonNull(glob, "glob");
        if (!VALID.matcher(glob).matches()) {
            throw new IllegalArgumentException("'" + glob + "' is not a valid name pattern; expected "
                    + ACCEPTED_FORM);
        }
    }

    /** Whether the whole package name matches. */
    public boolean matches(String name) {
        return matches(glob, 0, name, 0);
    }

    private static boolean matches(String g, int gi, String s, int si) {
        // Iterative glob matching with backtracking on the last '*': linear in practice.
        int star = -1;
        int mark = 0;
        while (si < s.length()) {
            if (gi < g.length() && (g.charAt(gi) == '?' || g.charAt(gi) == s.charAt(si))) {
                gi++;
                si++;
            } else if (gi < g.length() && g.charAt(gi) == '*') {
                star = gi++;
                mark = si;
            } else if (star >= 0) {
                gi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (gi < g.length() && g.charAt(gi) == '*') {
            gi++;
        }
        return gi == g.length();
    }

    @Override
    public String toString() {
        return glob;
    }
}
