package io.github.mellanoxlustre.ofed;

import io.github.mellanoxlustre.process.SecretMasker;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the MLNX_OFED bundle comes from: a local path, an {@code http(s)://} URL (with a required
 * SHA-256), or an {@code sftp://} / {@code scp://user@host[:port]/path} location read over SSH.
 * Every form names the bundle file, whose name must parse as an {@link OfedBundleName}.
 */
public sealed interface BundleLocation {

    /** The accepted forms, as shown in error messages. */
    String FORMS = "a path to MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz, "
            + "https://host/path/MLNX_OFED_LINUX-....tgz (with a SHA-256), "
            + "or sftp://user@host[:port]/path/MLNX_OFED_LINUX-....tgz (scp:// likewise)";

    /** The bundle's parsed file name. */
    OfedBundleName bundleName();

    /** The SHA-256 the fetched bundle must have, lowercase hex; required for HTTP. */
    Optional<String> sha256();

    /** A bundle on the machine running the build (an agent-side path). */
    record Local(Path path, OfedBundleName bundleName, Optional<String> sha256) implements BundleLocation {
        public Local {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(bundleName, "bundleName");
            sha256 = Sha256.normalize(sha256);
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A bundle on an HTTP(S) server (a mirror): its SHA-256 is required. */
    record Http(URI uri, OfedBundleName bundleName, Optional<String> sha256) implements BundleLocation {
        public Http {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(bundleName, "bundleName");
            sha256 = Sha256.normalize(sha256);
            if (sha256.isEmpty()) {
                throw new IllegalArgumentException("bundle: an http(s) bundle location needs its SHA-256 "
                        + "(64 hexadecimal digits) in the bundle checksum field");
            }
        }

        /** The URL with its query (which may hold a pre-signed token) and fragment hidden. */
        @Override
        public String toString() {
            return redact(uri);
        }

        /** {@code uri} for logs and messages: a query string or fragment is replaced by {@code ?...}. */
        public static String redact(URI uri) {
            if (uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return uri.toString();
            }
            String s = uri.toString();
            int cut = s.indexOf('?');
            if (cut < 0) {
                cut = s.indexOf('#');
            }
            return s.substring(0, cut) + "?...";
        }
    }

    /** A bundle read over SSH ({@code sftp} or {@code scp}). */
    record Ssh(String scheme, String user, String host, int port, String path, OfedBundleName bundleName,
               Optional<String> sha256) implements BundleLocation {
        /** SSH user names we accept. */
        private static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*");

        /** Remote paths scp accepts: nothing a shell would interpret. */
        private static final Pattern SCP_PATH = Pattern.compile("[A-Za-z0-9._+,@/-]+");

        public Ssh {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(bundleName, "bundleName");
            sha256 = Sha256.normalize(sha256);
            if (!"sftp".equals(scheme) && !"scp".equals(scheme)) {
                throw new IllegalArgumentException("bundle: scheme '" + scheme + "' is not sftp or scp");
            }
            if (!USER.matcher(user).matches()) {
                throw new IllegalArgumentException("bundle: user '" + user
                        + "' may use letters, digits, '.', '_' and '-' (not starting with '-')");
            }
            if (host.isEmpty() || host.startsWith("-")) {
                throw new IllegalArgumentException("bundle: '" + host + "' is not a host name or address");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bundle: port " + port + " is not 1 to 65535");
            }
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("bundle: remote path '" + path + "' must be absolute");
            }
            if ("scp".equals(scheme) && !SCP_PATH.matcher(path).matches()) {
                // scp hands the path to the remote user's shell ("scp -f -- <path>"), unquoted.
                throw new IllegalArgumentException("bundle: the scp:// path '" + path + "' may only use letters, "
                        + "digits and . _ + , @ / - because scp passes it through the remote shell; "
                        + "use sftp:// for other file names");
            }
        }

        @Override
        public String toString() {
            String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return scheme + "://" + user + "@" + h + (port == 22 ? "" : ":" + port) + path;
        }
    }

    /**
     * Parses a location as a user writes it.
     *
     * @param location the path or URL
     * @param sha256   the expected SHA-256 (64 hex digits), or null/blank
     * @throws IllegalArgumentException naming the field ({@code bundle} / {@code bundleSha256}) and the
     *                                  accepted form
     */
    static BundleLocation parse(String location, String sha256) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("bundle: no location given; expected " + FORMS);
        }
        Optional<String> sum = Sha256.parse(sha256);
        String lower = location.toLowerCase(Locale.ROOT);
        // Every message below echoes `shown`: a URL's user information may hold a password or token.
        String shown = SecretMasker.redactUserInfo(location);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            if (!shown.equals(location)) {
                throw new IllegalArgumentException("bundle: credentials in the URL are not accepted (user:password@ "
                        + "or token@ would reach logs and manifest.json): use a mirror that needs none, or "
                        + "sftp://user@host/path/MLNX_OFED_LINUX-....tgz with an SSH key");
            }
            URI uri = uri(location, shown);
            if (uri.getHost() == null || uri.getRawPath() == null) {
                throw new IllegalArgumentException("bundle: '" + shown + "' has no host or path; expected " + FORMS);
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("bundle: credentials in the URL are not accepted: use a mirror "
                        + "that needs none, or sftp:// with SSH credentials");
            }
            return new Http(uri, nameOf(uri.getPath()), sum);
        }
        if (lower.startsWith("sftp://") || lower.startsWith("scp://")) {
            URI uri = uri(location, shown);
            String user = uri.getUserInfo();
            if (user != null && user.contains(":")) {
                // Not echoed: the location holds a password.
                throw new IllegalArgumentException("bundle: the location must name the user and no password "
                        + "(authentication is by SSH key): sftp://user@host[:port]/path/MLNX_OFED_LINUX-....tgz");
            }
            if (user == null || user.isEmpty()) {
                throw new IllegalArgumentException("bundle: '" + shown + "' must name the user and no password: "
                        + "sftp://user@host[:port]/path/MLNX_OFED_LINUX-....tgz");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("bundle: '" + shown + "' has no valid host; expected "
                        + "sftp://user@host[:port]/path/MLNX_OFED_LINUX-....tgz");
            }
            String path = uri.getPath();
            if (path == null || path.isEmpty() || "/".equals(path)) {
                throw new IllegalArgumentException("bundle: '" + shown + "' has no path to the bundle file");
            }
            int port = uri.getPort() == -1 ? 22 : uri.getPort();
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new Ssh(uri.getScheme().toLowerCase(Locale.ROOT), user, host, port, path, nameOf(path), sum);
        }
        if (!shown.equals(location)) {
            throw new IllegalArgumentException("bundle: the location looks like user:password@host:path; passwords "
                    + "are not accepted: write scp://user@host[:port]/absolute/path/MLNX_OFED_LINUX-....tgz (or sftp://) "
                    + "with an SSH key");
        }
        if (location.matches("^[A-Za-z0-9._-]+@[A-Za-z0-9.\\[\\]:-]+:.*") && !location.startsWith("/")) {
            throw new IllegalArgumentException("bundle: '" + shown + "' looks like an scp target; write it as "
                    + "scp://user@host[:port]/absolute/path/MLNX_OFED_LINUX-....tgz (or sftp://)");
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("bundle: unsupported scheme in '" + shown + "'; expected " + FORMS);
        }
        Path path = Path.of(location);
        return new Local(path, nameOf(path.getFileName() == null ? "" : path.getFileName().toString()), sum);
    }

    private static URI uri(String location, String shown) {
        try {
            return new URI(location);
        } catch (URISyntaxException e) {
            // not chained: the exception's input is the whole location
            throw new IllegalArgumentException("bundle: '" + shown + "' is not a valid URL (" + e.getReason()
                    + "); expected " + FORMS);
        }
    }

    private static OfedBundleName nameOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        try {
            return OfedBundleName.parse(name);
        } catch (IllegalArgumentException e) {
            String shown = SecretMasker.redactUserInfo(name);
            throw new IllegalArgumentException("bundle: " + e.getMessage().replace(name, shown));
        }
    }

    /** SHA-256 text handling for bundle checksums. */
    final class Sha256 {
        private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

        private Sha256() {
        }

        static Optional<String> parse(String text) {
            if (text == null || text.isBlank()) {
                return Optional.empty();
            }
            String t = text.strip().toLowerCase(Locale.ROOT);
            if (!HEX64.matcher(t).matches()) {
                throw new IllegalArgumentException("bundleSha256: '" + text.strip()
                        + "' is not a SHA-256; expected 64 hexadecimal digits");
            }
            return Optional.of(t);
        }

        static Optional<String> normalize(Optional<String> sum) {
            Objects.requireNonNull(sum, "sha256");
            return sum.isEmpty() ? sum : parse(sum.get());
        }
    }
}
