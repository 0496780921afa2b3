package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.ofed.OfedBundleName;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The fetched, verified and extracted MLNX_OFED bundle.
 *
 * @param dir    the bundle's top directory ({@code <work>/ofed/MLNX_OFED_LINUX-...})
 * @param name   its parsed name
 * @param sha256 the SHA-256 of the bundle file as fetched
 * @param file   the fetched bundle file
 */
public record OfedBundleDir(Path dir, OfedBundleName name, String sha256, Path file) {
    public OfedBundleDir {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(file, "file");
    }
}
