package io.github.mellanoxlustre.ofed;

import io.github.mellanoxlustre.rpm.RpmPackage;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One OFED RPM file and what its headers say.
 *
 * @param file the RPM file
 * @param pkg  its headers
 */
public record OfedRpm(Path file, RpmPackage pkg) {
    public OfedRpm {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(pkg, "pkg");
    }
}
