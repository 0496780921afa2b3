package io.github.mellanoxlustre.ofed;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a build's OFED comes from; exactly one per build.
 *
 * <ul>
 *   <li>{@link Bundle}: an MLNX_OFED bundle, {@code MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz};</li>
 *   <li>{@link SourceRpm}: a bare {@code mlnx-ofa_kernel-<version>.src.rpm} (from a bundle's
 *       {@code src/MLNX_OFED_SRC-*.tgz} or a DOCA repository), rebuilt for the target kernel;</li>
 *   <li>{@link DocaRepo}: a DOCA-Host repository ({@code doca/<version>/}); its kernel package's
 *       source is {@code SOURCES/mlnx_ofed/MLNX_OFED_SRC-<ofed version>.tgz}, which holds
 *       {@code SRPMS/mlnx-ofa_kernel-*.src.rpm}. The prebuilt kernel packages of its binary
 *       repositories are for the distribution's stock kernel and are never taken;</li>
 *   <li>{@link Installed}: the OFED already installed on the machine that builds (or unpacked
 *       under a root directory): nothing is rebuilt and nothing of OFED is published.</li>
 * </ul>
 * The first three are files fetched with the same rules ({@link BundleLocation}: a path,
 * {@code http(s)://} with a required SHA-256, {@code sftp://}/{@code scp://} with host-key checking).
 */
public sealed interface OfedSource {

    /** The request field that names this source (its error messages start with it). */
    String field();

    /** The file to fetch, for the sources that are one. */
    Optional<BundleLocation> location();

    /** A short description for the build's banner and plan. */
    String describe();

    /** An MLNX_OFED bundle. */
    record Bundle(BundleLocation bundle) implements OfedSource {
        public Bundle {
            Objects.requireNonNull(bundle, "bundle");
            if (bundle.kind() != BundleLocation.Kind.BUNDLE) {
                throw new IllegalArgumentException("bundle: " + bundle + " is not an MLNX_OFED bundle location");
            }
        }

        @Override
        public String field() {
            return BundleLocation.Kind.BUNDLE.field();
        }

        @Override
        public Optional<BundleLocation> location() {
            return Optional.of(bundle);
        }

        @Override
        public String describe() {
            return "MLNX_OFED bundle " + bundle.fileName();
        }
    }

    /** A bare {@code mlnx-ofa_kernel} source RPM. */
    record SourceRpm(BundleLocation srpm) implements OfedSource {
        public SourceRpm {
            Objects.requireNonNull(srpm, "srpm");
            if (srpm.kind() != BundleLocation.Kind.SOURCE_RPM) {
                throw new IllegalArgumentException("ofedSrpm: " + srpm + " is not a source RPM location");
            }
        }

        @Override
        public String field() {
            return BundleLocation.Kind.SOURCE_RPM.field();
        }

        @Override
        public Optional<BundleLocation> location() {
            return Optional.of(srpm);
        }

        @Override
        public String describe() {
            return "OFED source RPM " + srpm.fileName();
        }
    }

    /**
     * A DOCA-Host repository.
     *
     * @param dir     a local {@code doca/<version>/} directory (or its {@code SOURCES/mlnx_ofed}), or
     * @param sources the repository's {@code MLNX_OFED_SRC-<version>.tgz} named directly (any fetch form)
     */
    record DocaRepo(Optional<Path> dir, Optional<BundleLocation> sources) implements OfedSource {
        public DocaRepo {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(sources, "sources");
            if (dir.isPresent() == sources.isPresent()) {
                throw new IllegalArgumentException("docaRepo: give either a directory or the sources archive");
            }
            sources.ifPresent(s -> {
                if (s.kind() != BundleLocation.Kind.DOCA_SOURCES) {
                    throw new IllegalArgumentException("docaRepo: " + s + " is not an MLNX_OFED_SRC archive location");
                }
            });
        }

        @Override
        public String field() {
            return BundleLocation.Kind.DOCA_SOURCES.field();
        }

        @Override
        public Optional<BundleLocation> location() {
            return sources;
        }

        /** The DOCA version the repository's path names ({@code .../doca/3.2.1/...}), when it does. */
        public Optional<String> docaVersion() {
            String where = dir.map(Path::toString).orElseGet(() -> sources.get().toString());
            java.util.regex.Matcher m = DOCA_VERSION.matcher(where);
            String found = null;
            while (m.find()) {
                found = m.group(1);
            }
            return Optional.ofNullable(found);
        }

        @Override
        public String describe() {
            return "DOCA-OFED repository " + dir.map(Path::toString).orElseGet(() -> sources.get().toString());
        }

        private static final Pattern DOCA_VERSION = Pattern.compile("(?:^|/)doca/(\\d+(?:\\.\\d+){1,3})(?:/|$)");
    }

    /**
     * The OFED installed on the machine that builds.
     *
     * @param dir the OFED kernel tree itself (the directory with {@code ofed_scripts} and
     *            {@code include/rdma}), or a root directory under which to look the way Lustre's
     *            configure does; empty: this machine ({@code ofed_info}, the package manager, then
     *            {@code /usr/src/ofa_kernel})
     */
    record Installed(Optional<Path> dir) implements OfedSource {
        public Installed {
            Objects.requireNonNull(dir, "dir");
        }

        @Override
        public String field() {
            return "ofedInstalled";
        }

        @Override
        public Optional<BundleLocation> location() {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "installed OFED" + dir.map(d -> " in " + d).orElse(" on this machine");
        }
    }

    /**
     * Parses a DOCA repository as a user gives it: a path or URL ending in
     * {@code MLNX_OFED_SRC-<version>.tgz} is the sources archive itself (fetched like a bundle);
     * any other local path is the repository directory. A URL must name the archive: a web
     * server's directory listing is not a contract.
     *
     * @throws IllegalArgumentException starting with {@code docaRepo:}, naming the accepted forms
     */
    static DocaRepo parseDoca(String where, String sha256) {
        if (where == null || where.isBlank()) {
            throw new IllegalArgumentException("docaRepo: no location given; expected " + DOCA_FORMS);
        }
        String trimmed = where.endsWith("/") && where.length() > 1 ? where.substring(0, where.length() - 1) : where;
        String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        boolean url = trimmed.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*");
        if (last.startsWith("MLNX_OFED_SRC-") || url) {
            if (url && !last.startsWith("MLNX_OFED_SRC-")) {
                throw new IllegalArgumentException("docaRepo: a URL must name the repository's sources archive, "
                        + ".../doca/<version>/SOURCES/mlnx_ofed/MLNX_OFED_SRC-<ofed version>.tgz (with its SHA-256), "
                        + "not a directory; or give a local copy of the repository directory");
            }
            return new DocaRepo(Optional.empty(), Optional.of(BundleLocation.parse(BundleLocation.Kind.DOCA_SOURCES,
                    where, sha256)));
        }
        if (sha256 != null && !sha256.isBlank()) {
            throw new IllegalArgumentException("bundleSha256: only for a file that is fetched; a DOCA repository "
                    + "directory is read in place (its MLNX_OFED_SRC archive's SHA-256 is recorded in the manifest)");
        }
        return new DocaRepo(Optional.of(Path.of(where)), Optional.empty());
    }

    /** The accepted forms of a DOCA repository, as shown in error messages. */
    String DOCA_FORMS = "a local doca/<version>/ directory of a DOCA-Host repository (or a mirror of it), or its "
            + "sources archive doca/<version>/SOURCES/mlnx_ofed/MLNX_OFED_SRC-<ofed version>.tgz as a path, "
            + "https:// URL (with a SHA-256) or sftp://user@host[:port]/path";

    /**
     * Parses a source RPM location.
     *
     * @throws IllegalArgumentException starting with {@code ofedSrpm:} or {@code bundleSha256:}
     */
    static SourceRpm parseSrpm(String where, String sha256) {
        return new SourceRpm(BundleLocation.parse(BundleLocation.Kind.SOURCE_RPM, where, sha256));
    }

    /**
     * Parses a bundle location.
     *
     * @throws IllegalArgumentException starting with {@code bundle:} or {@code bundleSha256:}
     */
    static Bundle parseBundle(String where, String sha256) {
        return new Bundle(BundleLocation.parse(where, sha256));
    }
}
