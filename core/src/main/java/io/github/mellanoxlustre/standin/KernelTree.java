package io.github.mellanoxlustre.standin;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A stand-in kernel build tree made by {@link KernelTreeFixture} (what {@code --with-linux},
 * {@code K_SRC} and {@code -s|--kernel-sources} point at).
 *
 * @param dir the tree
 * @param release its {@code UTS_RELEASE}, e.g. {@code 4.18.0-477.10.1.el8_lustre.x86_64}
 * @param symbolCrcs every symbol its {@code Module.symvers} lists, with its CRC (empty when the tree
 *     was made without {@code Module.symvers})
 */
public record KernelTree(Path dir, String release, Map<String, String> symbolCrcs) {

    public KernelTree {
        symbolCrcs = Map.copyOf(symbolCrcs);
    }

    /** {@code <dir>/Module.symvers} (may not exist, see {@link KernelTreeFixture.Options#moduleSymvers()}). */
    public Path moduleSymvers() {
        return dir.resolve("Module.symvers");
    }

    /** The CRC the kernel's {@code Module.symvers} gives {@code symbol}. */
    public Optional<String> crc(String symbol) {
        return Optional.ofNullable(symbolCrcs.get(symbol));
    }
}
