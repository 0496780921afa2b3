package io.github.mellanoxlustre.standin;

import java.nio.file.Path;
import java.util.Map;

/**
 * A stand-in ZFS development tree made by {@link ZfsDevelFixture}: what an unpacked
 * {@code zfs-dkms}/{@code kmod-zfs-devel} gives, for Lustre's {@code --with-zfs} and {@code --with-zfs-obj}.
 *
 * @param root the directory standing for {@code /}
 * @param version ZFS version, e.g. {@code 2.1.15}
 * @param kernelRelease the kernel the objects are built for
 * @param symbolCrcs symbols of {@link #moduleSymvers()} with their CRCs
 */
public record ZfsDevel(Path root, String version, String kernelRelease, Map<String, String> symbolCrcs) {

    public ZfsDevel {
        symbolCrcs = Map.copyOf(symbolCrcs);
    }

    /** {@code <root>/usr/src/zfs-<version>}: the {@code --with-zfs} path. */
    public Path sourceDir() {
        return root.resolve("usr/src/zfs-" + version);
    }

    /** {@code <root>/usr/src/zfs-<version>/<kernel>}: the {@code --with-zfs-obj} path. */
    public Path objectDir() {
        return sourceDir().resolve(kernelRelease);
    }

    /** {@code <objectDir>/Module.symvers}. */
    public Path moduleSymvers() {
        return objectDir().resolve("Module.symvers");
    }
}
