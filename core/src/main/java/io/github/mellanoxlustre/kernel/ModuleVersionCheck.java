package io.github.mellanoxlustre.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a built module loads next to the OFED modules built for the target kernel, judged from
 * the module itself rather than from package metadata: the module loader compares each CRC in the
 * module's {@code __versions} with the running symbol's, and {@code modprobe} refuses a module whose
 * {@code vermagic} names another kernel. A symbol OFED's {@code Module.symvers} exports must have
 * OFED's CRC (ko2iblnd built against the in-kernel InfiniBand stack fails here); any other symbol
 * the kernel's {@code Module.symvers} exports must have the kernel's CRC; symbols neither exports
 * (Lustre's own, between its modules) are not judged.
 */
public final class ModuleVersionCheck {
    private ModuleVersionCheck() {
    }

    /**
     * Checks one module.
     *
     * @param where         how to name the module in problems (package and path)
     * @param module        what the module file says
     * @param ofed          OFED's {@code Module.symvers}
     * @param kernel        the target kernel's {@code Module.symvers}
     * @param kernelRelease the target kernel
     * @return one line per problem, empty when the module would load
     */
    public static List<String> verify(String where, KernelModule module, ModuleSymvers ofed, ModuleSymvers kernel,
                                      String kernelRelease) {
        List<String> problems = new ArrayList<>();
        Optional<String> release = module.release();
        if (release.isPresent() && !release.get().equals(kernelRelease)) {
            problems.add(where + " is for kernel " + release.get() + " (vermagic), not " + kernelRelease
                    + ": modprobe refuses it");
        }
        for (Map.Entry<String, Long> v : module.versions().entrySet()) {
            String sym = v.getKey();
            long crc = v.getValue();
            Optional<Long> fromOfed = crcOf(ofed, sym);
            if (fromOfed.isPresent()) {
                if (fromOfed.get() != crc) {
                    problems.add(where + " was built with " + sym + " " + hex(crc) + ", but OFED's Module.symvers "
                            + "exports " + hex(fromOfed.get()) + ": the module will not load next to this OFED "
                            + "(\"disagrees about version of symbol " + sym + "\"); was it built against the "
                            + "in-kernel InfiniBand stack or another OFED?");
                }
                continue;
            }
            Optional<Long> fromKernel = crcOf(kernel, sym);
            if (fromKernel.isPresent() && fromKernel.get() != crc) {
                problems.add(where + " was built with " + sym + " " + hex(crc) + ", but kernel " + kernelRelease
                        + " exports " + hex(fromKernel.get()) + ": it was built against another kernel and will "
                        + "not load (\"disagrees about version of symbol " + sym + "\")");
            }
        }
        return problems;
    }

    private static Optional<Long> crcOf(ModuleSymvers symvers, String sym) {
        String text = symvers.crcs().get(sym);
        if (text == null) {
            return Optional.empty();
        }
        try {
            String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
            return Optional.of(Long.parseUnsignedLong(digits, 16) & 0xffffffffL);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String hex(long crc) {
        return String.format("0x%08x", crc);
    }
}
