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
        long headerBytes) {

    public RpmPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(release, "release");
        arch = arch == null ? "" : arch;
        license = license == null ? "" : license;
        sourceRpm = sourceRpm == null ? "" : sourceRpm;
        requires = List.copyOf(requires);
        provides = List.copyOf(provides);
        files = List.copyOf(files);
        payloadCompressor = payloadCompressor == null ? "" : payloadCompressor;
    }

    /** {@code name-[epoch:]version-release.arch}, as rpm names an installed package. */
    public String nevra() {
        String e = epoch.isPresent() ? epoch.getAsInt() + ":" : "";
        return name + "-" + e + version + "-" + release + "." + arch;
    }

    /** {@code version-release}. */
    public String versionRelease() {
        return version + "-" + release;
    }
}
