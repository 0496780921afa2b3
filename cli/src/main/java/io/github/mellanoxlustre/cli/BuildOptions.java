package io.github.mellanoxlustre.cli;

import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.process.ToolEnvironment;
import io.github.mellanoxlustre.request.BuildRequest;
import io.github.mellanoxlustre.request.BuildSettings;
import io.github.mellanoxlustre.request.BuildSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
    static final String BUNDLE_PASSPHRASE_ENV = BuildSpec.BUNDLE_PASSPHRASE_ENV;
    /** Environment variable holding the Lustre git key's passphrase (instead of a file). */
    static final String LUSTRE_PASSPHRASE_ENV = BuildSpec.LUSTRE_PASSPHRASE_ENV;

    @Option(names = "--bundle", paramLabel = "PATH|URL", order = 1,
            description = "OFED source (exactly one of --bundle, --ofed-srpm, --doca-repo, --ofed-installed): an "
                    + "MLNX_OFED bundle, a path to MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz, an http(s):// "
                    + "URL (needs --ofed-sha256) or sftp://user@host[:port]/path (scp:// likewise)")
    String bundle;

    @Option(names = "--ofed-srpm", paramLabel = "PATH|URL", order = 2,
            description = "OFED source: a bare mlnx-ofa_kernel-<version>.src.rpm (from a bundle's src/MLNX_OFED_SRC-*.tgz "
                    + "or a DOCA repository), rebuilt for the target kernel; path, http(s):// URL (needs --ofed-sha256) "
                    + "or sftp://")
    String ofedSrpm;

    @Option(names = "--doca-repo", paramLabel = "DIR|URL", order = 3,
            description = "OFED source: a DOCA-Host repository, its local doca/<version>/ directory, or its "
                    + "SOURCES/mlnx_ofed/MLNX_OFED_SRC-<version>.tgz as a path, https:// URL (needs --ofed-sha256) "
                    + "or sftp://; mlnx-ofa_kernel is rebuilt from that source")
    String docaRepo;

    @Option(names = "--ofed-installed", arity = "0..1", fallbackValue = "", paramLabel = "DIR", order = 4,
            description = "OFED source: the OFED installed on this machine (no value), or DIR: its kernel tree (with "
                    + "include/rdma/rdma_cm.h) or a root directory to look under; nothing of OFED is rebuilt or "
                    + "published")
    String ofedInstalled;

    @Option(names = {"--ofed-sha256", "--bundle-sha256"}, paramLabel = "HEX", order = 5,
            description = "SHA-256 (64 hex digits) of the fetched OFED file (bundle, source RPM or DOCA sources "
                    + "archive); required for http(s)")
    String bundleSha256;

    @Option(names = {"--ofed-key", "--bundle-key"}, paramLabel = "FILE", order = 6,
            description = "SSH private key for an sftp:// or scp:// OFED location")
    Path bundleKey;

    @Option(names = {"--ofed-key-passphrase-file", "--bundle-key-passphrase-file"}, paramLabel = "FILE", order = 7,
            description = "file holding that key's passphrase (first line); or set " + BUNDLE_PASSPHRASE_ENV
                    + ". Never on the command line.")
    Path bundleKeyPassphraseFile;

    @Option(names = "--known-hosts", paramLabel = "FILE", order = 8,
            description = "known_hosts file the SSH servers' host keys are verified against (default ~/.ssh/known_hosts)")
    Path knownHosts;

    @Option(names = "--kernel-release", paramLabel = "RELEASE", order = 10,
            description = "target kernel release, e.g. 4.18.0-477.10.1.el8_lustre.x86_64 (default: the running kernel, "
                    + "or the single *_lustre* kernel-devel tree)")
    String kernelRelease;

    @Option(names = "--kernel-source", paramLabel = "DIR", order = 11,
            description = "kernel build tree with Makefile and Module.symvers (default /lib/modules/<release>/build)")
    Path kernelSource;

    @Option(names = "--ofed-rebuild", paramLabel = "srpm-rebuild|add-kernel-support|doca-kernel-support", order = 12,
            description = "how OFED's kernel modules are rebuilt: srpm-rebuild (default, rootless, as Lustre's lbuild), "
                    + "add-kernel-support (MLNX_OFED's mlnx_add_kernel_support.sh, needs root or sudo -n) or "
                    + "doca-kernel-support (with --ofed-installed: the installed DOCA-OFED rebuilt by DOCA-Host's "
                    + "/opt/mellanox/doca/tools/doca-kernel-support from doca-extra, needs root or sudo -n)")
    String ofedRebuild;

    @Option(names = "--ofed-packaging", paramLabel = "kmp|modules", order = 12,
            description = "how the rebuilt OFED kernel modules are packaged: kmp (default: kmod-mlnx-ofa_kernel, "
                    + "kABI-tracking, as Lustre's lbuild) or modules (mlnx-ofa_kernel-modules for exactly this kernel, "
                    + "the spec's non-KMP default)")
    String ofedPackaging;

    @Option(names = "--sudo", paramLabel = "auto|always|never", order = 13,
            description = "whether add-kernel-support and doca-kernel-support run through sudo -n: auto (when not "
                    + "root, default), always, never")
    String sudo;

    @Option(names = "--lustre-repo", paramLabel = "URL", order = 20,
            description = "Lustre git repository (default " + LustreSource.DEFAULT_URL + ")")
    String lustreRepo;

    @Option(names = "--lustre-ref", paramLabel = "REF", order = 21,
            description = "branch (b2_15), tag (2.15.5) or commit to build (default " + BuildSpec.DEFAULT_LUSTRE_REF + ")")
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
            description = "make -j (default, or 0: the number of processors)")
    Integer jobs;

    @Option(names = "--policy", paramLabel = "distribute|internal|FILE", order = 40,
            description = "distribution policy (default distribute; see docs/policy.md)")
    String policy;

    @Option(names = "--output", required = true, paramLabel = "DIR", order = 41,
            description = "where distributable RPMs, manifest.json, SHA256SUMS, reports and repodata are published "
                    + "(must not exist or be empty)")
    Path output;

    @Option(names = "--withheld-dir", paramLabel = "DIR", order = 42,
            description = "where forbidden RPMs go (default: <output>" + BuildRequest.WITHHELD_SUFFIX
                    + " beside the output directory)")
    Path withheldDir;

    @Option(names = "--replace-output", order = 43,
            description = "replace a non-empty output (and withheld) directory when publishing")
    boolean replaceOutput;

    @Option(names = "--work-dir", paramLabel = "DIR", order = 44,
            description = "scratch directory, kept for its logs (default: a new temporary directory, deleted after "
                    + "a successful build)")
    Path workDir;

    @Option(names = "--cache-dir", paramLabel = "DIR", order = 45,
            description = "cache of rebuilt OFED modules and Lustre git mirrors (default $XDG_CACHE_HOME/"
                    + BuildSpec.CACHE_DIR_NAME + " or ~/.cache/" + BuildSpec.CACHE_DIR_NAME + ")")
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

    /** The CLI option of each spec field: error messages start with it. */
    private static final Map<BuildSpec.Field, String> OPTION_OF_FIELD = optionOfField();

    private static Map<BuildSpec.Field, String> optionOfField() {
        Map<BuildSpec.Field, String> m = new EnumMap<>(BuildSpec.Field.class);
        m.put(BuildSpec.Field.BUNDLE, "--bundle");
        m.put(BuildSpec.Field.OFED_SRPM, "--ofed-srpm");
        m.put(BuildSpec.Field.DOCA_REPO, "--doca-repo");
        m.put(BuildSpec.Field.OFED_INSTALLED, "--ofed-installed");
        m.put(BuildSpec.Field.BUNDLE_SHA256, "--ofed-sha256");
        m.put(BuildSpec.Field.BUNDLE_KEY, "--ofed-key");
        m.put(BuildSpec.Field.BUNDLE_KEY_PASSPHRASE_FILE, "--ofed-key-passphrase-file");
        m.put(BuildSpec.Field.KNOWN_HOSTS, "--known-hosts");
        m.put(BuildSpec.Field.KERNEL_RELEASE, "--kernel-release");
        m.put(BuildSpec.Field.KERNEL_SOURCE, "--kernel-source");
        m.put(BuildSpec.Field.OFED_REBUILD, "--ofed-rebuild");
        m.put(BuildSpec.Field.OFED_PACKAGING, "--ofed-packaging");
        m.put(BuildSpec.Field.SUDO, "--sudo");
        m.put(BuildSpec.Field.LUSTRE_REPOSITORY, "--lustre-repo");
        m.put(BuildSpec.Field.LUSTRE_REF, "--lustre-ref");
        m.put(BuildSpec.Field.LUSTRE_DIR, "--lustre-dir");
        m.put(BuildSpec.Field.LUSTRE_KEY, "--lustre-key");
        m.put(BuildSpec.Field.LUSTRE_KEY_PASSPHRASE_FILE, "--lustre-key-passphrase-file");
        m.put(BuildSpec.Field.BACKENDS, "--backend");
        m.put(BuildSpec.Field.ZFS_SOURCE, "--zfs-source");
        m.put(BuildSpec.Field.ZFS_OBJ, "--zfs-obj");
        m.put(BuildSpec.Field.PACKAGING, "--packaging");
        m.put(BuildSpec.Field.MAKE_JOBS, "--jobs");
        m.put(BuildSpec.Field.POLICY, "--policy");
        m.put(BuildSpec.Field.OUTPUT_DIR, "--output");
        m.put(BuildSpec.Field.WITHHELD_DIR, "--withheld-dir");
        m.put(BuildSpec.Field.WORK_DIR, "--work-dir");
        m.put(BuildSpec.Field.CACHE_DIR, "--cache-dir");
        m.put(BuildSpec.Field.MIN_FREE, "--min-free");
        m.put(BuildSpec.Field.ENVIRONMENT, "--env");
        m.put(BuildSpec.Field.TOOL_ENVIRONMENT, "--tool-env");
        m.put(BuildSpec.Field.CHECK_DISTRO, "--no-distro-check");
        return m;
    }

    /** A core error message ({@code outputDir: ...}) with the field replaced by the option ({@code --output: ...}). */
    static String naming(String message) {
        return new BuildSpec().names(OPTION_OF_FIELD).named(message);
    }

    /**
     * A line of the engine's console with the request's field names replaced by the options the user
     * typed: a leading field after the line's indent and bullet ({@code     - lustreRef: ...}), and
     * every field named in parentheses ({@code (kernelSource)} becomes {@code (--kernel-source)}).
     */
    static String namingLine(String line) {
        return new BuildSpec().names(OPTION_OF_FIELD).namedLine(line);
    }

    /** Whether the work directory is a temporary one this run made. */
    boolean temporaryWorkDir;

    /**
     * The request these options describe, from this process's environment; an invalid value is a usage
     * error of {@code spec}'s command (exit 2, one line naming the option).
     */
    BuildRequest toRequest(CommandSpec spec) {
        try {
            return toRequest(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), naming(e.getMessage()), e);
        }
    }

    /** The request these options describe: the core's {@link BuildSpec} filled from the options. */
    BuildRequest toRequest(Map<String, String> processEnv) {
        Path work = workDir;
        if (work == null) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            work = tmp.resolve("mlnx-lustre-work-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
            temporaryWorkDir = true;
        }
        return new BuildSpec().names(OPTION_OF_FIELD)
                .bundle(bundle).ofedSrpm(ofedSrpm).docaRepo(docaRepo).bundleSha256(bundleSha256).bundleKey(bundleKey, null)
                .bundleKeyPassphraseFile(bundleKeyPassphraseFile).knownHosts(knownHosts)
                .kernelRelease(kernelRelease).kernelSource(kernelSource).ofedRebuild(ofedRebuild)
                .ofedPackaging(ofedPackaging).sudo(sudo)
                .lustreRepository(lustreRepo).lustreRef(lustreRef).lustreDir(lustreDir).lustreKey(lustreKey, null)
                .lustreKeyPassphraseFile(lustreKeyPassphraseFile)
                .clientOnly(clientOnly).backends(backends).zfsSource(zfsSource).zfsObj(zfsObj).packaging(packaging)
                .makeJobs(jobs).policy(policy).outputDir(output).withheldDir(withheldDir).replaceOutput(replaceOutput)
                .workDir(work).cacheDir(cacheDir).checkDistro(!noDistroCheck).minFreeMiB(minFreeMiB)
                .environment(env).toolEnvironment(toolEnv)
                .ofedInstalled(ofedInstalled)
                .toRequest(processEnv);
    }
}
