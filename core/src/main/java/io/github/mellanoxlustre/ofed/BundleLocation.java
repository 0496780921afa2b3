package io.github.mellanoxlustre.ofed;

import io.github.mellanoxlustre.process.SecretMasker;
import io.github.mellanoxlustre.ssh.RemoteFile;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where an OFED input file comes from (an MLNX_OFED bundle, a bare {@code mlnx-ofa_kernel} source
 * RPM, or a DOCA repository's {@code MLNX_OFED_SRC-<version>.tgz}; see {@link Kind}): a local path,
 * an {@code http(s)://} URL (with a required SHA-256), or an {@code sftp://} /
 * {@code scp://user@host[:port]/path} location read over SSH. Every form names the file, whose name
 * the kind checks (a bundle's must parse as an {@link OfedBundleName}).
 */
public sealed interface BundleLocation {

    /** The accepted forms of a bundle location, as shown in error messages. */
    String FORMS = Kind.BUNDLE.forms();

    /** What kind of OFED file a location names; each has its request field and file-name rule. */
    enum Kind {
        /** An MLNX_OFED bundle, {@code MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz}. */
        BUNDLE("bundle", "MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz", "MLNX_OFED_LINUX-....tgz"),
        /** A bare {@code mlnx-ofa_kernel} source RPM (its version is read from its header, not its name). */
        SOURCE_RPM("ofedSrpm", "mlnx-ofa_kernel-<version>.src.rpm", "mlnx-ofa_kernel-....src.rpm"),
        /** A DOCA-Host repository's {@code SOURCES/mlnx_ofed/MLNX_OFED_SRC-<version>.tgz}. */
        DOCA_SOURCES("docaRepo", "MLNX_OFED_SRC-<version>.tgz", "doca/<doca version>/SOURCES/mlnx_ofed/MLNX_OFED_SRC-....tgz");

        private static final Pattern SRPM = Pattern.compile("[A-Za-z0-9._+-]+\\.src\\.rpm");
        private static final Pattern DOCA = Pattern.compile("MLNX_OFED_SRC-[0-9][A-Za-z0-9._-]*\\.(tgz|tar\\.gz)");

        private final String field;
        private final String form;
        private final String example;

        Kind(String field, String form, String example) {
            this.field = field;
            this.form = form;
            this.example = example;
        }

        /** The request field that names a location of this kind (its messages start with it). */
        public String field() {
            return field;
        }

        /** The accepted forms, as shown in error messages. */
        public String forms() {
            return "a path to " + form + ", https://host/path/" + example + " (with a SHA-256), "
                    + "or sftp://user@host[:port]/path/" + example + " (scp:// likewise)";
        }

        String example() {
            return example;
        }

        /** Checks a file name (a bare name, not a path). */
        void checkName(String name) {
            switch (this) {
                case BUNDLE -> OfedBundleName.parse(name);
                case SOURCE_RPM -> {
                    if (!SRPM.matcher(name).matches()) {
                        throw new IllegalArgumentException("'" + name + "' is not a source RPM file name; expected "
                                + form + " (the version is read from the package header)");
                    }
                }
                case DOCA_SOURCES -> {
                    if (!DOCA.matcher(name).matches()) {
                        throw new IllegalArgumentException("'" + name + "' is not a DOCA repository's OFED source "
                                + "archive; expected " + form + " (under doca/<doca version>/SOURCES/mlnx_ofed/)");
                    }
                }
                default -> throw new IllegalStateException(name());
            }
        }
    }

    /** What kind of file this names. */
    Kind kind();

    /** The file's name (the last path segment, without query). */
    String fileName();

    /**
     * The bundle's parsed file name.
     *
     * @throws IllegalStateException when this is not a {@link Kind#BUNDLE} location
     */
    default OfedBundleName bundleName() {
        if (kind() != Kind.BUNDLE) {
            throw new IllegalStateException(kind() + " location has no bundle name");
        }
        return OfedBundleName.parse(fileName());
    }

    /** The SHA-256 the fetched bundle must have, lowercase hex; required for HTTP. */
    Optional<String> sha256();

    /** A bundle on the machine running the build (an agent-side path). */
    record Local(Path path, Kind kind, String fileName, Optional<String> sha256) implements BundleLocation {
        public Local {
            Objects.requireNonNull(path, "path");
            checked(kind, fileName);
            sha256 = Sha256.normalize(sha256);
        }

        /** A local bundle. */
        public Local(Path path, OfedBundleName bundleName, Optional<String> sha256) {
            this(path, Kind.BUNDLE, bundleName.fileName(), sha256);
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A bundle on an HTTP(S) server (a mirror): its SHA-256 is required. */
    record Http(URI uri, Kind kind, String fileName, Optional<String> sha256) implements BundleLocation {
        public Http {
            Objects.requireNonNull(uri, "uri");
            checked(kind, fileName);
            sha256 = Sha256.normalize(sha256);
            if (sha256.isEmpty()) {
                throw new IllegalArgumentException(kind.field() + ": an http(s) location needs the file's SHA-256 "
                        + "(64 hexadecimal digits) in the checksum field (bundleSha256)");
            }
        }

        /** A bundle on an HTTP(S) server. */
        public Http(URI uri, OfedBundleName bundleName, Optional<String> sha256) {
            this(uri, Kind.BUNDLE, bundleName.fileName(), sha256);
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
    record Ssh(String scheme, String user, String host, int port, String path, Kind kind, String fileName,
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
            checked(kind, fileName);
            sha256 = Sha256.normalize(sha256);
            String field = kind.field();
            if (!"sftp".equals(scheme) && !"scp".equals(scheme)) {
                throw new IllegalArgumentException(field + ": scheme '" + scheme + "' is not sftp or scp");
            }
            if (!USER.matcher(user).matches()) {
                throw new IllegalArgumentException(field + ": user '" + user
                        + "' may use letters, digits, '.', '_' and '-' (not starting with '-')");
            }
            if (host.isEmpty() || host.startsWith("-")) {
                throw new IllegalArgumentException(field + ": '" + host + "' is not a host name or address");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(field + ": port " + port + " is not 1 to 65535");
            }
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException(field + ": remote path '" + path + "' must be absolute");
            }
            if ("scp".equals(scheme) && !SCP_PATH.matcher(path).matches()) {
                // scp hands the path to the remote user's shell ("scp -f -- <path>"), unquoted.
                throw new IllegalArgumentException(field + ": the scp:// path '" + path + "' may only use letters, "
                        + "digits and . _ + , @ / - because scp passes it through the remote shell; "
                        + "use sftp:// for other file names");
            }
        }

        /** A bundle read over SSH. */
        public Ssh(String scheme, String user, String host, int port, String path, OfedBundleName bundleName,
                   Optional<String> sha256) {
            this(scheme, user, host, port, path, Kind.BUNDLE, bundleName.fileName(), sha256);
        }

        /** This location as the SSH transport reads it. */
        public RemoteFile remoteFile() {
            return new RemoteFile(scheme, user, host, port, path, toString());
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
        return parse(Kind.BUNDLE, location, sha256);
    }

    /**
     * Parses a location of the given kind as a user writes it.
     *
     * @throws IllegalArgumentException naming the kind's field ({@link Kind#field()}) or
     *                                  {@code bundleSha256}, and the accepted form
     */
    static BundleLocation parse(Kind kind, String location, String sha256) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException(kind.field() + ": no location given; expected " + kind.forms());
        }
        Optional<String> sum = Sha256.parse(sha256);
        String lower = location.toLowerCase(Locale.ROOT);
        // Every message echoes `shown`: a URL's user information may hold a password or token.
        String shown = SecretMasker.redactUserInfo(location);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return http(kind, location, shown, sum);
        }
        if (lower.startsWith("sftp://") || lower.startsWith("scp://")) {
            return ssh(kind, location, shown, sum);
        }
        return local(kind, location, shown, lower, sum);
    }

    private static Http http(Kind kind, String location, String shown, Optional<String> sum) {
        String f = kind.field();
        if (!shown.equals(location)) {
            throw new IllegalArgumentException(f + ": credentials in the URL are not accepted (user:password@ "
                    + "or token@ would reach logs and manifest.json): use a mirror that needs none, or "
                    + "sftp://user@host/path/" + kind.example() + " with an SSH key");
        }
        URI uri = uri(kind, location, shown);
        if (uri.getHost() == null || uri.getRawPath() == null) {
            throw new IllegalArgumentException(f + ": '" + shown + "' has no host or path; expected " + kind.forms());
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(f + ": credentials in the URL are not accepted: use a mirror "
                    + "that needs none, or sftp:// with SSH credentials");
        }
        return new Http(uri, kind, nameOf(kind, uri.getPath()), sum);
    }

    private static Ssh ssh(Kind kind, String location, String shown, Optional<String> sum) {
        String f = kind.field();
        String example = kind.example();
        URI uri = uri(kind, location, shown);
        String user = uri.getUserInfo();
        if (user != null && user.contains(":")) {
            // Not echoed: the location holds a password.
            throw new IllegalArgumentException(f + ": the location must name the user and no password "
                    + "(authentication is by SSH key): sftp://user@host[:port]/path/" + example);
        }
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException(f + ": '" + shown + "' must name the user and no password: "
                    + "sftp://user@host[:port]/path/" + example);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(f + ": '" + shown + "' has no valid host; expected "
                    + "sftp://user@host[:port]/path/" + example);
        }
        String path = uri.getPath();
        if (path == null || path.isEmpty() || "/".equals(path)) {
            throw new IllegalArgumentException(f + ": '" + shown + "' has no path to the file");
        }
        int port = uri.getPort() == -1 ? 22 : uri.getPort();
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Ssh(uri.getScheme().toLowerCase(Locale.ROOT), user, host, port, path, kind, nameOf(kind, path), sum);
    }

    /** A path on this machine; what only looks like one (scp targets, other schemes, passwords) is refused. */
    private static Local local(Kind kind, String location, String shown, String lower, Optional<String> sum) {
        String f = kind.field();
        String example = kind.example();
        if (!shown.equals(location)) {
            throw new IllegalArgumentException(f + ": the location looks like user:password@host:path; passwords "
                    + "are not accepted: write scp://user@host[:port]/absolute/path/" + example + " (or sftp://) "
                    + "with an SSH key");
        }
        if (location.matches("^[A-Za-z0-9._-]+@[A-Za-z0-9.\\[\\]:-]+:.*") && !location.startsWith("/")) {
            throw new IllegalArgumentException(f + ": '" + shown + "' looks like an scp target; write it as "
                    + "scp://user@host[:port]/absolute/path/" + example + " (or sftp://)");
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException(f + ": unsupported scheme in '" + shown + "'; expected " + kind.forms());
        }
        Path path = Path.of(location);
        return new Local(path, kind, nameOf(kind, path.getFileName() == null ? "" : path.getFileName().toString()), sum);
    }

    private static URI uri(Kind kind, String location, String shown) {
        try {
            return new URI(location);
        } catch (URISyntaxException e) {
            // not chained: the exception's input is the whole location
            throw new IllegalArgumentException(kind.field() + ": '" + shown + "' is not a valid URL ("
                    + e.getReason() + "); expected " + kind.forms());
        }
    }

    private static String nameOf(Kind kind, String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        try {
            kind.checkName(name);
            return name;
        } catch (IllegalArgumentException e) {
            String shown = SecretMasker.redactUserInfo(name);
            throw new IllegalArgumentException(kind.field() + ": " + e.getMessage().replace(name, shown));
        }
    }

    /** The kind and file name a record is made with, checked. */
    private static void checked(Kind kind, String fileName) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(fileName, "fileName");
        kind.checkName(fileName);
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
