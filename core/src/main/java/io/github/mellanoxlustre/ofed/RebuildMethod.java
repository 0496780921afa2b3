package io.github.mellanoxlustre.ofed;

/** How MLNX_OFED's kernel modules are rebuilt for the target kernel. */
public enum RebuildMethod {
    /**
     * MLNX_OFED's own {@code mlnx_add_kernel_support.sh ... --kmp --make-tgz --skip-repo}: needs root
     * (run through {@code sudo -n} when not root); exit code 30 means the kernel is already supported.
     */
    ADD_KERNEL_SUPPORT("add-kernel-support"),
    /**
     * Rootless, as Lustre's {@code contrib/lbuild} does: {@code rpmbuild --rebuild} of the bundle's
     * {@code mlnx-ofa_kernel-*.src.rpm} with {@code KVERSION}, {@code K_SRC} and {@code KMP 1}.
     */
    SRPM_REBUILD("srpm-rebuild");

    private final String id;

    RebuildMethod(String id) {
        this.id = id;
    }

    /** The name users write ({@code add-kernel-support}, {@code srpm-rebuild}). */
    public String id() {
        return id;
    }

    /** Parses {@link #id()}; the error names the field and the accepted values. */
    public static RebuildMethod parse(String text) {
        for (RebuildMethod m : values()) {
            if (m.id.equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("ofedRebuild: '" + text + "' is not a rebuild method; expected "
                + "add-kernel-support or srpm-rebuild");
    }
}
