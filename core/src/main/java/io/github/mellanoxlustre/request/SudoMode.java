package io.github.mellanoxlustre.request;

/** Whether MLNX_OFED's {@code mlnx_add_kernel_support.sh}, which needs root, runs through {@code sudo -n}. */
public enum SudoMode {
    /** Through {@code sudo -n} when the build does not run as root (the default). */
    AUTO("auto"),
    /** Always through {@code sudo -n}. */
    ALWAYS("always"),
    /** Never: run it directly (it fails if it needs root and is not). */
    NEVER("never");

    private final String id;

    SudoMode(String id) {
        this.id = id;
    }

    /** The name users write. */
    public String id() {
        return id;
    }

    /** Parses {@link #id()}; the error names the field and the accepted values. */
    public static SudoMode parse(String text) {
        for (SudoMode m : values()) {
            if (m.id.equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("sudo: '" + text + "' is not a sudo mode; expected auto, always or never");
    }
}
