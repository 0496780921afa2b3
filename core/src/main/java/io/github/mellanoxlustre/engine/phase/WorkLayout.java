package io.github.mellanoxlustre.engine.phase;

import java.nio.file.Path;
import java.util.List;

/**
 * Where one build keeps its scratch files under the work directory.
 *
 * <pre>
 * &lt;work&gt;/.mlnx-lustre-work   marker: the engine made this directory and may clean it
 * &lt;work&gt;/logs/NN-phase.log   one log per phase
 * &lt;work&gt;/download/           the fetched bundle
 * &lt;work&gt;/ofed/               the extracted bundle (&lt;work&gt;/ofed/MLNX_OFED_LINUX-.../)
 * &lt;work&gt;/ofed-src/           MLNX_OFED_SRC extracted, when the SRPM is only in src/MLNX_OFED_SRC-*.tgz
 * &lt;work&gt;/ofed-build/         rpmbuild _topdir (srpm-rebuild) or --tmpdir (add-kernel-support)
 * &lt;work&gt;/ofed-ext/           the extracted -ext bundle
 * &lt;work&gt;/ofed-devel/         mlnx-ofa_kernel-devel unpacked (rpm2cpio | cpio)
 * &lt;work&gt;/lustre/             the Lustre source tree that is configured and built
 * &lt;work&gt;/tmp/                private temporary files (a decrypted git key, 0700)
 * </pre>
 *
 * @param root the work directory
 */
public record WorkLayout(Path root) {
    /** The marker file that lets the engine clean a work directory it made. */
    public static final String MARKER = ".mlnx-lustre-work";

    public WorkLayout {
        root = root.toAbsolutePath().normalize();
    }

    public Path marker() {
        return root.resolve(MARKER);
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path download() {
        return root.resolve("download");
    }

    public Path bundle() {
        return root.resolve("ofed");
    }

    public Path ofedSrc() {
        return root.resolve("ofed-src");
    }

    public Path ofedBuild() {
        return root.resolve("ofed-build");
    }

    public Path ofedExt() {
        return root.resolve("ofed-ext");
    }

    public Path ofedDevel() {
        return root.resolve("ofed-devel");
    }

    public Path lustre() {
        return root.resolve("lustre");
    }

    /** Where phase 8 unpacks the Lustre kernel module packages to read their modules. */
    public Path verify() {
        return root.resolve("verify");
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    /** Every directory a build makes, cleaned at the start of the next build in the same work dir. */
    public List<Path> scratch() {
        return List.of(logs(), download(), bundle(), ofedSrc(), ofedBuild(), ofedExt(), ofedDevel(), lustre(), verify(), tmp());
    }
}
