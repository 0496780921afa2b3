package io.github.mellanoxlustre.engine.preflight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the preflight checks and where it looks.
 *
 * @param tools             the commands to find on {@code path}; empty means
 *                          {@link RequiredTool#defaults} for the request (the engine's stand-in tests
 *                          pass their own list, since their autogen.sh runs no autotools)
 * @param path              the {@code PATH} the build's tools are looked up in
 * @param minFreeWorkBytes  free space the work directory needs (default 4 GiB: an unpacked bundle, an
 *                          OFED rebuild and a Lustre build)
 * @param minFreeCacheBytes free space the cache directory needs (default 2 GiB: rebuilt OFED RPMs and
 *                          a Lustre git mirror)
 * @param minFreeOutputBytes free space the output directory needs (default 1 GiB: the Lustre RPMs)
 * @param checkDistro       whether the machine's distribution must match the bundle's; turn off only
 *                          for a deliberate cross-build or a stand-in test on another distribution
 * @param etcDir            where {@code os-release} (and {@code redhat-release}, {@code debian_version})
 *                          are read, normally {@code /etc}
 * @param useSudo           whether {@code add-kernel-support} runs through {@code sudo -n} (normally:
 *                          when not root), so {@code sudo} must be installed
 */
public record PreflightOptions(Optional<List<RequiredTool>> tools, String path, long minFreeWorkBytes,
                               long minFreeCacheBytes, long minFreeOutputBytes, boolean checkDistro, Path etcDir,
                               boolean useSudo) {

    public static final long GIB = 1L << 30;

    public PreflightOptions {
        Objects.requireNonNull(tools, "tools");
        tools = tools.map(List::copyOf);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(etcDir, "etcDir");
        if (minFreeWorkBytes < 0 || minFreeCacheBytes < 0 || minFreeOutputBytes < 0) {
            throw new IllegalArgumentException("minFree: free space thresholds must not be negative");
        }
    }

    /**
     * This process's {@code PATH}, 4 GiB / 2 GiB / 1 GiB free for work / cache / output, distro checked
     * against {@code /etc/os-release}, {@code sudo} when not root.
     */
    public static PreflightOptions defaults() {
        String path = System.getenv("PATH");
        return new PreflightOptions(Optional.empty(), path == null ? "" : path, 4 * GIB, 2 * GIB, GIB, true,
                Path.of("/etc"), !isRoot());
    }

    public PreflightOptions withTools(List<RequiredTool> list) {
        return new PreflightOptions(Optional.of(list), path, minFreeWorkBytes, minFreeCacheBytes, minFreeOutputBytes,
                checkDistro, etcDir, useSudo);
    }

    public PreflightOptions withPath(String p) {
        return new PreflightOptions(tools, p, minFreeWorkBytes, minFreeCacheBytes, minFreeOutputBytes, checkDistro,
                etcDir, useSudo);
    }

    public PreflightOptions withMinFree(long work, long cache, long output) {
        return new PreflightOptions(tools, path, work, cache, output, checkDistro, etcDir, useSudo);
    }

    public PreflightOptions withCheckDistro(boolean check) {
        return new PreflightOptions(tools, path, minFreeWorkBytes, minFreeCacheBytes, minFreeOutputBytes, check,
                etcDir, useSudo);
    }

    public PreflightOptions withEtcDir(Path dir) {
        return new PreflightOptions(tools, path, minFreeWorkBytes, minFreeCacheBytes, minFreeOutputBytes, checkDistro,
                dir, useSudo);
    }

    public PreflightOptions withUseSudo(boolean sudo) {
        return new PreflightOptions(tools, path, minFreeWorkBytes, minFreeCacheBytes, minFreeOutputBytes, checkDistro,
                etcDir, sudo);
    }

    /** Whether this process runs as root (owner of {@code /proc/self}). */
    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
