package io.github.mellanoxlustre.lustre;

import io.github.mellanoxlustre.process.SecretMasker;
import io.github.mellanoxlustre.ssh.SshAuth;
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
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("lustreRepository: '" + url + "' is not a git URL; " + form);
            }
            checkNoCredentials(url);
            // Every message below echoes `shown`: what looks like user information is masked.
            String shown = SecretMasker.redactUserInfo(url);
            if (url.startsWith("-") || url.chars().anyMatch(Character::isWhitespace) || url.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("lustreRepository: '" + shown.replace("\0", "\\0")
                        + "' is not a git URL; " + form);
            }
            if (url.contains("::")) {
                throw new IllegalArgumentException("lustreRepository: '" + shown + "' uses git's <transport>::<address> "
                        + "remote-helper syntax, which is not accepted; " + form);
            }
            Matcher scheme = SCHEME.matcher(url);
            if (scheme.matches() && !Set.of("https", "http", "ssh", "git", "file")
                    .contains(scheme.group(1).toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("lustreRepository: '" + shown + "' has the unsupported scheme '"
                        + scheme.group(1) + "'; " + form);
            }
            checkRef(ref);
        }

        /**
         * Refuses a URL with credentials, without echoing it: a password ({@code scheme://user:secret@host},
         * {@code user:secret@host:path}) or any user information in an {@code http(s)://}, {@code git://} or
         * {@code file://} URL ({@code https://TOKEN@host/...}), which git would put in its command line, the
         * mirror's config and our logs and manifest. A plain SSH user ({@code ssh://user@host}) is fine.
         */
        private static void checkNoCredentials(String url) {
            if (!SecretMasker.redactUserInfo(url).equals(url)) {
                throw new IllegalArgumentException("lustreRepository: the URL contains a password or token "
                        + "(https://TOKEN@host/..., scheme://user:secret@host/...), which would end up in logs, the git "
                        + "command line and manifest.json; use an ssh:// URL with an SSH key (--lustre-key, "
                        + "lustreKey), or an https:// URL without credentials and a git credential helper configured "
                        + "for the user running the build");
            }
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
