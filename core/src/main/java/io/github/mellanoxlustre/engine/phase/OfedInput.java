package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.kernel.ModuleSymvers;
import io.github.mellanoxlustre.ofed.OfedRelease;
import io.github.mellanoxlustre.ofed.OfedSource;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What phase 2 made of the OFED source: which OFED it is and what the next phases work from.
 *
 * @param source    the source the request named
 * @param release   flavour, version and architecture
 * @param file      the fetched file (bundle, source RPM or DOCA sources archive); empty for an installed OFED
 * @param sha256    its SHA-256; empty for an installed OFED
 * @param bundle    the extracted bundle, for a bundle
 * @param srpm      the {@code mlnx-ofa_kernel} source RPM, for a source RPM or DOCA repository
 * @param installed the installed OFED's kernel tree and its symbols, for an installed OFED
 */
public record OfedInput(OfedSource source, OfedRelease release, Optional<Path> file, Optional<String> sha256,
                 Optional<OfedBundleDir> bundle, Optional<Path> srpm, Optional<InstalledTree> installed) {

    public OfedInput {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(srpm, "srpm");
        Objects.requireNonNull(installed, "installed");
    }

    /**
     * An installed OFED's kernel development tree.
     *
     * @param dir     the directory for {@code --with-o2ib}
     * @param symvers its {@code Module.symvers}
     * @param why     how it was found, for the log and the manifest
     */
    record InstalledTree(Path dir, ModuleSymvers symvers, String why) {
    }

    static OfedInput ofBundle(OfedSource source, OfedBundleDir bundle) {
        return new OfedInput(source, OfedRelease.of(bundle.name()), Optional.of(bundle.file()),
                Optional.of(bundle.sha256()), Optional.of(bundle), Optional.empty(), Optional.empty());
    }

    static OfedInput ofSourceRpm(OfedSource source, OfedRelease release, Path file, String sha256, Path srpm) {
        return new OfedInput(source, release, Optional.of(file), Optional.of(sha256), Optional.empty(),
                Optional.of(srpm), Optional.empty());
    }

    static OfedInput ofInstalled(OfedSource source, OfedRelease release, InstalledTree tree) {
        return new OfedInput(source, release, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(tree));
    }

    /** Whether OFED's kernel modules are built (and published) by this build. */
    public boolean rebuilds() {
        return installed.isEmpty();
    }
}
