package io.github.mellanoxlustre.lustre;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How Lustre is configured and packaged.
 *
 * @param server    a server build (otherwise client-only, {@code --disable-server})
 * @param backends  the OSD backends of a server build ({@code ldiskfs}, {@code zfs}); empty for a client
 * @param zfsSource the ZFS development tree ({@code --with-zfs}), required with the zfs backend
 * @param zfsObj    the ZFS object tree ({@code --with-zfs-obj}), optional
 * @param packaging {@code kmod} ({@code make rpms}) and/or {@code dkms} ({@code make dkms-rpms})
 * @param makeJobs  {@code make -j}; at least 1
 */
public record LustreOptions(boolean server, Set<Backend> backends, Optional<Path> zfsSource, Optional<Path> zfsObj,
                            Set<Packaging> packaging, int makeJobs) {

    /** OSD backend. */
    public enum Backend {
        LDISKFS, ZFS;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Backend parse(String text) {
            for (Backend b : values()) {
                if (b.id().equals(text)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("backends: '" + text + "' is not an OSD backend; expected ldiskfs, zfs or both");
        }
    }

    /** Packaging. */
    public enum Packaging {
        KMOD, DKMS;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Packaging parse(String text) {
            for (Packaging p : values()) {
                if (p.id().equals(text)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("packaging: '" + text + "' is not a packaging; expected kmod, dkms or both");
        }
    }

    public LustreOptions {
        Objects.requireNonNull(backends, "backends");
        Objects.requireNonNull(packaging, "packaging");
        Objects.requireNonNull(zfsSource, "zfsSource");
        Objects.requireNonNull(zfsObj, "zfsObj");
        backends = backends.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(backends));
        packaging = Set.copyOf(packaging);
        if (packaging.isEmpty()) {
            throw new IllegalArgumentException("packaging: choose kmod, dkms or both");
        }
        if (server && backends.isEmpty()) {
            throw new IllegalArgumentException("backends: a server build needs ldiskfs, zfs or both");
        }
        if (!server && !backends.isEmpty()) {
            throw new IllegalArgumentException("backends: a client-only build has no OSD backend; remove " + backends
                    + " or build the server");
        }
        if (backends.contains(Backend.ZFS) && zfsSource.isEmpty()) {
            throw new IllegalArgumentException("zfsSource: the zfs backend needs the ZFS development tree "
                    + "(e.g. /usr/src/zfs-2.1.15)");
        }
        if (!backends.contains(Backend.ZFS) && (zfsSource.isPresent() || zfsObj.isPresent())) {
            throw new IllegalArgumentException("zfsSource: given without the zfs backend");
        }
        if (makeJobs < 1 || makeJobs > 1024) {
            throw new IllegalArgumentException("makeJobs: " + makeJobs + " is not a job count; expected 1 to 1024");
        }
    }
}
