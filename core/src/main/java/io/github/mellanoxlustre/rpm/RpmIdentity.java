package io.github.mellanoxlustre.rpm;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a report shows of a package: its name, version and kind, without its file and dependency
 * lists (so that a check of many files keeps little of each).
 *
 * @param name     NAME
 * @param epoch    EPOCH, empty when the package has none
 * @param version  VERSION
 * @param release  RELEASE
 * @param arch     ARCH, empty when absent
 * @param license  LICENSE, empty when absent
 * @param source   whether it is a source package (decided from the header, as rpm decides)
 * @param noSource a source package without some sources or patches ({@code .nosrc})
 */
public record RpmIdentity(String name, OptionalInt epoch, String version, String release, String arch,
                          String license, boolean source, boolean noSource) {

    public RpmIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(release, "release");
        arch = arch == null ? "" : arch;
        license = license == null ? "" : license;
        noSource = source && noSource;
    }

    /**
     * {@code name-[epoch:]version-release} and rpm's arch suffix ({@code %{archsuffix}}):
     * {@code .src} or {@code .nosrc} for a source package, else {@code .arch} (nothing when the
     * header has no ARCH). rpm's default query output is the same without the epoch.
     */
    public String nevra() {
        String e = epoch.isPresent() ? epoch.getAsInt() + ":" : "";
        return name + "-" + e + version + "-" + release + archSuffix();
    }

    /** {@code .src}, {@code .nosrc}, {@code .arch} or empty, as rpm's {@code archsuffixTag} (lib/tagexts.c). */
    public String archSuffix() {
        if (source) {
            return noSource ? ".nosrc" : ".src";
        }
        return arch.isEmpty() ? "" : "." + arch;
    }

    /** {@code version-release}. */
    public String versionRelease() {
        return version + "-" + release;
    }
}
