package io.github.mellanoxlustre.publish;

import io.github.mellanoxlustre.rpm.RpmPackage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * An RPM a build made (or took from its OFED cache), ready to be checked and published.
 *
 * @param file   where it is now
 * @param pkg    its headers
 * @param origin which part of the build it comes from
 */
public record BuiltRpm(Path file, RpmPackage pkg, Origin origin) {

    /** Which part of the build an RPM comes from. */
    public enum Origin {
        /** Lustre's {@code make rpms} / {@code make dkms-rpms}. */
        LUSTRE,
        /** OFED's kernel packages rebuilt for the target kernel. */
        OFED;

        /** {@code lustre} or {@code ofed}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BuiltRpm {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(pkg, "pkg");
        Objects.requireNonNull(origin, "origin");
    }

    /** The file name. */
    public String fileName() {
        return file.getFileName().toString();
    }
}
