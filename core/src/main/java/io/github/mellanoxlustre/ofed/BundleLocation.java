package io.github.mellanoxlustre.ofed;

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

        @Override
        public String toString() {
            return uri.toString();
        }
    }

    /** A bundle read over SSH ({@code sftp} or {@code scp}). */
    record Ssh(String scheme, String user, String host, int port, String path, OfedBundleName bundleName,
               Optional<String> sha256) implements BundleLocation {
        public Ssh {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(bundleName, "bundleName");
            sha256 = Sha256.normalize(sha256);
        }

        @Override
        public String toString() {
            return scheme + "://" + user + "@" + host + (port == 22 ? "" : ":" + port) + path;
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
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            URI uri = uri(location);
            if (uri.getHost() == null || uri.getRawPath() == null) {
                throw new IllegalArgumentException("bundle: '" + location + "' has no host or path; expected " + FORMS);
            }
            if (uri.getUserInfo() != null) {
                throw new IllegalArgumentException("bundle: credentials in the URL are not accepted: use a mirror "
                        + "that needs none, or sftp:// with SSH credentials");
            }
            return new Http(uri, nameOf(uri.getPath()), sum);
        }
        if (lower.startsWith("sftp://") || lower.startsWith("scp://")) {
            URI uri = uri(location);
            String user = uri.getUserInfo();
            if (user == null || user.isEmpty() || user.contains(":")) {
                throw new IllegalArgumentException("bundle: '" + location + "' must name the user and no password: "
                        + "sftp://user@host[:port]/path/MLNX_OFED_LINUX-....tgz");
            }
            if (!Pattern.matches("[A-Za-z0-9._][A-Za-z0-9._-]*", user)) {
                throw new IllegalArgumentException("bundle: user '" + user + "' may use letters, digits, '.', '_' and '-'");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("bundle: '" + location + "' has no valid host; expected "
                        + "sftp://user@host[:port]/path/MLNX_OFED_LINUX-....tgz");
            }
            String path = uri.getPath();
            if (path == null || path.isEmpty() || "/".equals(path)) {
                throw new IllegalArgumentException("bundle: '" + location + "' has no path to the bundle file");
            }
            int port = uri.getPort() == -1 ? 22 : uri.getPort();
            return new Ssh(uri.getScheme().toLowerCase(Locale.ROOT), user, uri.getHost(), port, path, nameOf(path), sum);
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("bundle: unsupported scheme in '" + location + "'; expected " + FORMS);
        }
        Path path = Path.of(location);
        return new Local(path, nameOf(path.getFileName() == null ? "" : path.getFileName().toString()), sum);
    }

    private static URI uri(String location) {
        try {
            return new URI(location);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bundle: '" + location + "' is not a valid URL (" + e.getReason()
                    + "); expected " + FORMS, e);
        }
    }

    private static OfedBundleName nameOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        try {
            return OfedBundleName.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bundle: " + e.getMessage(), e);
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
