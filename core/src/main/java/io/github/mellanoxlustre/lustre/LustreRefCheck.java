package io.github.mellanoxlustre.lustre;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a Lustre ref names a branch or tag of the repository, from {@code git ls-remote --heads
 * --tags <url>}, so that a mistyped ref fails in seconds (in preflight), not after the OFED rebuild.
 * A ref that looks like a commit id cannot be checked this way (servers do not list commits); phase 5
 * resolves it.
 */
public final class LustreRefCheck {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,40}");
    private static final int SUGGESTIONS = 3;

    private LustreRefCheck() {
    }

    /** {@code git ls-remote --heads --tags -- <url>}. */
    public static List<String> lsRemoteArgv(String url) {
        return List.of("git", "ls-remote", "--heads", "--tags", "--", url);
    }

    /** Whether the ref looks like a (possibly abbreviated) commit id, which ls-remote cannot confirm. */
    public static boolean looksLikeCommit(String ref) {
        return COMMIT.matcher(ref).matches();
    }

    /**
     * What the ref is, from ls-remote's lines ({@code <sha>\t<refname>}).
     *
     * @return "branch" or "tag" when the ref is one; empty when it is neither
     */
    public static Optional<String> kind(String ref, List<String> lsRemote) {
        for (String name : refNames(lsRemote)) {
            if (name.equals("refs/heads/" + ref) || ref.startsWith("refs/heads/") && name.equals(ref)) {
                return Optional.of("branch");
            }
            if (name.equals("refs/tags/" + ref) || ref.startsWith("refs/tags/") && name.equals(ref)) {
                return Optional.of("tag");
            }
        }
        return Optional.empty();
    }

    /** The branches and tags nearest to a mistyped ref (edit distance), at most three. */
    public static List<String> nearest(String ref, List<String> lsRemote) {
        Set<String> names = new LinkedHashSet<>();
        for (String n : refNames(lsRemote)) {
            names.add(n.replaceFirst("^refs/(heads|tags)/", ""));
        }
        String wanted = ref.replaceFirst("^refs/(heads|tags)/", "");
        int limit = Math.max(2, wanted.length() / 3);
        return names.stream()
                .map(n -> new Object[] {n, distance(wanted.toLowerCase(), n.toLowerCase())})
                .filter(o -> (int) o[1] <= limit)
                .sorted(Comparator.<Object[]>comparingInt(o -> (int) o[1]).thenComparing(o -> (String) o[0]))
                .limit(SUGGESTIONS)
                .map(o -> (String) o[0])
                .toList();
    }

    private static List<String> refNames(List<String> lsRemote) {
        List<String> names = new ArrayList<>();
        for (String line : lsRemote) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                String name = line.substring(tab + 1).strip();
                names.add(name.endsWith("^{}") ? name.substring(0, name.length() - 3) : name);
            }
        }
        return names;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
