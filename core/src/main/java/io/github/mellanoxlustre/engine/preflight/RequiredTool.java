package io.github.mellanoxlustre.engine.preflight;

import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A command the build runs, looked up on the {@code PATH} by the preflight.
 *
 * @param command       the command name, e.g. {@code rpmbuild}
 * @param elPackage     the RHEL-family package that provides it, e.g. {@code rpm-build}
 * @param debianPackage the Debian/Ubuntu package that provides it, e.g. {@code rpm}
 * @param purpose       what the build needs it for, for the message
 */
public record RequiredTool(String command, String elPackage, String debianPackage, String purpose) {
    private static final Pattern COMMAND = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+-]*");

    public RequiredTool {
        Objects.requireNonNull(elPackage, "elPackage");
        Objects.requireNonNull(debianPackage, "debianPackage");
        Objects.requireNonNull(purpose, "purpose");
        if (command == null || !COMMAND.matcher(command).matches()) {
            throw new IllegalArgumentException("tools: '" + command + "' is not a command name");
        }
    }

    /**
     * What a build of {@code lustre} with {@code method} runs:
     * <ul>
     *   <li>always {@code rpmbuild} (the SRPM rebuild, {@code make rpms}, and inside
     *       {@code mlnx_add_kernel_support.sh}), {@code rpm2cpio} and {@code cpio} (staging
     *       {@code mlnx-ofa_kernel-devel}), {@code gcc} and {@code make};</li>
     *   <li>{@code libtoolize}, {@code aclocal}, {@code autoheader}, {@code automake} and
     *       {@code autoconf}, which lustre-release's {@code autogen.sh} runs;</li>
     *   <li>{@code git} when Lustre comes from a git repository;</li>
     *   <li>{@code sudo} for {@code add-kernel-support} and {@code doca-kernel-support} when the build does not run as root.</li>
     * </ul>
     */
    public static List<RequiredTool> defaults(RebuildMethod method, LustreSource lustre, boolean useSudo) {
        List<RequiredTool> tools = new ArrayList<>();
        tools.add(new RequiredTool("rpmbuild", "rpm-build", "rpm", "rebuilding OFED's modules and 'make rpms'"));
        tools.add(new RequiredTool("rpm2cpio", "rpm", "rpm2cpio", "staging mlnx-ofa_kernel-devel"));
        tools.add(new RequiredTool("cpio", "cpio", "cpio", "staging mlnx-ofa_kernel-devel"));
        tools.add(new RequiredTool("gcc", "gcc", "gcc", "compiling kernel modules"));
        tools.add(new RequiredTool("make", "make", "make", "building OFED and Lustre"));
        tools.addAll(autotools());
        if (lustre instanceof LustreSource.Git) {
            tools.add(new RequiredTool("git", "git", "git", "fetching Lustre"));
        }
        if (method.needsRoot() && useSudo) {
            tools.add(new RequiredTool("sudo", "sudo", "sudo", "running " + (method == RebuildMethod.ADD_KERNEL_SUPPORT
                    ? "mlnx_add_kernel_support.sh" : "doca-kernel-support") + " as root"));
        }
        return List.copyOf(tools);
    }

    /** The autotools lustre-release's {@code autogen.sh} runs. */
    public static List<RequiredTool> autotools() {
        String why = "Lustre's autogen.sh";
        return List.of(
                new RequiredTool("libtoolize", "libtool", "libtool", why),
                new RequiredTool("aclocal", "automake", "automake", why),
                new RequiredTool("autoheader", "autoconf", "autoconf", why),
                new RequiredTool("automake", "automake", "automake", why),
                new RequiredTool("autoconf", "autoconf", "autoconf", why));
    }
}
