package io.github.mellanoxlustre.standin;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A stand-in lustre-release git repository made by {@link LustreTreeFixture}.
 *
 * @param dir the repository (a normal clone-able git repository with a work tree)
 * @param releases its branches, oldest first
 * @param headBranch the branch checked out (what a plain {@code git clone} gives)
 * @param versions per branch, the version {@code LUSTRE-VERSION-GEN} prints at its tip: the release
 *     version ({@code 2.15.5}) on a tagged tip, {@code <version>_<n>_g<sha7>} after the tag
 */
public record LustreRepo(Path dir, List<LustreTreeFixture.Release> releases, String headBranch,
        Map<String, String> versions) {

    public LustreRepo {
        releases = List.copyOf(releases);
        versions = Map.copyOf(versions);
    }

    /** The version a build of {@code branch} carries (RPM {@code Version}), e.g. {@code 2.15.5}. */
    public String versionOf(String branch) {
        String v = versions.get(branch);
        if (v == null) {
            throw new IllegalArgumentException("no branch " + branch + " in " + versions.keySet());
        }
        return v;
    }

    /** {@code file://} URL of the repository, for {@code git clone}. */
    public String url() {
        return dir.toUri().toString();
    }
}
