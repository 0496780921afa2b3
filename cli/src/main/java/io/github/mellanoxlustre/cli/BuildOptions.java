package io.github.mellanoxlustre.cli;

import io.github.mellanoxlustre.build.BuildRequest;
import io.github.mellanoxlustre.build.BuildSettings;
import io.github.mellanoxlustre.build.SudoMode;
import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.ofed.SshAuth;
import io.github.mellanoxlustre.process.ToolEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of {@code plan} and {@code build}: one per {@link BuildRequest} field. Every value is
 * validated by the request's own types; errors name the option.
 */
final class BuildOptions {
    /**
     * Environment variable holding the bundle key's passphrase (instead of a file). Both passphrase
     * variables are {@link ToolEnvironment#SECRET_NAMES}: never given to a tool, their values masked.
     */
    static final String BUNDLE_PASSPHRASE_ENV = "MLNX_LUSTRE_BUNDLE_KEY_PASSPHRASE";
    /** Environment variable holding the Lustre git key's passphrase (instead of a file). */
    static final String LUSTRE_PASSPHRASE_ENV = "MLNX_LUSTRE_GIT_KEY_PASSPHRASE";

    @Option(names = "--bundle", required = true, paramLabel = "PATH|URL", order = 1,
            description = "MLNX_OFED bundle: a path to MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz, an http(s):// "
                    + "URL (needs --bundle-sha256) or sftp://user@host[:port]/path (scp:// likewise)")
    String bundle;

    @Option(names = "--bundle-sha256", paramLabel = "HEX", order = 2,
            description = "the bundle's SHA-256 (64 hex digits); required for http(s)")
    String bundleSha256;

    @Option(names = "--bundle-key", paramLabel = "FILE", order = 3,
            description = "SSH private key for an sftp:// or scp:// bundle")
    Path bundleKey;

    @Option(names = "--bundle-key-passphrase-file", paramLabel = "FILE", order = 4,
            description = "file holding the bundle key's passphrase (first line); or set " + BUNDLE_PASSPHRASE_ENV
                    + ". Never on the command line.")
    Path bundleKeyPassphraseFile;

    @Option(names = "--known-hosts", paramLabel = "FILE", order = 5,
            description = "known_hosts file the SSH servers' host keys are verified against (default ~/.ssh/known_hosts)")
    Path knownHosts;

    @Option(names = "--kernel-release", paramLabel = "RELEASE", order = 10,
            description = "target kernel release, e.g. 4.18.0-477.10.1.el8_lustre.x86_64 (default: the running kernel, "
                    + "or the single *_lustre* kernel-devel tree)")
    String kernelRelease;

    @Option(names = "--kernel-source", paramLabel = "DIR", order = 11,
            description = "kernel build tree with Makefile and Module.symvers (default /lib/modules/<release>/build)")
    Path kernelSource;

    @Option(names = "--ofed-rebuild", paramLabel = "add-kernel-support|srpm-rebuild", order = 12,
            defaultValue = "srpm-rebuild",
            description = "how OFED's kernel modules are rebuilt: srpm-rebuild (default, rootless, as Lustre's lbuild) "
                    + "or add-kernel-support (MLNX_OFED's mlnx_add_kernel_support.sh, needs root or sudo -n)")
    String ofedRebuild;

    @Option(names = "--sudo", paramLabel = "auto|always|never", order = 13, defaultValue = "auto",
            description = "whether add-kernel-support runs through sudo -n: auto (when not root, default), always, never")
    String sudo;

    @Option(names = "--lustre-repo", paramLabel = "URL", order = 20,
            description = "Lustre git repository (default " + LustreSource.DEFAULT_URL + ")")
    String lustreRepo;

    @Option(names = "--lustre-ref", paramLabel = "REF", order = 21,
            description = "branch (b2_15), tag (2.15.5) or commit to build (default master)")
    String lustreRef;

    @Option(names = "--lustre-dir", paramLabel = "DIR", order = 22,
            description = "build this local Lustre source tree instead of a git repository (it is copied, never written)")
    Path lustreDir;

    @Option(names = "--lustre-key", paramLabel = "FILE", order = 23,
            description = "SSH private key for a private or review git remote")
    Path lustreKey;

    @Option(names = "--lustre-key-passphrase-file", paramLabel = "FILE", order = 24,
            description = "file holding the git key's passphrase; or set " + LUSTRE_PASSPHRASE_ENV)
    Path lustreKeyPassphraseFile;

    @Option(names = "--client-only", order = 30, description = "build the Lustre client only (--disable-server)")
    boolean clientOnly;

    @Option(names = "--backend", paramLabel = "ldiskfs|zfs", order = 31,
            description = "OSD backend of a server build, repeatable (default ldiskfs)")
    List<String> backends = new ArrayList<>();

    @Option(names = "--zfs-source", paramLabel = "DIR", order = 32,
            description = "ZFS development tree for --backend zfs (configure --with-zfs)")
    Path zfsSource;

    @Option(names = "--zfs-obj", paramLabel = "DIR", order = 33,
            description = "ZFS object tree (configure --with-zfs-obj)")
    Path zfsObj;

