package io.github.mellanoxlustre.lustre;

import io.github.mellanoxlustre.files.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The machine's local mirrors of Lustre git repositories, under {@code <cache>/lustre-git/}: one
 * bare mirror per URL ({@code git clone --mirror} once, then {@code git fetch --prune}), from which
 * each build clones its work tree locally (objects hard-linked, so the clone is cheap) and checks
 * out the commit the ref resolves to.
 */
public final class GitMirror {
    /**
     * Protocols git may use: the remote's and the local mirror's. Anything else (notably
     * {@code ext::}, which runs a command) is refused by git itself.
     */
    public static final String ALLOWED_PROTOCOLS = "file:git:http:https:ssh";

    private final Path root;

    public GitMirror(Path cacheDir) {
        this.root = Objects.requireNonNull(cacheDir, "cacheDir").resolve("lustre-git");
    }

    /** The directory holding the mirrors. */
    public Path root() {
        return root;
    }

    /** The mirror of a URL: {@code <last path element>-<16 hex of sha256(url)>.git}. */
    public Path mirrorDir(String url) {
        String tail = url.replaceAll("/+$", "");
        tail = tail.substring(Math.max(tail.lastIndexOf('/'), tail.lastIndexOf(':')) + 1);
        tail = tail.replaceAll("\\.git$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        if (tail.isEmpty() || tail.startsWith(".")) {
            tail = "repo";
        }
        return root.resolve(tail.toLowerCase(Locale.ROOT) + "-" + Sha256.ofText(url).substring(0, 16) + ".git");
    }

    /** The lock file serialising builds that use the same mirror. */
    public Path lockFile(String url) {
        Path m = mirrorDir(url);
        return m.resolveSibling(m.getFileName() + ".lock");
    }

    /** Whether a directory looks like a complete bare mirror. */
    public static boolean isMirror(Path dir) {
        return Files.isRegularFile(dir.resolve("HEAD")) && Files.isRegularFile(dir.resolve("config"))
                && Files.isDirectory(dir.resolve("objects")) && Files.isDirectory(dir.resolve("refs"));
    }

    /** Environment for every git command: no prompts, only known protocols. */
    public static Map<String, String> baseEnvironment() {
        return Map.of("GIT_TERMINAL_PROMPT", "0", "GIT_ALLOW_PROTOCOL", ALLOWED_PROTOCOLS);
    }

    public static List<String> cloneMirrorArgv(String url, String dest) {
        return List.of("git", "clone", "--mirror", "--", url, dest);
    }

    public static List<String> fetchArgv(String mirror) {
        return List.of("git", "--git-dir=" + mirror, "fetch", "--prune", "origin");
    }

    public static List<String> resolveArgv(String gitDirOption, String ref) {
        return List.of("git", gitDirOption, "rev-parse", "--verify", "--quiet", ref + "^{commit}");
    }

    public static List<String> cloneWorkTreeArgv(String mirror, String dest) {
        return List.of("git", "clone", "--no-checkout", "--", mirror, dest);
    }

    public static List<String> checkoutArgv(String commit) {
        return List.of("git", "checkout", "--quiet", "--detach", commit);
    }
}
