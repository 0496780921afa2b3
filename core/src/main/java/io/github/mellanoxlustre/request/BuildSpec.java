package io.github.mellanoxlustre.request;

import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.policy.PolicyBase;
import io.github.mellanoxlustre.ssh.SshAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A build as a user asks for it: the strings and paths typed on the command line or into the Jenkins
 * form, not yet checked. The one way from those to a {@link BuildRequest}: the CLI fills one from its
 * options, the Jenkins plugin from its form on the agent, and both get the same defaults, the same
 * checks and the same request.
 *
 * <pre>{@code
 * BuildRequest r = new BuildSpec().bundle("/srv/ofed/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz")
 *         .outputDir(Path.of("/srv/rpms/lustre-2.15")).workDir(Path.of("/var/tmp/work"))
 *         .toRequest(System.getenv());
 * }</pre>
 *
 * <p>A value left unset ({@code null}) takes its default (the {@code DEFAULT_} constants below); a
 * value given is checked, even an empty one. Errors are {@link InvalidRequestException}s whose
 * message starts with the name the user typed ({@link #names}: {@code --backend} for the CLI,
 * {@code backends} for the plugin) and states the accepted form.
 *
 * <p>A form to fill in: not thread-safe, not kept. A passphrase given here is not copied: the
 * request's {@link SshAuth} takes its own copy, and the caller clears its array after
 * {@link #toRequest}.
 */
public final class BuildSpec {
    /** How OFED's modules are rebuilt unless told: rootless, as Lustre's lbuild does. */
    public static final String DEFAULT_OFED_REBUILD = "srpm-rebuild";
    /** OFED's kernel modules as a KMP, {@code kmod-mlnx-ofa_kernel}, as lustre-release's lbuild builds them. */
    public static final String DEFAULT_OFED_PACKAGING = "kmp";
    /** {@code sudo -n} for add-kernel-support when not root. */
    public static final String DEFAULT_SUDO = "auto";
    /** The public lustre-release repository. */
    public static final String DEFAULT_LUSTRE_REPOSITORY = LustreSource.DEFAULT_URL;
    public static final String DEFAULT_LUSTRE_REF = "master";
    /** The OSD backend of a server build unless told. */
    public static final String DEFAULT_BACKEND = "ldiskfs";
    public static final String DEFAULT_PACKAGING = "kmod";
    public static final String DEFAULT_POLICY = "distribute";
    /** {@code make -j} unless told: 0 stands for the number of processors of the machine that builds. */
    public static final int DEFAULT_MAKE_JOBS = 0;
    public static final int MAX_MAKE_JOBS = 1024;
    /** The cache's directory name under {@code $XDG_CACHE_HOME} or {@code ~/.cache}. */
    public static final String CACHE_DIR_NAME = "mlnx-lustre";
    /**
     * The name the Jenkins plugin's cache had before it was {@link #CACHE_DIR_NAME} (as the CLI's):
     * no longer used; see docs/jenkins.md.
     */
    public static final String FORMER_PLUGIN_CACHE_DIR_NAME = "mellanox-lustre";
    /** Environment variable holding the bundle key's passphrase when no passphrase (file) is given. */
    public static final String BUNDLE_PASSPHRASE_ENV = "MLNX_LUSTRE_BUNDLE_KEY_PASSPHRASE";
    /** Environment variable holding the Lustre git key's passphrase when no passphrase (file) is given. */
    public static final String LUSTRE_PASSPHRASE_ENV = "MLNX_LUSTRE_GIT_KEY_PASSPHRASE";

    private static final Pattern WORD_SEPARATORS = Pattern.compile("[,\\s]+");
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    /** Each value of a spec; {@link #id()} is the name core's own error messages start with. */
    public enum Field {
        BUNDLE("bundle"), OFED_SRPM("ofedSrpm"), DOCA_REPO("docaRepo"), OFED_INSTALLED("ofedInstalled"),
        BUNDLE_SHA256("bundleSha256"), BUNDLE_KEY("bundleCredentials"),
        BUNDLE_KEY_PASSPHRASE_FILE("bundleKeyPassphraseFile"), KNOWN_HOSTS("lustreKnownHosts"),
        KERNEL_RELEASE("kernelRelease"), KERNEL_SOURCE("kernelSource"), OFED_REBUILD("ofedRebuild"), OFED_PACKAGING("ofedPackaging"),
        SUDO("sudo"),
        LUSTRE_REPOSITORY("lustreRepository"), LUSTRE_REF("lustreRef"), LUSTRE_DIR("lustreDir"),
        LUSTRE_KEY("lustreKey"), LUSTRE_KEY_PASSPHRASE_FILE("lustreKeyPassphraseFile"), BACKENDS("backends"),
        ZFS_SOURCE("zfsSource"), ZFS_OBJ("zfsObj"), PACKAGING("packaging"), MAKE_JOBS("makeJobs"),
        POLICY("policy"), OUTPUT_DIR("outputDir"), WITHHELD_DIR("withheldDir"), WORK_DIR("workDir"),
        CACHE_DIR("cacheDir"), MIN_FREE("minFreeMiB"), ENVIRONMENT("environment"),
        TOOL_ENVIRONMENT("toolEnvironment"), CHECK_DISTRO("checkDistro");

        private final String id;

        Field(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        static Optional<Field> ofId(String id) {
            for (Field f : values()) {
                if (f.id.equals(id)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    private final Map<Field, String> names = new EnumMap<>(Field.class);
    private Path baseDir;
    private String bundle;
    private String ofedSrpm;
    private String docaRepo;
    private boolean ofedInstalled;
    private Path ofedInstalledDir;
    private String bundleSha256;
    private Path bundleKey;
    private char[] bundleKeyPassphrase;
    private Path bundleKeyPassphraseFile;
    private Path knownHosts;
    private String kernelRelease;
    private Path kernelSource;
    private String ofedRebuild;
    private String ofedPackaging;
    private String sudo;
    private String lustreRepository;
    private String lustreRef;
    private Path lustreDir;
    private Path lustreKey;
    private char[] lustreKeyPassphrase;
    private Path lustreKeyPassphraseFile;
    private boolean clientOnly;
    private final List<String> backends = new ArrayList<>();
    private Path zfsSource;
    private Path zfsObj;
    private final List<String> packaging = new ArrayList<>();
    private Integer makeJobs;
    private String policy;
    private Path outputDir;
    private Path withheldDir;
    private boolean replaceOutput;
    private Path workDir;
    private Path cacheDir;
    private boolean checkDistro = true;
    private Long minFreeMiB;
    private final List<String> environment = new ArrayList<>();
    private final List<String> toolEnvironment = new ArrayList<>();

    /**
     * The names the user typed for these fields, e.g. {@code --backend} for {@link Field#BACKENDS};
     * a field not named here is called by its {@link Field#id()}.
     */
    public BuildSpec names(Map<Field, String> typed) {
        names.putAll(typed);
        return this;
    }

    /** The name the user typed for a field. */
    public String name(Field f) {
        return names.getOrDefault(f, f.id());
    }

    /**
     * Relative local paths (a bundle path, the kernel, Lustre and ZFS trees, a policy file, the known_hosts,
     * work and cache directories) are resolved against this directory (the Jenkins workspace); unset,
     * they are taken as given (relative to the current directory).
     */
    public BuildSpec baseDir(Path dir) {
        this.baseDir = dir;
        return this;
    }

    /** A path to the bundle, an {@code http(s)://} URL or an {@code sftp://}/{@code scp://} location. */
    public BuildSpec bundle(String location) {
        this.bundle = location;
        return this;
    }

    /** A path to an {@code mlnx-ofa_kernel} source RPM, an {@code http(s)://} URL or an {@code sftp://}/{@code scp://} location. */
    public BuildSpec ofedSrpm(String location) {
        this.ofedSrpm = location;
        return this;
    }

    /**
     * A DOCA-Host repository: a local {@code doca/<version>/} directory, or its
     * {@code SOURCES/mlnx_ofed/MLNX_OFED_SRC-<version>.tgz} as a path or URL.
     */
    public BuildSpec docaRepo(String location) {
        this.docaRepo = location;
        return this;
    }

    /**
     * Build against the installed OFED.
     *
     * @param dir the OFED kernel tree or a root directory to look under; null: this machine
     */
    public BuildSpec ofedInstalled(Path dir) {
        this.ofedInstalled = true;
        this.ofedInstalledDir = dir;
        return this;
    }

    /**
     * Build against the installed OFED, as a command line or form gives it.
     *
     * @param dir null: not asked for; blank: this machine; otherwise the tree or root directory
     */
    public BuildSpec ofedInstalled(String dir) {
        if (dir == null) {
            return this;
        }
        return ofedInstalled(dir.isBlank() ? null : Path.of(dir));
    }

    /**
     * How OFED's kernel modules are packaged when rebuilt: {@code kmp} ({@code kmod-mlnx-ofa_kernel},
     * the default, as lbuild) or {@code modules} ({@code mlnx-ofa_kernel-modules}, the spec's non-KMP
     * default); null: the default.
     */
    public BuildSpec ofedPackaging(String packaging) {
        this.ofedPackaging = packaging;
        return this;
    }

    /** The SHA-256 of the OFED file that is fetched (bundle, source RPM or DOCA sources archive). */
    public BuildSpec bundleSha256(String hex) {
        this.bundleSha256 = hex;
        return this;
    }

    /** The SSH private key file of an sftp/scp bundle, and its passphrase (null: none). */
    public BuildSpec bundleKey(Path key, char[] passphrase) {
        this.bundleKey = key;
        this.bundleKeyPassphrase = passphrase;
        return this;
    }

    /** A file whose first line is the bundle key's passphrase. */
    public BuildSpec bundleKeyPassphraseFile(Path file) {
        this.bundleKeyPassphraseFile = file;
        return this;
    }

    /** The known_hosts file SSH host keys are checked against; default {@code ~/.ssh/known_hosts}. */
    public BuildSpec knownHosts(Path file) {
        this.knownHosts = file;
        return this;
    }

    public BuildSpec kernelRelease(String release) {
        this.kernelRelease = release;
        return this;
    }

    public BuildSpec kernelSource(Path dir) {
        this.kernelSource = dir;
        return this;
    }

    public BuildSpec ofedRebuild(String method) {
        this.ofedRebuild = method;
        return this;
    }

    public BuildSpec sudo(String mode) {
        this.sudo = mode;
        return this;
    }

    public BuildSpec lustreRepository(String url) {
        this.lustreRepository = url;
        return this;
    }

    public BuildSpec lustreRef(String ref) {
        this.lustreRef = ref;
        return this;
    }

    /** A local Lustre tree instead of a git repository. */
    public BuildSpec lustreDir(Path dir) {
        this.lustreDir = dir;
        return this;
    }

    /** The SSH private key file of a git remote, and its passphrase (null: none). */
    public BuildSpec lustreKey(Path key, char[] passphrase) {
        this.lustreKey = key;
        this.lustreKeyPassphrase = passphrase;
        return this;
    }

    /** A file whose first line is the git key's passphrase. */
    public BuildSpec lustreKeyPassphraseFile(Path file) {
        this.lustreKeyPassphraseFile = file;
        return this;
    }

    public BuildSpec clientOnly(boolean b) {
        this.clientOnly = b;
        return this;
    }

    /** OSD backends: each value one word or a list ({@code "ldiskfs, zfs"}); none means {@value #DEFAULT_BACKEND}. */
    public BuildSpec backends(List<String> values) {
        backends.addAll(values);
        return this;
    }

    public BuildSpec zfsSource(Path dir) {
        this.zfsSource = dir;
        return this;
    }

    public BuildSpec zfsObj(Path dir) {
        this.zfsObj = dir;
        return this;
    }

    /** Packagings: each value one word or a list ({@code "kmod dkms"}); none means {@value #DEFAULT_PACKAGING}. */
    public BuildSpec packaging(List<String> values) {
        packaging.addAll(values);
        return this;
    }

    /** {@code make -j}; null or {@value #DEFAULT_MAKE_JOBS}: the number of processors. */
    public BuildSpec makeJobs(Integer jobs) {
        this.makeJobs = jobs;
        return this;
    }

    /** {@code distribute}, {@code internal} or a policy file. */
    public BuildSpec policy(String p) {
        this.policy = p;
        return this;
    }

    public BuildSpec outputDir(Path dir) {
        this.outputDir = dir;
        return this;
    }

    /** Where forbidden RPMs go; default {@code <output>-withheld} beside the output. */
    public BuildSpec withheldDir(Path dir) {
        this.withheldDir = dir;
        return this;
    }

    public BuildSpec replaceOutput(boolean b) {
        this.replaceOutput = b;
        return this;
    }

    /** Scratch space; required (each front end has its own default). */
    public BuildSpec workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    /** The cache of rebuilt OFED modules and Lustre mirrors; default {@link #defaultCacheDir}. */
    public BuildSpec cacheDir(Path dir) {
        this.cacheDir = dir;
        return this;
    }

    public BuildSpec checkDistro(boolean b) {
        this.checkDistro = b;
        return this;
    }

    public BuildSpec minFreeMiB(Long mib) {
        this.minFreeMiB = mib;
        return this;
    }

    /** Variables set for every tool, each {@code NAME=VALUE}. */
    public BuildSpec environment(List<String> assignments) {
        environment.addAll(assignments);
        return this;
    }

    /** Names of inherited variables passed to every tool: each value a name or a list ({@code "CC, CFLAGS"}). */
    public BuildSpec toolEnvironment(List<String> values) {
        toolEnvironment.addAll(values);
        return this;
    }

    /**
     * The machine's cache: {@code $XDG_CACHE_HOME/mlnx-lustre} when that variable is an absolute
     * path, else {@code $HOME/.cache/mlnx-lustre} (the JVM's {@code user.home} when HOME is unset).
     */
    public static Path defaultCacheDir(Map<String, String> env) {
        return cacheBase(env).resolve(CACHE_DIR_NAME);
    }

    /** Where the Jenkins plugin kept its cache before it shared the CLI's ({@link #FORMER_PLUGIN_CACHE_DIR_NAME}). */
    public static Path formerPluginCacheDir(Map<String, String> env) {
        return cacheBase(env).resolve(FORMER_PLUGIN_CACHE_DIR_NAME);
    }

    private static Path cacheBase(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        return home(env).resolve(".cache");
    }

    private static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home);
    }

    /** {@code "ZFS, ldiskfs"} as {@code [zfs, ldiskfs]}: the words of a list, lower case. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : WORD_SEPARATORS.split(text.strip())) {
            if (!w.isEmpty()) {
                out.add(w.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** The variable names of a list such as {@code "CC, CCACHE_PREFIX"}, as typed (names are case-sensitive). */
    public static Set<String> variableNames(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            for (String n : WORD_SEPARATORS.split(v.strip())) {
                if (!n.isEmpty()) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /**
     * Every problem that can be found without the machine that builds (no file is read, no path
     * resolved), all at once, each starting with the name the user typed: what a form checks before
     * sending the build to an agent.
     */
    public List<String> problems() {
        Set<String> out = new LinkedHashSet<>();
        OfedSource ofed = check(out, this::ofedSource);
        if (ofed != null) {
            check(out, () -> checkBundleKey(ofed));
        }
        check(out, this::kernel);
        check(out, this::rebuildMethod);
        check(out, this::ofedKmp);
        check(out, this::sudoMode);
        check(out, this::checkLustreSource);
        check(out, this::jobs);
        check(out, this::lustreOptions);
        check(out, this::explicitEnvironment);
        check(out, () -> BuildSettings.defaults().withPassEnvironment(variableNames(toolEnvironment)));
        if (policy != null && policy.isBlank()) {
            out.add(name(Field.POLICY) + ": empty; expected distribute, internal or the path of a policy file");
        }
        if (minFreeMiB != null && minFreeMiB < 0) {
            out.add(name(Field.MIN_FREE) + ": " + minFreeMiB + " is negative; expected MiB, 0 or more");
        }
        return List.copyOf(out);
    }

    /**
     * The request, every value checked by the engine's own types (a passphrase file is read here).
     *
     * @param env the environment of the process that builds: {@code HOME} and {@code XDG_CACHE_HOME}
     *            for the defaults, the passphrase variables, and the variables the tools' allowlist
     *            takes (a Jenkins build passes its EnvVars)
     * @throws InvalidRequestException naming the field as the user typed it and the accepted form
     */
    public BuildRequest toRequest(Map<String, String> env) {
        try {
            return request(env);
        } catch (InvalidRequestException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(named(e.getMessage()), e);
        }
    }

    private BuildRequest request(Map<String, String> env) {
        OfedSource ofed = ofedSource();
        Optional<SshAuth> bundleSsh = bundleSsh(ofed, env);
        KernelTarget kernel = kernel();
        RebuildMethod method = rebuildMethod();
        LustreSource lustre = lustreSource(env);
        LustreOptions options = lustreOptions();
        BuildSettings settings = settings(env);
        if (outputDir == null) {
            throw new InvalidRequestException(name(Field.OUTPUT_DIR) + ": required; expected the directory the RPMs "
                    + "are published to");
        }
        if (workDir == null) {
            throw new InvalidRequestException(name(Field.WORK_DIR) + ": required; expected a scratch directory");
        }
        Path cache = cacheDir == null ? defaultCacheDir(env) : local(cacheDir);
        return new BuildRequest(ofed, bundleSsh, kernel, method, lustre, options, policyPath(), outputDir,
                local(workDir), cache, settings);
    }

    /** A core message ({@code lustreDir: ...}) with its leading field id, and every field id in parentheses, replaced by the name the user typed. */
    public String named(String message) {
        if (message == null) {
            return null;
        }
        int colon = message.indexOf(": ");
        Optional<Field> f = colon > 0 ? Field.ofId(message.substring(0, colon)) : Optional.empty();
        String named = f.map(field -> name(field) + message.substring(colon)).orElse(message);
        for (Field other : Field.values()) {
            named = named.replace("(" + other.id() + ")", "(" + name(other) + ")");
        }
        return named;
    }

    /**
     * A line of the engine's console with the request's field names replaced by the names the user
     * typed: a leading field after the line's indent and bullet ({@code     - lustreRef: ...}) and every
     * field named in parentheses ({@code (kernelSource)}), as {@link #named(String)} does for a message.
     */
    public String namedLine(String line) {
        if (line == null) {
            return null;
        }
        int start = 0;
        while (start < line.length() && (line.charAt(start) == ' ' || line.charAt(start) == '-')) {
            start++;
        }
        return line.substring(0, start) + named(line.substring(start));
    }

    private interface Check<T> {
        T get();
    }

    private <T> T check(Set<String> out, Check<T> c) {
        try {
            return c.get();
        } catch (IllegalArgumentException e) {
            out.add(named(e.getMessage()));
            return null;
        }
    }

    /** The one OFED source the spec names: a bundle, a source RPM, a DOCA repository or the installed OFED. */
    private OfedSource ofedSource() {
        List<String> given = new ArrayList<>();
        if (bundle != null && !bundle.isBlank()) {
            given.add(name(Field.BUNDLE));
        }
        if (ofedSrpm != null && !ofedSrpm.isBlank()) {
            given.add(name(Field.OFED_SRPM));
        }
        if (docaRepo != null && !docaRepo.isBlank()) {
            given.add(name(Field.DOCA_REPO));
        }
        if (ofedInstalled) {
            given.add(name(Field.OFED_INSTALLED));
        }
        if (given.size() > 1) {
            throw new InvalidRequestException(given.get(0) + ": give exactly one OFED source, not " + String.join(
                    " and ", given) + ": " + ofedSourceForms());
        }
        if (ofedSrpm != null && !ofedSrpm.isBlank()) {
            return OfedSource.parseSrpm(local(ofedSrpm), bundleSha256);
        }
        if (docaRepo != null && !docaRepo.isBlank()) {
            return OfedSource.parseDoca(local(docaRepo), bundleSha256);
        }
        if (ofedInstalled) {
            if (bundleSha256 != null && !bundleSha256.isBlank()) {
                throw new InvalidRequestException(name(Field.BUNDLE_SHA256) + ": only for an OFED file that is "
                        + "fetched, not with " + name(Field.OFED_INSTALLED));
            }
            return new OfedSource.Installed(Optional.ofNullable(ofedInstalledDir).map(this::local));
        }
        if (bundle == null || bundle.isBlank()) {
            throw new InvalidRequestException(name(Field.BUNDLE) + ": no OFED source given; expected one of "
                    + ofedSourceForms());
        }
        return OfedSource.parseBundle(local(bundle), bundleSha256);
    }

    private String ofedSourceForms() {
        return name(Field.BUNDLE) + " (an MLNX_OFED bundle), " + name(Field.OFED_SRPM) + " (an mlnx-ofa_kernel "
                + "source RPM), " + name(Field.DOCA_REPO) + " (a DOCA-Host repository) or " + name(Field.OFED_INSTALLED)
                + " (the OFED installed on the build machine)";
    }

    /** A local path resolved against the base directory; a URL as it is. */
    private String local(String where) {
        if (baseDir != null && where != null && !where.isBlank() && !URL.matcher(where).matches()) {
            return baseDir.resolve(where).normalize().toString();
        }
        return where;
    }

    private Void checkBundleKey(OfedSource ofed) {
        if (ofed.location().orElse(null) instanceof BundleLocation.Ssh ssh) {
            if (bundleKey == null) {
                throw new InvalidRequestException(name(Field.BUNDLE_KEY) + ": an " + ssh.scheme()
                        + ":// OFED location needs an SSH private key file");
            }
        } else if (bundleKey != null || bundleKeyPassphraseFile != null) {
            throw new InvalidRequestException(name(Field.BUNDLE_KEY) + ": only for an sftp:// or scp:// OFED location");
        }
        return null;
    }

    private Optional<SshAuth> bundleSsh(OfedSource location, Map<String, String> env) {
        checkBundleKey(location);
        if (bundleKey == null) {
            return Optional.empty();
        }
        char[] passphrase = passphrase(Field.BUNDLE_KEY_PASSPHRASE_FILE, bundleKeyPassphraseFile,
                bundleKeyPassphrase, env.get(BUNDLE_PASSPHRASE_ENV));
        return Optional.of(new SshAuth(local(bundleKey), passphrase, knownHosts(env)));
    }

    private KernelTarget kernel() {
        return new KernelTarget(Optional.ofNullable(kernelRelease).map(KernelTarget::checkRelease),
                Optional.ofNullable(kernelSource).map(this::local));
    }

    private RebuildMethod rebuildMethod() {
        return RebuildMethod.parse(ofedRebuild == null ? DEFAULT_OFED_REBUILD : ofedRebuild);
    }

    private SudoMode sudoMode() {
        return SudoMode.parse(sudo == null ? DEFAULT_SUDO : sudo);
    }

    /** The Lustre source without its key's passphrase: both kinds at once, or a passphrase without key, are refused. */
    private LustreSource checkLustreSource() {
        if (lustreDir != null) {
            if (lustreRepository != null || lustreRef != null || lustreKey != null) {
                throw new InvalidRequestException(name(Field.LUSTRE_DIR) + ": give either " + name(Field.LUSTRE_DIR)
                        + " or " + name(Field.LUSTRE_REPOSITORY) + "/" + name(Field.LUSTRE_REF) + "/"
                        + name(Field.LUSTRE_KEY) + ", not both");
            }
            return new LustreSource.Local(local(lustreDir));
        }
        if (lustreKey == null && lustreKeyPassphraseFile != null) {
            throw new InvalidRequestException(name(Field.LUSTRE_KEY_PASSPHRASE_FILE) + ": given without "
                    + name(Field.LUSTRE_KEY));
        }
        return new LustreSource.Git(lustreRepository == null ? DEFAULT_LUSTRE_REPOSITORY : lustreRepository,
                lustreRef == null ? DEFAULT_LUSTRE_REF : lustreRef, Optional.empty());
    }

    private LustreSource lustreSource(Map<String, String> env) {
        LustreSource checked = checkLustreSource();
        if (!(checked instanceof LustreSource.Git git) || lustreKey == null) {
            return checked;
        }
        char[] passphrase = passphrase(Field.LUSTRE_KEY_PASSPHRASE_FILE, lustreKeyPassphraseFile,
                lustreKeyPassphrase, env.get(LUSTRE_PASSPHRASE_ENV));
        return new LustreSource.Git(git.url(), git.ref(),
                Optional.of(new SshAuth(local(lustreKey), passphrase, knownHosts(env))));
    }

    private LustreOptions lustreOptions() {
        Set<LustreOptions.Backend> be = EnumSet.noneOf(LustreOptions.Backend.class);
        for (String v : backends) {
            for (String w : words(v)) {
                be.add(LustreOptions.Backend.parse(w));
            }
        }
        if (clientOnly && !be.isEmpty()) {
            throw new InvalidRequestException(name(Field.BACKENDS) + ": a client-only build has no OSD backend");
        }
        if (!clientOnly && be.isEmpty()) {
            be.add(LustreOptions.Backend.parse(DEFAULT_BACKEND));
        }
        Set<LustreOptions.Packaging> pk = EnumSet.noneOf(LustreOptions.Packaging.class);
        for (String v : packaging) {
            for (String w : words(v)) {
                pk.add(LustreOptions.Packaging.parse(w));
            }
        }
        if (pk.isEmpty()) {
            pk.add(LustreOptions.Packaging.parse(DEFAULT_PACKAGING));
        }
        return new LustreOptions(!clientOnly, be, Optional.ofNullable(zfsSource).map(this::local),
                Optional.ofNullable(zfsObj).map(this::local), pk, jobs());
    }

    private int jobs() {
        if (makeJobs == null || makeJobs == DEFAULT_MAKE_JOBS) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (makeJobs < 0 || makeJobs > MAX_MAKE_JOBS) {
            throw new InvalidRequestException(name(Field.MAKE_JOBS) + ": " + makeJobs + " is not a job count; "
                    + "expected 1 to " + MAX_MAKE_JOBS + ", or " + DEFAULT_MAKE_JOBS + " for the number of processors");
        }
        return makeJobs;
    }

    private Map<String, String> explicitEnvironment() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String e : environment) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new InvalidRequestException(name(Field.ENVIRONMENT) + ": '" + e + "' is not NAME=VALUE");
            }
            out.put(e.substring(0, eq), e.substring(eq + 1));
        }
        return out;
    }

    private BuildSettings settings(Map<String, String> env) {
        BuildSettings s = BuildSettings.defaults().withCheckDistro(checkDistro).withReplaceOutput(replaceOutput)
                .withEnvironment(explicitEnvironment()).withSudo(sudoMode()).withInherited(env)
                .withPassEnvironment(variableNames(toolEnvironment)).withOfedKmp(ofedKmp());
        if (withheldDir != null) {
            s = s.withWithheldDir(withheldDir);
        }
        if (minFreeMiB != null) {
            s = s.withMinFreeMiB(minFreeMiB);
        }
        return s;
    }

    /** Whether OFED is rebuilt as a KMP: {@code kmp} (the default) or {@code modules}, in any case. */
    private boolean ofedKmp() {
        String p = ofedPackaging == null || ofedPackaging.isBlank() ? DEFAULT_OFED_PACKAGING
                : ofedPackaging.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (p) {
            case "kmp" -> true;
            case "modules" -> false;
            default -> throw new IllegalArgumentException(name(Field.OFED_PACKAGING) + ": '" + ofedPackaging.strip()
                    + "' is not an OFED kernel packaging; expected kmp (kmod-mlnx-ofa_kernel, as lbuild builds it) "
                    + "or modules (mlnx-ofa_kernel-modules, the spec's non-KMP default)");
        };
    }

    /** The policy: a keyword as given, a policy file resolved against the base directory. */
    private String policyPath() {
        String p = policy == null ? DEFAULT_POLICY : policy;
        if (baseDir == null || p.isBlank() || PolicyBase.parse(p).isPresent()) {
            return p;
        }
        return baseDir.resolve(p).normalize().toString();
    }

    private Path knownHosts(Map<String, String> env) {
        return knownHosts != null ? local(knownHosts) : home(env).resolve(".ssh").resolve("known_hosts");
    }

    private Path local(Path p) {
        return baseDir == null ? p : baseDir.resolve(p).normalize();
    }

    /** The passphrase from a file (first line), else the one given, else the environment variable. */
    private char[] passphrase(Field fileField, Path file, char[] given, String fromEnv) {
        if (file != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(local(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidRequestException(name(fileField) + ": cannot read '" + file + "': " + e.getMessage(),
                        e);
            }
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new InvalidRequestException(name(fileField) + ": '" + file + "' is empty; expected the "
                        + "passphrase on its first line");
            }
            return lines.get(0).toCharArray();
        }
        if (given != null) {
            return given;
        }
        return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv.toCharArray();
    }

    /** The fields of this spec, without passphrases (for logs). */
    @Override
    public String toString() {
        return "BuildSpec[bundle=" + bundle + ", kernelRelease=" + kernelRelease + ", ofedRebuild=" + ofedRebuild
                + ", lustre=" + (lustreDir != null ? lustreDir : lustreRepository + "@" + lustreRef)
                + ", clientOnly=" + clientOnly + ", backends=" + backends + ", packaging=" + packaging + ", policy="
                + policy + ", outputDir=" + outputDir + "]";
    }
}
