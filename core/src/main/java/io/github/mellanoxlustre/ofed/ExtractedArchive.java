package io.github.mellanoxlustre.ofed;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SafeArchiveExtractor} extracted.
 *
 * @param target   the directory the archive was extracted into
 * @param entries  the number of entries extracted (files, directories, links)
 * @param bytes    the bytes of regular file content written
 * @param topLevel the names directly under {@code target}, sorted (an MLNX_OFED bundle has exactly one,
 *                 {@code MLNX_OFED_LINUX-<version>-<distro>-<arch>})
 */
public record ExtractedArchive(Path target, int entries, long bytes, List<String> topLevel) {
    public ExtractedArchive {
        Objects.requireNonNull(target, "target");
        topLevel = List.copyOf(topLevel);
    }
}
