package io.github.mellanoxlustre.ofed;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A bundle fetched into the build's work directory: the local file, the SHA-256 of exactly the bytes
 * written there (computed while copying or downloading; the build manifest records it and the OFED
 * module cache is keyed by it) and its size.
 *
 * @param file   the local bundle file ({@code <destDir>/MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz})
 * @param sha256 its SHA-256, 64 lowercase hexadecimal digits
 * @param size   its size in bytes
 */
public record FetchedBundle(Path file, String sha256, long size) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public FetchedBundle {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        if (!HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256: '" + sha256 + "' is not 64 lowercase hexadecimal digits");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size: " + size + " is negative");
        }
    }
}
