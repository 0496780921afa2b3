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
    SRPM_REBUILD("srpm-rebuild"),
    /**
     * DOCA-OFED's own {@code doca-kernel-support -k <kernel>} (package {@code doca-extra}, under
     * {@code /opt/mellanox/doca/tools/}) on an agent with DOCA-Host installed: needs root (run through
     * {@code sudo -n} when not root); the kernel packages are taken from the {@code doca-kernel-repo-*.rpm}
     * it writes. Only with the installed OFED ({@code --ofed-installed}, no directory).
     */
    DOCA_KERNEL_SUPPORT("doca-kernel-support");

    private final String id;

    RebuildMethod(String id) {
        this.id = id;
    }

    /** The name users write ({@code add-kernel-support}, {@code srpm-rebuild}, {@code doca-kernel-support}). */
    public String id() {
        return id;
    }

    /** Whether the method runs a tool that needs root (through {@code sudo -n} when the build is not root). */
    public boolean needsRoot() {
        return this != SRPM_REBUILD;
    }

    /** Parses {@link #id()}; the error names the field and the accepted values. */
    public static RebuildMethod parse(String text) {
        for (RebuildMethod m : values()) {
            if (m.id.equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("ofedRebuild: '" + text + "' is not a rebuild method; expected "
                + "add-kernel-support, srpm-rebuild or doca-kernel-support");
    }
}
