package io.github.mellanoxlustre.request;

import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.process.SecretMasker;
import io.github.mellanoxlustre.process.ToolEnvironment;
import io.github.mellanoxlustre.ssh.SshAuth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one build takes, validated before anything runs. The CLI and the Jenkins plugin both
 * build one of these and hand it to the engine on the machine that runs the build.
 *
 * @param ofed         where OFED comes from: a bundle, a source RPM, a DOCA repository or the installed OFED
 * @param bundleSsh    the SSH credentials for an {@code sftp://}/{@code scp://} OFED file
 * @param kernel       the target kernel
 * @param ofedRebuild  how OFED's kernel modules are rebuilt
 * @param lustre       where Lustre comes from
 * @param lustreOptions how Lustre is configured and packaged
 * @param policy       the distribution policy: {@code distribute}, {@code internal} or a policy file path
 * @param outputDir    where distributable RPMs and reports are published (must not exist or be empty);
 *                     forbidden RPMs go to {@code <output>-withheld} beside it unless the settings say
 * @param workDir      scratch space for this build
 * @param cacheDir     the machine's cache of rebuilt OFED modules and Lustre git mirrors
 * @param settings     how the build runs (distro check, withheld directory, environment, ...)
 */
public record BuildRequest(
        OfedSource ofed,
        Optional<SshAuth> bundleSsh,
        KernelTarget kernel,
        RebuildMethod ofedRebuild,
        LustreSource lustre,
        LustreOptions lustreOptions,
        String policy,
        Path outputDir,
        Path workDir,
        Path cacheDir,
        BuildSettings settings) {

    /** The default withheld directory is the output directory's name with this suffix, beside it. */
    public static final String WITHHELD_SUFFIX = "-withheld";

    /** A request with {@link BuildSettings#defaults()}. */
    public BuildRequest(OfedSource ofed, Optional<SshAuth> bundleSsh, KernelTarget kernel,
                        RebuildMethod ofedRebuild, LustreSource lustre, LustreOptions lustreOptions, String policy,
                        Path outputDir, Path workDir, Path cacheDir) {
        this(ofed, bundleSsh, kernel, ofedRebuild, lustre, lustreOptions, policy, outputDir, workDir, cacheDir,
                BuildSettings.defaults());
    }

    public BuildRequest {
        Objects.requireNonNull(ofed, "ofed");
        Objects.requireNonNull(bundleSsh, "bundleSsh");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(ofedRebuild, "ofedRebuild");
        Objects.requireNonNull(lustre, "lustre");
        Objects.requireNonNull(lustreOptions, "lustreOptions");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(settings, "settings");
        checkNoSecretPassed(bundleSsh, lustre, settings);
        if (policy == null || policy.isBlank()) {
            throw new IllegalArgumentException("policy: expected distribute, internal or a policy file path");
        }
        if (ofed.location().orElse(null) instanceof BundleLocation.Ssh ssh && bundleSsh.isEmpty()) {
            throw new IllegalArgumentException("bundleCredentials: an " + ssh.scheme()
                    + ":// OFED location needs an SSH private key and a known_hosts file");
        }
        if (ofedRebuild == RebuildMethod.ADD_KERNEL_SUPPORT && ofed instanceof OfedSource.Installed) {
            throw new IllegalArgumentException("ofedRebuild: the installed OFED is used as it is, nothing is "
                    + "rebuilt; leave the rebuild method out");
        }
        if (ofedRebuild == RebuildMethod.DOCA_KERNEL_SUPPORT && !(ofed instanceof OfedSource.Installed i
                && i.dir().isEmpty())) {
            throw new IllegalArgumentException("ofedRebuild: doca-kernel-support rebuilds the DOCA-OFED installed "
                    + "on this machine with its own /opt/mellanox/doca/tools/doca-kernel-support and takes no OFED "
                    + "file or directory; use it with the installed OFED given without a directory (ofedInstalled), "
                    + "not with " + (ofed instanceof OfedSource.Installed ? "a directory given to it"
                    : "another OFED source (" + ofed.field() + ")"));
        }
        if (ofedRebuild == RebuildMethod.ADD_KERNEL_SUPPORT && !(ofed instanceof OfedSource.Bundle)) {
            throw new IllegalArgumentException("ofedRebuild: add-kernel-support runs a bundle's own "
                    + "mlnx_add_kernel_support.sh; with another OFED source (" + ofed.field() + ") use srpm-rebuild");
        }
        Path out = outputDir.toAbsolutePath().normalize();
        Path work = workDir.toAbsolutePath().normalize();
        checkNotAroundUserDirectories("outputDir", outputDir);
        settings.withheldDir().ifPresent(w -> checkNotAroundUserDirectories("withheldDir", w));
        if (out.startsWith(work) || work.startsWith(out)) {
            throw new IllegalArgumentException("outputDir: '" + outputDir + "' and workDir '" + workDir
                    + "' must not contain one another");
        }
        Path withheld = withheldDir(outputDir, settings).toAbsolutePath().normalize();
        checkNotAroundUserDirectories("withheldDir", withheld);
        if (withheld.equals(out) || withheld.startsWith(out) || out.startsWith(withheld)) {
            throw new IllegalArgumentException("withheldDir: '" + withheld + "' must be beside the output directory '"
                    + outputDir + "', not inside it or around it");
        }
        if (withheld.startsWith(work) || work.startsWith(withheld)) {
            throw new IllegalArgumentException("withheldDir: '" + withheld + "' and workDir '" + workDir
                    + "' must not contain one another");
        }
        // Publishing replaces the output and withheld directories: no input may live in or around them.
        Path cache = cacheDir.toAbsolutePath().normalize();
        Map<String, Path> targets = new LinkedHashMap<>();
        targets.put("outputDir", out);
        targets.put("withheldDir", withheld);
        for (Map.Entry<String, Path> target : targets.entrySet()) {
            Path t = target.getValue();
            if (t.startsWith(cache) || cache.startsWith(t)) {
                throw new IllegalArgumentException(target.getKey() + ": '" + t + "' and cacheDir '" + cacheDir
                        + "' must not contain one another (publishing replaces the " + target.getKey() + ")");
            }
            for (Path input : localInputs(ofed)) {
                if (input.toAbsolutePath().normalize().startsWith(t)) {
                    throw new IllegalArgumentException(target.getKey() + ": '" + t + "' must not contain the OFED "
                            + "input '" + input + "' (publishing replaces the " + target.getKey() + ")");
                }
            }
            if (lustre instanceof LustreSource.Local src) {
                Path d = src.dir().toAbsolutePath().normalize();
                if (d.startsWith(t)) {
                    throw new IllegalArgumentException(target.getKey() + ": '" + t + "' must not contain the Lustre "
                            + "source directory '" + src.dir() + "' (publishing replaces the " + target.getKey() + ")");
                }
            }
        }
    }

    /**
     * Whether the build takes the installed OFED as it is (nothing rebuilt or published from OFED):
     * the installed OFED with any method but {@code doca-kernel-support}, which rebuilds it.
     */
    public boolean usesInstalledOfedAsIs() {
        return ofed instanceof OfedSource.Installed && ofedRebuild != RebuildMethod.DOCA_KERNEL_SUPPORT;
    }

    /** The local files and directories an OFED source reads. */
    private static List<Path> localInputs(OfedSource ofed) {
        List<Path> out = new ArrayList<>();
        if (ofed.location().orElse(null) instanceof BundleLocation.Local local) {
            out.add(local.path());
        }
        if (ofed instanceof OfedSource.DocaRepo doca) {
            doca.dir().ifPresent(out::add);
        }
        if (ofed instanceof OfedSource.Installed installed) {
            installed.dir().ifPresent(out::add);
        }
        return out;
    }

    /**
     * Publishing replaces the output and withheld directories ({@code --replace-output} deletes what they
     * held): neither may be the empty path (the current directory), the root, the home directory, the
     * current directory or a directory around one of them. The work and cache directories are checked
     * by the caller.
     */
    private static void checkNotAroundUserDirectories(String field, Path given) {
        String form = "; expected a directory of its own for the published RPMs, e.g. /srv/rpms/lustre-2.15";
        if (given.toString().isEmpty()) {
            throw new IllegalArgumentException(field + ": the empty path is the current directory, which publishing "
                    + "would replace" + form);
        }
        Path p = given.toAbsolutePath().normalize();
        if (p.getParent() == null) {
            throw new IllegalArgumentException(field + ": '" + given + "' is the root directory" + form);
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        if (cwd.startsWith(p)) {
            throw new IllegalArgumentException(field + ": '" + given + "' is the current directory " + cwd
                    + (cwd.equals(p) ? "" : " or contains it") + ", which publishing would replace" + form);
        }
        for (Path home : homes()) {
            if (home.startsWith(p)) {
                throw new IllegalArgumentException(field + ": '" + given + "' is the home directory " + home
                        + (home.equals(p) ? "" : " or contains it") + ", which publishing would replace" + form);
            }
        }
    }

    private static List<Path> homes() {
        List<Path> homes = new ArrayList<>();
        for (String h : new String[] {System.getProperty("user.home"), System.getenv("HOME")}) {
            if (h != null && !h.isBlank() && Path.of(h).isAbsolute()) {
                homes.add(Path.of(h).normalize());
            }
        }
        return homes;
    }

    /**
     * Every secret of this request: the SSH keys' passphrases and the values of the variables that
     * hold passphrases ({@link ToolEnvironment#SECRET_NAMES}) in the inherited environment.
     */
    public SecretMasker secretMasker() {
        return secrets(bundleSsh, lustre, settings);
    }

    private static SecretMasker secrets(Optional<SshAuth> bundleSsh, LustreSource lustre, BuildSettings settings) {
        List<String> secrets = new ArrayList<>(settings.inheritedSecrets());
        bundleSsh.flatMap(SshAuth::passphrase).ifPresent(p -> secrets.add(new String(p)));
        if (lustre instanceof LustreSource.Git git) {
            git.ssh().flatMap(SshAuth::passphrase).ifPresent(p -> secrets.add(new String(p)));
        }
        return SecretMasker.of(secrets);
    }

    /**
     * Where forbidden RPMs go: the setting, or {@code <output>}{@value #WITHHELD_SUFFIX} beside the output
     * directory (one withheld directory per output, so two outputs in one directory never share one).
     */
    public Path withheldDir() {
        return withheldDir(outputDir, settings);
    }

    private static Path withheldDir(Path outputDir, BuildSettings settings) {
        Path out = outputDir.toAbsolutePath().normalize();
        if (out.getParent() == null) {
            return settings.withheldDir().orElse(out.resolve("withheld"));
        }
        return settings.withheldDir().orElse(out.resolveSibling(out.getFileName() + WITHHELD_SUFFIX));
    }

    /** A variable the user sets or passes to the tools must not hold a secret the request knows. */
    private static void checkNoSecretPassed(Optional<SshAuth> bundleSsh, LustreSource lustre, BuildSettings settings) {
        SecretMasker known = secrets(bundleSsh, lustre, settings);
        if (known.isEmpty()) {
            return;
        }
        settings.environment().forEach((name, value) -> {
            if (known.reveals(value)) {
                throw new IllegalArgumentException("environment: " + name + " holds a key passphrase, which is "
                        + "never given to tools; remove it");
            }
        });
        Map<String, String> tools = settings.toolEnvironment();
        for (String name : settings.passEnvironment()) {
            if (known.reveals(tools.get(name))) {
                throw new IllegalArgumentException("toolEnvironment: " + name + " holds a key passphrase, which "
                        + "is never given to tools; do not pass it");
            }
        }
    }

    /** This request with other settings. */
    public BuildRequest withSettings(BuildSettings s) {
        return new BuildRequest(ofed, bundleSsh, kernel, ofedRebuild, lustre, lustreOptions, policy, outputDir,
                workDir, cacheDir, s);
    }
}
