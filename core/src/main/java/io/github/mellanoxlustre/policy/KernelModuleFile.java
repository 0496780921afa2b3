package io.github.mellanoxlustre.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A packaged Linux kernel module file: {@code NAME.ko}, or compressed {@code NAME.ko.xz},
 * {@code NAME.ko.gz}, {@code NAME.ko.zst}.
 *
 * @param path          the full path in the package
 * @param module        the module name, the file name without {@code .ko[.ext]}
 * @param underModules  whether the file is below {@code /lib/modules/} or {@code /usr/lib/modules/},
 *                      where modprobe loads modules from
 */
public record KernelModuleFile(String path, String module, boolean underModules) {

    private static final Pattern FILE_NAME = Pattern.compile("(.+)\\.ko(?:\\.(?:xz|gz|zst))?");

    public KernelModuleFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(module, "module");
    }

    /**
     * The module file this path names, empty when its file name is not a module's. A path that does
     * not end like one (almost every path of a package) is decided by a plain suffix test; only the
     * rest meet the regular expression.
     */
    public static Optional<KernelModuleFile> of(String path) {
        if (!endsLikeModule(path)) {
            return Optional.empty();
        }
        int slash = path.lastIndexOf('/');
        Matcher m = FILE_NAME.matcher(path.substring(slash + 1));
        if (!m.matches()) {
            return Optional.empty();
        }
        boolean under = path.startsWith("/lib/modules/") || path.startsWith("/usr/lib/modules/");
        return Optional.of(new KernelModuleFile(path, m.group(1), under));
    }

    /** Whether the path ends as every module file name does: {@code .ko}, {@code .ko.xz}, {@code .ko.gz}, {@code .ko.zst}. */
    static boolean endsLikeModule(String path) {
        return path.endsWith(".ko") || path.endsWith(".ko.xz") || path.endsWith(".ko.gz") || path.endsWith(".ko.zst");
    }

    /** A module file below {@code /lib/modules/} or {@code /usr/lib/modules/}; empty otherwise. */
    public static Optional<KernelModuleFile> installed(String path) {
        return of(path).filter(KernelModuleFile::underModules);
    }
}
