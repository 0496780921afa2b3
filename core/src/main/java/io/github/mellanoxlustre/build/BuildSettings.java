package io.github.mellanoxlustre.build;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a build runs, beyond what it builds.
 *
 * @param checkDistro    whether preflight insists that the machine's distribution matches the
 *                       bundle's (e.g. {@code rhel8.7}); off only for a deliberate cross-build
 * @param withheldDir    where forbidden RPMs go; empty means {@code withheld/} beside the output
 *                       directory ({@code <output>/../withheld})
 * @param replaceOutput  whether a non-empty output (and withheld) directory is replaced when the build
 *                       publishes; otherwise it must not exist or be empty
 * @param environment    variables every tool gets on top of the engine's own environment (Jenkins
 *                       passes the build's EnvVars); {@code PATH} here is where tools are looked up
 * @param sudo           how {@code mlnx_add_kernel_support.sh} gets root
 * @param minFreeMiB     the free space preflight requires for the work directory, in MiB (the cache and
 *                      output directories need the same, at most 2 GiB and 1 GiB)
 */
public record BuildSettings(boolean checkDistro, Optional<Path> withheldDir, boolean replaceOutput,
                            Map<String, String> environment, SudoMode sudo, long minFreeMiB) {

    /** The free space required by default: an OFED rebuild and a Lustre build with room to spare. */
    public static final long DEFAULT_MIN_FREE_MIB = 4096;

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public BuildSettings {
        Objects.requireNonNull(withheldDir, "withheldDir");
        Objects.requireNonNull(sudo, "sudo");
        environment = Map.copyOf(new TreeMap<>(environment));
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches() || e.getValue() == null || e.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment: '" + e.getKey() + "' is not a variable NAME=value "
                        + "(NAME of letters, digits and '_', not starting with a digit; value without NUL)");
            }
        }
        if (minFreeMiB < 0) {
            throw new IllegalArgumentException("minFreeMiB: " + minFreeMiB + " is negative; expected MiB, 0 or more");
        }
    }

    /** Defaults: distro checked, withheld beside the output, output not replaced, no extra environment. */
    public static BuildSettings defaults() {
        return new BuildSettings(true, Optional.empty(), false, Map.of(), SudoMode.AUTO, DEFAULT_MIN_FREE_MIB);
    }

    public BuildSettings withCheckDistro(boolean b) {
        return new BuildSettings(b, withheldDir, replaceOutput, environment, sudo, minFreeMiB);
    }

    public BuildSettings withWithheldDir(Path p) {
        return new BuildSettings(checkDistro, Optional.of(p), replaceOutput, environment, sudo, minFreeMiB);
    }

    public BuildSettings withReplaceOutput(boolean b) {
        return new BuildSettings(checkDistro, withheldDir, b, environment, sudo, minFreeMiB);
    }

    public BuildSettings withEnvironment(Map<String, String> env) {
        return new BuildSettings(checkDistro, withheldDir, replaceOutput, env, sudo, minFreeMiB);
    }

    public BuildSettings withSudo(SudoMode s) {
        return new BuildSettings(checkDistro, withheldDir, replaceOutput, environment, s, minFreeMiB);
    }

    public BuildSettings withMinFreeMiB(long mib) {
        return new BuildSettings(checkDistro, withheldDir, replaceOutput, environment, sudo, mib);
    }
}