    @Option(names = "--packaging", paramLabel = "kmod|dkms", order = 34,
            description = "kmod (make rpms) and/or dkms (make dkms-rpms), repeatable (default kmod)")
    List<String> packaging = new ArrayList<>();

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", order = 35,
            description = "make -j (default: the number of processors)")
    Integer jobs;

    @Option(names = "--policy", paramLabel = "distribute|internal|FILE", order = 40, defaultValue = "distribute",
            description = "distribution policy (default distribute; see docs/policy.md)")
    String policy;

    @Option(names = "--output", required = true, paramLabel = "DIR", order = 41,
            description = "where distributable RPMs, manifest.json, SHA256SUMS, reports and repodata are published "
                    + "(must not exist or be empty)")
    Path output;

    @Option(names = "--withheld-dir", paramLabel = "DIR", order = 42,
            description = "where forbidden RPMs go (default: withheld/ beside the output directory)")
    Path withheldDir;

    @Option(names = "--replace-output", order = 43,
            description = "replace a non-empty output (and withheld) directory when publishing")
    boolean replaceOutput;

    @Option(names = "--work-dir", paramLabel = "DIR", order = 44,
            description = "scratch directory, kept for its logs (default: a new temporary directory, deleted after "
                    + "a successful build)")
    Path workDir;

    @Option(names = "--cache-dir", paramLabel = "DIR", order = 45,
            description = "cache of rebuilt OFED modules and Lustre git mirrors (default $XDG_CACHE_HOME/mlnx-lustre "
                    + "or ~/.cache/mlnx-lustre)")
    Path cacheDir;

    @Option(names = "--no-distro-check", order = 46,
            description = "do not insist that this machine's distribution matches the bundle's")
    boolean noDistroCheck;

    @Option(names = "--min-free", paramLabel = "MiB", order = 47,
            description = "free space preflight requires for the work directory (default "
                    + BuildSettings.DEFAULT_MIN_FREE_MIB + "); the cache and output directories need the same, "
                    + "at most 2 GiB and 1 GiB")
    Long minFreeMiB;

    @Option(names = "--env", paramLabel = "NAME=VALUE", order = 48,
            description = "set a variable for every tool the build runs, repeatable (PATH here is where tools are found)")
    List<String> env = new ArrayList<>();

    @Option(names = "--tool-env", paramLabel = "NAME", order = 49,
            description = "pass this variable of mlnx-lustre's environment to every tool, repeatable; by default tools "
                    + "get PATH, HOME, the locale, proxies and a few more only (see docs/build.md)")
    List<String> toolEnv = new ArrayList<>();

    /** The CLI option of each request field named at the start of a core error message. */
    private static final Map<String, String> OPTION_OF_FIELD = Map.ofEntries(
            Map.entry("bundle", "--bundle"), Map.entry("bundleSha256", "--bundle-sha256"),
            Map.entry("bundleCredentials", "--bundle-key"), Map.entry("kernelRelease", "--kernel-release"),
            Map.entry("kernelSource", "--kernel-source"), Map.entry("ofedRebuild", "--ofed-rebuild"),
            Map.entry("sudo", "--sudo"), Map.entry("lustreRepository", "--lustre-repo"),
            Map.entry("lustreRef", "--lustre-ref"), Map.entry("lustreDir", "--lustre-dir"),
            Map.entry("lustreKey", "--lustre-key"), Map.entry("lustreKnownHosts", "--known-hosts"),
            Map.entry("backends", "--backend"), Map.entry("zfsSource", "--zfs-source"), Map.entry("zfsObj", "--zfs-obj"),
            Map.entry("packaging", "--packaging"), Map.entry("makeJobs", "--jobs"), Map.entry("policy", "--policy"),
            Map.entry("outputDir", "--output"), Map.entry("withheldDir", "--withheld-dir"),
            Map.entry("workDir", "--work-dir"), Map.entry("cacheDir", "--cache-dir"), Map.entry("minFreeMiB", "--min-free"),
            Map.entry("environment", "--env"), Map.entry("toolEnvironment", "--tool-env"));

    /** A core error message ({@code outputDir: ...}) with the field replaced by the option ({@code --output: ...}). */
    static String naming(String message) {
        if (message == null) {
            return null;
        }
        int colon = message.indexOf(": ");
        String option = colon > 0 ? OPTION_OF_FIELD.get(message.substring(0, colon)) : null;
        return option == null ? message : option + message.substring(colon);
    }

    /** Whether the work directory is a temporary one this run made. */
    boolean temporaryWorkDir;

    /**
     * The request these options describe, from this process's environment; an invalid value is a usage
     * error of {@code spec}'s command (exit 2, one line naming the option).
     */
    BuildRequest toRequest(CommandSpec spec) throws IOException {
        try {
            return toRequest(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), naming(e.getMessage()), e);
        }
    }

    /** The request these options describe. */
    BuildRequest toRequest(Map<String, String> processEnv) throws IOException {
        BundleLocation location = BundleLocation.parse(bundle, bundleSha256);
        Optional<SshAuth> bundleSsh = Optional.empty();
        if (location instanceof BundleLocation.Ssh) {
            if (bundleKey == null) {
                throw new IllegalArgumentException("--bundle-key: an " + ((BundleLocation.Ssh) location).scheme()
                        + ":// bundle needs an SSH private key file");
            }
            bundleSsh = Optional.of(new SshAuth(bundleKey, passphrase("--bundle-key-passphrase-file",
                    bundleKeyPassphraseFile, processEnv.get(BUNDLE_PASSPHRASE_ENV)), knownHosts(processEnv)));
        } else if (bundleKey != null || bundleKeyPassphraseFile != null) {
            throw new IllegalArgumentException("--bundle-key: only for sftp:// and scp:// bundles");
        }
        KernelTarget kernel = new KernelTarget(Optional.ofNullable(kernelRelease).map(KernelTarget::checkRelease),
                Optional.ofNullable(kernelSource));
        RebuildMethod method = RebuildMethod.parse(ofedRebuild);
        LustreSource lustre;
        if (lustreDir != null) {
            if (lustreRepo != null || lustreRef != null || lustreKey != null) {
                throw new IllegalArgumentException("--lustre-dir: give either --lustre-dir or --lustre-repo/--lustre-ref"
                        + "/--lustre-key, not both");
            }
            lustre = new LustreSource.Local(lustreDir);
        } else {
            Optional<SshAuth> gitSsh = Optional.empty();
            if (lustreKey != null) {
                gitSsh = Optional.of(new SshAuth(lustreKey, passphrase("--lustre-key-passphrase-file",
                        lustreKeyPassphraseFile, processEnv.get(LUSTRE_PASSPHRASE_ENV)), knownHosts(processEnv)));
            } else if (lustreKeyPassphraseFile != null) {
                throw new IllegalArgumentException("--lustre-key-passphrase-file: given without --lustre-key");
            }
            lustre = new LustreSource.Git(lustreRepo == null ? LustreSource.DEFAULT_URL : lustreRepo,
                    lustreRef == null ? "master" : lustreRef, gitSsh);
        }
        Set<LustreOptions.Backend> be = EnumSet.noneOf(LustreOptions.Backend.class);
        for (String b : backends) {
            be.add(LustreOptions.Backend.parse(b));
        }
        if (clientOnly && !be.isEmpty()) {
            throw new IllegalArgumentException("--backend: a client-only build has no OSD backend");
        }
        if (!clientOnly && be.isEmpty()) {
            be.add(LustreOptions.Backend.LDISKFS);
        }
        Set<LustreOptions.Packaging> pk = EnumSet.noneOf(LustreOptions.Packaging.class);
        for (String p : packaging) {
            pk.add(LustreOptions.Packaging.parse(p));
        }
        if (pk.isEmpty()) {
            pk.add(LustreOptions.Packaging.KMOD);
        }
        int j = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
        LustreOptions options = new LustreOptions(!clientOnly, be, Optional.ofNullable(zfsSource),
                Optional.ofNullable(zfsObj), pk, j);
        Map<String, String> explicitEnv = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--env: '" + e + "' is not NAME=VALUE");
            }
            explicitEnv.put(e.substring(0, eq), e.substring(eq + 1));
        }
        BuildSettings settings = BuildSettings.defaults().withCheckDistro(!noDistroCheck)
                .withReplaceOutput(replaceOutput).withEnvironment(explicitEnv).withSudo(SudoMode.parse(sudo))
                .withInherited(processEnv).withPassEnvironment(new LinkedHashSet<>(toolEnv));
        if (withheldDir != null) {
            settings = settings.withWithheldDir(withheldDir);
        }
        if (minFreeMiB != null) {
            settings = settings.withMinFreeMiB(minFreeMiB);
        }
        Path work = workDir;
        if (work == null) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            work = tmp.resolve("mlnx-lustre-work-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
            temporaryWorkDir = true;
        }
        return new BuildRequest(location, bundleSsh, kernel, method, lustre, options, policy, output, work,
                cacheDir(processEnv), settings);
    }

    private Path knownHosts(Map<String, String> processEnv) {
        if (knownHosts != null) {
            return knownHosts;
        }
        return Path.of(processEnv.getOrDefault("HOME", System.getProperty("user.home")), ".ssh", "known_hosts");
    }

    private Path cacheDir(Map<String, String> processEnv) {
        if (cacheDir != null) {
            return cacheDir;
        }
        String xdg = processEnv.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "mlnx-lustre");
        }
        return Path.of(processEnv.getOrDefault("HOME", System.getProperty("user.home")), ".cache", "mlnx-lustre");
    }

    /** The passphrase from a file (first line) or the environment variable; never from argv. */
    private static char[] passphrase(String option, Path file, String fromEnv) throws IOException {
        if (file != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(option + ": cannot read '" + file + "': " + e.getMessage(), e);
            }
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new IllegalArgumentException(option + ": '" + file + "' is empty; expected the passphrase "
                        + "on its first line");
            }
            return lines.get(0).toCharArray();
        }
        return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv.toCharArray();
    }
}
