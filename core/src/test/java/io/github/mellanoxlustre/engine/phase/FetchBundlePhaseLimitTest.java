package io.github.mellanoxlustre.engine.phase;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.engine.preflight.PreflightReport;
import io.github.mellanoxlustre.ofed.SafeArchiveExtractor;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The extraction limit a build derives from the free space preflight measured (issue 11, bomb limit). */
class FetchBundlePhaseLimitTest {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    private final SafeArchiveExtractor base = new SafeArchiveExtractor();

    private static Optional<PreflightReport.FreeSpace> free(long bytes) {
        return Optional.of(new PreflightReport.FreeSpace(Path.of("/w"), "/w (/dev/sdb1)", bytes));
    }

    @Test
    void limitIsTheFreeSpaceLessTheBundleAndAMargin() {
        assertThat(FetchBundlePhase.limited(base, free(10 * GIB), GIB).maxBytes()).isEqualTo(8 * GIB);
        // the margin is a tenth of the free space when that is less than 1 GiB
        assertThat(FetchBundlePhase.limited(base, free(100 * MIB), MIB).maxBytes()).isEqualTo(100 * MIB - MIB - 10 * MIB);
        // the extractor's own maximum when there is more room
        assertThat(FetchBundlePhase.limited(base, free(100 * GIB), GIB).maxBytes())
                .isEqualTo(SafeArchiveExtractor.DEFAULT_MAX_BYTES);
        // no room at all: nothing may be written
        assertThat(FetchBundlePhase.limited(base, free(MIB), 2 * MIB).maxBytes()).isZero();
        // not measured: unchanged
        assertThat(FetchBundlePhase.limited(base, Optional.empty(), GIB)).isSameAs(base);
    }
}
