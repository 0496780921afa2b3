package io.github.mellanoxlustre.kernel;

import java.util.Locale;

/** The architecture OFED is built for when no bundle name says it: the kernel release's, else this machine's. */
public final class MachineArch {
    private MachineArch() {
    }

    /** {@code x86_64}, {@code aarch64}, {@code ppc64le}, ...: an EL kernel release ends with it; else the JVM's. */
    public static String of(ResolvedKernel kernel) {
        for (String arch : new String[] {"x86_64", "aarch64", "ppc64le", "s390x"}) {
            if (kernel.release().endsWith("." + arch)) {
                return arch;
            }
        }
        return machine();
    }

    /** This machine's, in the kernel's (and rpm's) words. */
    public static String machine() {
        String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "ppc64le" -> "ppc64le";
            default -> a;
        };
    }
}
