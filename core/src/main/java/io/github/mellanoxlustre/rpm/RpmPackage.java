package io.github.mellanoxlustre.rpm;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What an RPM's headers say about it: read from the lead, signature header and main header only,
 * never from the payload.
 *
 * @param name              NAME
 * @param epoch             EPOCH, empty when the package has none ({@code (none)} in {@code rpm -qp})
 * @param version           VERSION
 * @param release           RELEASE
 * @param arch              ARCH ({@code x86_64}, {@code noarch}, ...)
 * @param license           LICENSE, empty when absent
 * @param source            whether this is a source package (SRPM)
 * @param sourceRpm         SOURCERPM of a binary package, empty for a source package
 * @param requires          REQUIRENAME/FLAGS/VERSION in header order, including {@code rpmlib(...)}
 * @param provides          PROVIDENAME/FLAGS/VERSION in header order
 * @param files             the full path of each file, in header order
 * @param payloadCompressor PAYLOADCOMPRESSOR ({@code gzip}, {@code xz}, {@code zstd}, {@code bzip2},
 *                          {@code lzma}), or empty when the payload is stored uncompressed or the
 *                          tag is absent
 * @param headerBytes       where the payload starts: the bytes of lead and both headers
 * @param leadType          the type the lead (the file's first 96 bytes) gives: 0 binary, 1 source.
 *                          Neither rpm nor this reader decides anything from it (no digest or
 *                          signature covers the lead); it is kept so that a disagreement with
 *                          the header can be reported ({@link #leadAgrees()})
 * @param noSource          a source package that leaves out sources or patches (NOSOURCE or
 *                          NOPATCH): rpm shows it as {@code .nosrc}
 *
 * <p>The lists read from a file are views of its header bytes, decoded as they are read: iterate
 * them rather than copying them, a header may hold a million entries.
 */
public record RpmPackage(
        String name,
        OptionalInt epoch,
        String version,
        String release,
        String arch,
        String license,
        boolean source,
        String sourceRpm,
        List<RpmDependency> requires,
        List<RpmDependency> provides,
        List<String> files,
        String payloadCompressor,
        long headerBytes,
        int leadType,
        boolean noSource) {

    public RpmPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(release, "release");
        arch = arch == null ? "" : arch;
        license = license == null ? "" : license;
        sourceRpm = sourceRpm == null ? "" : sourceRpm;
        requires = immutable(requires);
        provides = immutable(provides);
        files = immutable(files);
        payloadCompressor = payloadCompressor == null ? "" : payloadCompressor;
        noSource = source && noSource;
    }

    /** A package whose lead agrees with its header, and no NOSOURCE/NOPATCH. */
    public RpmPackage(String name, OptionalInt epoch, String version, String release, String arch, String license,
            boolean source, String sourceRpm, List<RpmDependency> requires, List<RpmDependency> provides,
            List<String> files, String payloadCompressor, long headerBytes) {
        this(name, epoch, version, release, arch, license, source, sourceRpm, requires, provides, files,
                payloadCompressor, headerBytes, source ? 1 : 0, false);
    }

    /** The reader's views are immutable already; anything else is copied. */
    private static <T> List<T> immutable(List<T> list) {
        if (list instanceof HeaderStrings || list instanceof HeaderDependencies || list instanceof HeaderFiles) {
            return list;
        }
        return List.copyOf(list);
    }

    /**
     * {@code name-[epoch:]version-release.arch}; a source package ends in {@code .src} (or
     * {@code .nosrc}) as rpm shows it ({@code rpm -qp}'s {@code %{nvr}%{archsuffix}}), whatever its
     * ARCH tag says.
     */
    public String nevra() {
        return identity().nevra();
    }

    /** Whether the lead's type (0 binary, 1 source) says what the header says. */
    public boolean leadAgrees() {
        return leadType == (source ? 1 : 0);
    }

    /** What reports show of this package, without its lists. */
    public RpmIdentity identity() {
        return new RpmIdentity(name, epoch, version, release, arch, license, source, noSource);
    }

    /** {@code version-release}. */
    public String versionRelease() {
        return version + "-" + release;
    }
}
