package io.github.mellanoxlustre.lustre;

import io.github.mellanoxlustre.ofed.SshAuth;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the Lustre source tree comes from. */
public sealed interface LustreSource {

    /** The public lustre-release repository. */
    String DEFAULT_URL = "https://github.com/lustre/lustre-release.git";

    /**
     * A git repository at a ref.
     *
     * @param url the remote ({@code https://}, {@code ssh://}, {@code git@host:path} or a local path)
     * @param ref a branch ({@code b2_15}), tag ({@code 2.15.5}) or commit
     * @param ssh the SSH key for private or review remotes, if any
     */
    record Git(String url, String ref, Optional<SshAuth> ssh) implements LustreSource {
        /** Git ref names we accept: no option-like or revision-expression syntax. */
        private static final Pattern REF = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}");

        /** URL schemes git may use here; others (and {@code <transport>::<address>} remote helpers) are refused. */
        private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://.*");

        public Git {
            Objects.requireNonNull(ssh, "ssh");
            String form = "expected https://host/path.git, ssh://user@host/path, git://host/path, "
                    + "user@host:path or a local path (no spaces, not starting with '-')";
            if (url == null || url.isBlank() || url.startsWith("-") || url.chars().anyMatch(Character::isWhitespace)
                    || url.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("lustreRepository: '" + url + "' is not a git URL; " + form);
            }
            if (url.contains("::")) {
                throw new IllegalArgumentException("lustreRepository: '" + url + "' uses git's <transport>::<address> "
                        + "remote-helper syntax, which is not accepted; " + form);
            }
            Matcher scheme = SCHEME.matcher(url);
            if (scheme.matches() && !Set.of("https", "http", "ssh", "git", "file")
                    .contains(scheme.group(1).toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("lustreRepository: '" + url + "' has the unsupported scheme '"
                        + scheme.group(1) + "'; " + form);
            }
            if (hasPassword(url)) {
                // The URL is not echoed: it holds a secret that must reach no log, argv or manifest.
                throw new IllegalArgumentException("lustreRepository: the URL contains a password or token "
                        + "(scheme://user:secret@host/...), which would end up in logs, the git command line and "
                        + "manifest.json; use an SSH key (lustreKey) or a URL without credentials");
            }
            checkRef(ref);
        }

        /** Whether a {@code scheme://} URL carries {@code user:password@} in its authority. */
        private static boolean hasPassword(String url) {
            int start = url.indexOf("://");
            if (start < 0) {
                return false;
            }
            String rest = url.substring(start + 3);
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            int at = authority.lastIndexOf('@');
            return at > 0 && authority.substring(0, at).indexOf(':') >= 0;
        }

        /** Validates a git ref as users write it. */
        public static String checkRef(String ref) {
            if (ref == null || !REF.matcher(ref).matches() || ref.contains("..") || ref.endsWith(".lock")
                    || ref.endsWith("/") || ref.endsWith(".") || ref.contains("//") || ref.contains("/.")
                    || ref.contains(".lock/")) {
                throw new IllegalArgumentException("lustreRef: '" + ref + "' is not a git ref; expected a branch "
                        + "(b2_15), a tag (2.15.5) or a commit (hex)");
            }
            return ref;
        }
    }

    /** A local source directory, used as it is. */
    record Local(Path dir) implements LustreSource {
        public Local {
            Objects.requireNonNull(dir, "dir");
        }
    }
}
