package io.github.mellanoxlustre.request;

import io.github.mellanoxlustre.process.ToolEnvironment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a build runs, beyond what it builds.
 *
 * @param checkDistro    whether preflight insists that the machine's distribution matches the
 *                       bundle's (e.g. {@code rhel8.7}); off only for a deliberate cross-build
 * @param withheldDir    where forbidden RPMs go; empty means {@code <output>-withheld} beside the output
 *                       directory ({@link BuildRequest#withheldDir()})
 * @param replaceOutput  whether a non-empty output (and withheld) directory is replaced when the build
 *                       publishes; otherwise it must not exist or be empty
 * @param environment    variables set for every tool ({@code --env NAME=VALUE}); {@code PATH} here is
 *                       where tools are looked up
 * @param sudo           how {@code mlnx_add_kernel_support.sh} gets root
 * @param minFreeMiB     the free space preflight requires for the work directory, in MiB (the cache and
 *                      output directories need the same, at most 2 GiB and 1 GiB)
 * @param inherited      the environment the tools' allowlisted variables come from (Jenkins passes the
 *                       build's EnvVars); empty means the JVM's own. Only the allowlisted variables
 *                       (see {@link ToolEnvironment}) and {@code passEnvironment} reach a tool; the rest
 *                       is never shown ({@link #toString()} lists no inherited value)
 * @param passEnvironment further names of inherited variables to pass to every tool ({@code --tool-env NAME})
 * @param ofedKmp        whether OFED's kernel modules are rebuilt as a KMP ({@code kmod-mlnx-ofa_kernel},
 *                       kABI-tracking, as lustre-release's lbuild does: {@code --define 'KMP 1'}, or
 *                       {@code --kmp} for {@code mlnx_add_kernel_support.sh}) or as the spec's default
 *                       non-KMP {@code mlnx-ofa_kernel-modules} for exactly this kernel
 */
public record BuildSettings(boolean checkDistro, Optional<Path> withheldDir, boolean replaceOutput,
                            Map<String, String> environment, SudoMode sudo, long minFreeMiB,
                            Optional<Map<String, String>> inherited, Set<String> passEnvironment, boolean ofedKmp) {

    /** The free space required by default: an OFED rebuild and a Lustre build with room to spare. */
    public static final long DEFAULT_MIN_FREE_MIB = 4096;

    public BuildSettings {
        Objects.requireNonNull(withheldDir, "withheldDir");
        Objects.requireNonNull(sudo, "sudo");
        environment = Map.copyOf(new TreeMap<>(environment));
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (!ToolEnvironment.NAME.matcher(e.getKey()).matches() || e.getValue() == null
                    || e.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment: '" + e.getKey() + "' is not a variable NAME=value "
                        + "(NAME of letters, digits and '_', not starting with a digit; value without NUL)");
            }
            if (ToolEnvironment.isSecretName(e.getKey())) {
                throw new IllegalArgumentException("environment: " + e.getKey() + " holds a key passphrase and is "
                        + "never given to tools; give the passphrase with its passphrase file option instead");
            }
        }
        passEnvironment = Set.copyOf(new TreeSet<>(passEnvironment));
        for (String name : passEnvironment) {
            if (!ToolEnvironment.NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("toolEnvironment: '" + name + "' is not a variable name; expected "
                        + "letters, digits and '_', not starting with a digit");
            }
            if (ToolEnvironment.isSecretName(name)) {
                throw new IllegalArgumentException("toolEnvironment: " + name + " holds a key passphrase and is never "
                        + "given to tools");
            }
        }
        inherited = inherited.map(BuildSettings::validVariables);
        if (minFreeMiB < 0) {
            throw new IllegalArgumentException("minFreeMiB: " + minFreeMiB + " is negative; expected MiB, 0 or more");
        }
    }

    /** Defaults: distro checked, withheld in {@code <output>-withheld}, output not replaced, no extra environment. */
    public static BuildSettings defaults() {
        return new BuildSettings(true, Optional.empty(), false, Map.of(), SudoMode.AUTO, DEFAULT_MIN_FREE_MIB,
                Optional.empty(), Set.of(), true);
    }

    /**
     * The whole environment every tool gets: the allowlisted and passed variables of the inherited
     * environment, then {@link #environment()}.
     */
    public Map<String, String> toolEnvironment() {
        return ToolEnvironment.build(inherited.orElseGet(System::getenv), passEnvironment, environment);
    }

    /** The values of the secret-holding variables of the inherited environment (masked everywhere). */
    Set<String> inheritedSecrets() {
        Map<String, String> source = inherited.orElseGet(System::getenv);
        Set<String> s = new TreeSet<>();
        for (String name : ToolEnvironment.SECRET_NAMES) {
            String v = source.get(name);
            if (v != null && !v.isEmpty()) {
                s.add(v);
            }
        }
        return s;
    }

    private static Map<String, String> validVariables(Map<String, String> env) {
        Map<String, String> m = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k != null && v != null && ToolEnvironment.NAME.matcher(k).matches() && v.indexOf('\0') < 0) {
                m.put(k, v);
            }
        });
        return Map.copyOf(m);
    }

    /** The settings without any variable's value (the inherited environment may hold secrets). */
    @Override
    public String toString() {
        return "BuildSettings[checkDistro=" + checkDistro + ", withheldDir=" + withheldDir + ", replaceOutput="
                + replaceOutput + ", environment=" + environment.keySet() + ", sudo=" + sudo + ", minFreeMiB="
                + minFreeMiB + ", inherited=" + inherited.map(m -> m.size() + " variables").orElse("the JVM's")
                + ", passEnvironment=" + passEnvironment + "]";
    }

    public BuildSettings withCheckDistro(boolean b) {
        return new BuildSettings(b, withheldDir, replaceOutput, environment, sudo, minFreeMiB, inherited,
                passEnvironment, ofedKmp);
    }

    public BuildSettings withWithheldDir(Path p) {
        return new BuildSettings(checkDistro, Optional.of(p), replaceOutput, environment, sudo, minFreeMiB, inherited,
                passEnvironment, ofedKmp);
    }

    public BuildSettings withReplaceOutput(boolean b) {
        return new BuildSettings(checkDistro, withheldDir, b, environment, sudo, minFreeMiB, inherited,
                passEnvironment, ofedKmp);
    }

    /** These variables set for every tool. */
    public BuildSettings withEnvironment(Map<String, String> env) {
        return new BuildSettings(checkDistro, withheldDir, replaceOutput, env, sudo, minFreeMiB, inherited,
                passEnvironment, ofedKmp);
    }

    /**
     * The tools' allowlisted variables come from {@code env} (e.g. Jenkins' EnvVars) instead of the
     * JVM's environment; only what tools may get is kept.
     */
    public BuildSettings withInherited(Map<String, String> env) {
        return new BuildSettings(checkDistro, withheldDir, replaceOutput, environment, sudo, minFreeMiB,
                Optional.of(env), passEnvironment, ofedKmp);
    }

    /** These inherited variables are passed to every tool too ({@code --tool-env NAME}). */
    public BuildSettings withPassEnvironment(Set<String> names) {
        return new BuildSettings(checkDistro, withheldDir, replaceOutput, environment, sudo, minFreeMiB, inherited,
                names, ofedKmp);
    }

    public BuildSettings withSudo(SudoMode s) {
        return new BuildSettings(checkDistro, withheldDir, replaceOutput, environment, s, minFreeMiB, inherited,
                passEnvironment, ofedKmp);
    }

    /** With OFED's kernel modules rebuilt as a KMP ({@code true}) or as non-KMP modules for this kernel. */
    public BuildSettings withOfedKmp(boolean kmp) {
        return new BuildSettings(checkDistro, withheldDir, replaceOutput, environment, sudo, minFreeMiB, inherited,
                passEnvironment, kmp);
    }

    public BuildSettings withMinFreeMiB(long mib) {
        return new BuildSettings(checkDistro, withheldDir, replaceOutput, environment, sudo, mib, inherited,
                passEnvironment, ofedKmp);
    }
}
