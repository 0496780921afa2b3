package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.github.mellanoxlustre.detach.DetachedSpec;
import io.github.mellanoxlustre.detach.EngineSecrets;
import io.github.mellanoxlustre.request.BuildSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Every option of one Lustre build, shared by the Pipeline step {@code mellanoxLustreBuild} and the
 * freestyle builder: both hold one of these and expose its fields as their own data-bound
 * properties, so the two speak the same names with the same defaults.
 *
 * <p>It is also the one describable of those options' form: its {@link DescriptorImpl} holds the
 * form's {@code @POST doCheck*}/{@code doFill*} methods (delegating to {@link OptionsValidation}) and
 * its help files, and {@code options.jelly} renders the fields with this descriptor for both the step
 * and the builder. The step and the builder keep the flat data-bound names (Stapler and structs only
 * look at a class and its superclasses, and {@code Step} and {@code Builder} share none), so old
 * {@code config.xml} files and Pipeline scripts load unchanged.
 *
 * <p>Only plain strings, booleans and ints: it is persisted in {@code config.xml} (freestyle), sent
 * to the agent, and its paths are agent-side paths that mean nothing on the controller. No secret
 * is ever held here: credentials are referenced by id.
 *
 * <p>It parses nothing itself: {@link #toSpec()} hands the strings to core's {@link BuildSpec}, the
 * one way from what a user typed to a build request (the CLI's too), which owns the defaults, the
 * checks and the messages.
 */
public final class BuildOptions implements Describable<BuildOptions>, Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The nested parameters of the step and the builder: the OFED source, the Lustre source, the target
     * kernel and the output, each a describable with its own form ({@link OfedSource},
     * {@link LustreSource}, {@link TargetKernel}, {@link RpmOutput}) over this object's fields.
     */
    public static final List<String> NESTED = List.of("ofed", "kernel", "lustre", "output");

    /** The flat parameters of the step and the builder that the form shows as fields of their own, in form order. */
    public static final List<String> FLAT = List.of("ofedRebuild", "ofedPackaging", "clientOnly", "backends",
            "zfsSource", "zfsObj", "packaging", "makeJobs", "knownHosts", "knownHostsFile", "sudo", "checkDistro",
            "workDir", "cacheDir", "toolEnvironment");

    /**
     * The flat names of the nested parameters' fields, as Pipeline scripts and {@code config.xml} files
     * written before the nested parameters use them: still accepted ({@code @Deprecated} setters of the
     * step and the builder, which structs leaves out of generated snippets), never shown in the form.
     */
    public static final List<String> DEPRECATED = List.of("bundle", "ofedSrpm", "docaRepo", "ofedInstalled",
            "ofedInstalledDir", "bundleSha256", "bundleCredentialsId", "kernelRelease", "kernelSourceDir",
            "lustreRepository", "lustreRef", "lustreCredentialsId", "lustreSourceDir", "policy", "outputDir",
            "archive");

    /** Every data-bound property name of the step and the builder: both copy these fields' help from this class. */
    public static final List<String> FIELDS = concat(NESTED, FLAT, DEPRECATED);

    /** Workspace-relative directory the distributable RPMs are published to (and archived from). */
    public static final String DEFAULT_OUTPUT_DIR = "lustre-rpms";
    /** Rootless by default: Jenkins agents rarely have password-less sudo. */
    public static final String DEFAULT_OFED_REBUILD = BuildSpec.DEFAULT_OFED_REBUILD;
    public static final String DEFAULT_LUSTRE_REF = BuildSpec.DEFAULT_LUSTRE_REF;
    public static final String DEFAULT_BACKENDS = BuildSpec.DEFAULT_BACKEND;
    public static final String DEFAULT_PACKAGING = BuildSpec.DEFAULT_PACKAGING;
    public static final String DEFAULT_POLICY = BuildSpec.DEFAULT_POLICY;
    public static final String DEFAULT_SUDO = BuildSpec.DEFAULT_SUDO;

    /** The form's field of each spec field whose name differs from the spec's: error messages start with it. */
    private static final Map<BuildSpec.Field, String> FIELD_NAMES = fieldNames();

    /** The same for options given with the nested parameters: their fields' names, as typed. */
    private static final Map<BuildSpec.Field, String> NESTED_FIELD_NAMES = nestedFieldNames();

    private static Map<BuildSpec.Field, String> fieldNames() {
        Map<BuildSpec.Field, String> m = new EnumMap<>(BuildSpec.Field.class);
        m.put(BuildSpec.Field.BUNDLE_KEY, "bundleCredentialsId");
        m.put(BuildSpec.Field.KNOWN_HOSTS, "knownHostsFile");
        m.put(BuildSpec.Field.KERNEL_SOURCE, "kernelSourceDir");
        m.put(BuildSpec.Field.LUSTRE_DIR, "lustreSourceDir");
        m.put(BuildSpec.Field.LUSTRE_KEY, "lustreCredentialsId");
        return m;
    }

    private static Map<BuildSpec.Field, String> nestedFieldNames() {
        Map<BuildSpec.Field, String> m = new EnumMap<>(BuildSpec.Field.class);
        m.put(BuildSpec.Field.BUNDLE, "ofed.location");
        m.put(BuildSpec.Field.OFED_SRPM, "ofed.location");
        m.put(BuildSpec.Field.DOCA_REPO, "ofed.location");
        m.put(BuildSpec.Field.OFED_INSTALLED, "ofed.directory");
        m.put(BuildSpec.Field.BUNDLE_SHA256, "ofed.sha256");
        m.put(BuildSpec.Field.BUNDLE_KEY, "ofed.credentialsId");
        m.put(BuildSpec.Field.KNOWN_HOSTS, "knownHostsFile");
        m.put(BuildSpec.Field.KERNEL_RELEASE, "kernel.release");
        m.put(BuildSpec.Field.KERNEL_SOURCE, "kernel.sourceDir");
        m.put(BuildSpec.Field.LUSTRE_REPOSITORY, "lustre.repository");
        m.put(BuildSpec.Field.LUSTRE_REF, "lustre.ref");
        m.put(BuildSpec.Field.LUSTRE_DIR, "lustre.directory");
        m.put(BuildSpec.Field.LUSTRE_KEY, "lustre.credentialsId");
        m.put(BuildSpec.Field.POLICY, "output.policy");
        m.put(BuildSpec.Field.OUTPUT_DIR, "output.directory");
        return m;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return List.copyOf(all);
    }

    private String bundle = "";
    private String ofedSrpm = "";
    private String docaRepo = "";
    // Boxed for readResolve, as checkDistro below.
    private Boolean ofedInstalled = false;
    private String ofedInstalledDir = "";
    private String bundleSha256 = "";
    private String bundleCredentialsId = "";
    private String knownHosts = "";
    private String knownHostsFile = "";
    private String kernelRelease = "";
    private String kernelSourceDir = "";
    private String ofedRebuild = DEFAULT_OFED_REBUILD;
    private String ofedPackaging = BuildSpec.DEFAULT_OFED_PACKAGING;
    private String sudo = DEFAULT_SUDO;
    private String lustreRepository = BuildSpec.DEFAULT_LUSTRE_REPOSITORY;
    private String lustreRef = DEFAULT_LUSTRE_REF;
    private String lustreCredentialsId = "";
    private String lustreSourceDir = "";
    private boolean clientOnly;
    private String backends = DEFAULT_BACKENDS;
    private String zfsSource = "";
    private String zfsObj = "";
    private String packaging = DEFAULT_PACKAGING;
    private int makeJobs;
    private String policy = DEFAULT_POLICY;
    private String outputDir = DEFAULT_OUTPUT_DIR;
    private String workDir = "";
    private String cacheDir = "";
    private String toolEnvironment = "";
    // Boxed so that readResolve can tell "absent from an older config.xml" (null) from false: XStream
    // does not run field initialisers, and a missing primitive would read as false (no archiving).
    private Boolean checkDistro = true;
    private Boolean archive = true;
    /**
     * Whether the options were last given with the nested parameters (then messages name their fields,
     * {@code ofed.sha256}); null, left out of {@code config.xml}, for the flat names of older scripts.
     */
    @CheckForNull
    private Boolean nested;

    public BuildOptions() {
    }

    /** Fills fields that an older {@code config.xml} lacks with today's defaults. */
    protected Object readResolve() {
        BuildOptions d = new BuildOptions();
        bundle = or(bundle, d.bundle);
        ofedSrpm = or(ofedSrpm, "");
        docaRepo = or(docaRepo, "");
        if (ofedInstalled == null) {
            ofedInstalled = false;
        }
        ofedInstalledDir = or(ofedInstalledDir, "");
        bundleSha256 = or(bundleSha256, "");
        bundleCredentialsId = or(bundleCredentialsId, "");
        knownHosts = or(knownHosts, "");
        knownHostsFile = or(knownHostsFile, "");
        kernelRelease = or(kernelRelease, "");
        kernelSourceDir = or(kernelSourceDir, "");
        ofedRebuild = or(ofedRebuild, d.ofedRebuild);
        ofedPackaging = or(ofedPackaging, d.ofedPackaging);
        sudo = or(sudo, d.sudo);
        lustreRepository = or(lustreRepository, d.lustreRepository);
        lustreRef = or(lustreRef, d.lustreRef);
        lustreCredentialsId = or(lustreCredentialsId, "");
        lustreSourceDir = or(lustreSourceDir, "");
        backends = or(backends, d.backends);
        zfsSource = or(zfsSource, "");
        zfsObj = or(zfsObj, "");
        packaging = or(packaging, d.packaging);
        policy = or(policy, d.policy);
        outputDir = or(outputDir, d.outputDir);
        workDir = or(workDir, "");
        cacheDir = or(cacheDir, "");
        toolEnvironment = or(toolEnvironment, "");
        if (checkDistro == null) {
            checkDistro = d.checkDistro;
        }
        if (archive == null) {
            archive = d.archive;
        }
        return this;
    }

    private static String or(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String clean(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** A copy, e.g. to expand variables in without touching the configured instance. */
    public BuildOptions copy() {
        BuildOptions c = new BuildOptions();
        c.bundle = bundle;
        c.ofedSrpm = ofedSrpm;
        c.docaRepo = docaRepo;
        c.ofedInstalled = ofedInstalled;
        c.ofedInstalledDir = ofedInstalledDir;
        c.bundleSha256 = bundleSha256;
        c.bundleCredentialsId = bundleCredentialsId;
        c.knownHosts = knownHosts;
        c.knownHostsFile = knownHostsFile;
        c.kernelRelease = kernelRelease;
        c.kernelSourceDir = kernelSourceDir;
        c.ofedRebuild = ofedRebuild;
        c.ofedPackaging = ofedPackaging;
        c.sudo = sudo;
        c.lustreRepository = lustreRepository;
        c.lustreRef = lustreRef;
        c.lustreCredentialsId = lustreCredentialsId;
        c.lustreSourceDir = lustreSourceDir;
        c.clientOnly = clientOnly;
        c.backends = backends;
        c.zfsSource = zfsSource;
        c.zfsObj = zfsObj;
        c.packaging = packaging;
        c.makeJobs = makeJobs;
        c.policy = policy;
        c.outputDir = outputDir;
        c.workDir = workDir;
        c.cacheDir = cacheDir;
        c.toolEnvironment = toolEnvironment;
        c.checkDistro = checkDistro;
        c.archive = archive;
        c.nested = nested;
        return c;
    }

    /**
     * A copy with {@code ${VAR}} references expanded from the build's environment (the values a
     * freestyle user types, and the {@code env} of a Pipeline). {@code knownHosts} is content, not
     * expanded. The credentials ids are not expanded either: {@code ${NAME}} there names a credentials
     * parameter, which only {@code CredentialsProvider.findCredentialById} may resolve (with the
     * permissions of the user who started the build); expanded first, any string parameter could name
     * any credential the job can see.
     */
    public BuildOptions expand(@NonNull EnvVars env) {
        BuildOptions c = copy();
        c.bundle = env.expand(bundle);
        c.ofedSrpm = env.expand(ofedSrpm);
        c.docaRepo = env.expand(docaRepo);
        c.ofedInstalledDir = env.expand(ofedInstalledDir);
        c.bundleSha256 = env.expand(bundleSha256);
        c.knownHostsFile = env.expand(knownHostsFile);
        c.kernelRelease = env.expand(kernelRelease);
        c.kernelSourceDir = env.expand(kernelSourceDir);
        c.lustreRepository = env.expand(lustreRepository);
        c.lustreRef = env.expand(lustreRef);
        c.lustreSourceDir = env.expand(lustreSourceDir);
        c.zfsSource = env.expand(zfsSource);
        c.zfsObj = env.expand(zfsObj);
        c.policy = env.expand(policy);
        c.outputDir = env.expand(outputDir);
        c.workDir = env.expand(workDir);
        c.cacheDir = env.expand(cacheDir);
        return c;
    }

    /**
     * Checks every value that can be checked without the agent, with the engine's own validators
     * ({@link BuildSpec#problems()}), and collects every problem at once. Each message names the field
     * and the accepted form.
     */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        try {
            out.addAll(toSpec().problems());
        } catch (IllegalArgumentException e) { // a path the controller's file system cannot hold
            out.add(e.getMessage());
        }
        String dirProblem = WorkspacePaths.checkRelative(fieldName(BuildSpec.Field.OUTPUT_DIR), outputDir);
        if (dirProblem != null) {
            out.add(dirProblem);
        }
        return out;
    }

    /**
     * These options as core's build spec: every value as typed, paths still relative to the
     * workspace (the agent sets {@link BuildSpec#baseDir}, the output, work directory and keys).
     * A Jenkins build replaces its previous output: the output directory is the job's to reuse.
     * With a local Lustre tree the repository, ref and key fields (which always hold a value in the
     * form) are not used.
     */
    public BuildSpec toSpec() {
        return toDetachedSpec().toBuildSpec(EngineSecrets.of(Map.of()));
    }

    /**
     * These options as the request of a detached engine process (core's {@link DetachedSpec}, the
     * same values {@link #toSpec()} has, which is made from it): what the agent starts the engine
     * with, after setting the workspace-dependent paths.
     */
    public DetachedSpec toDetachedSpec() {
        DetachedSpec s = new DetachedSpec().names(isNested() ? NESTED_FIELD_NAMES : FIELD_NAMES)
                .bundle(orNull(bundle)).ofedSrpm(orNull(ofedSrpm)).docaRepo(orNull(docaRepo))
                .bundleSha256(orNull(bundleSha256)).knownHosts(path(knownHostsFile))
                .kernelRelease(orNull(kernelRelease)).kernelSource(path(kernelSourceDir))
                .ofedRebuild(ofedRebuild).ofedPackaging(ofedPackaging).sudo(sudo).clientOnly(clientOnly)
                .zfsSource(path(zfsSource)).zfsObj(path(zfsObj)).packaging(List.of(packaging)).makeJobs(makeJobs)
                .policy(policy).cacheDir(path(cacheDir)).toolEnvironment(List.of(toolEnvironment))
                .checkDistro(isCheckDistro()).replaceOutput(true);
        if (isOfedInstalled()) {
            s.ofedInstalled(ofedInstalledDir == null || ofedInstalledDir.isBlank() ? null : Path.of(ofedInstalledDir));
        }
        if (lustreSourceDir.isEmpty()) {
            s.lustreRepository(lustreRepository).lustreRef(lustreRef);
        } else {
            s.lustreDir(Path.of(lustreSourceDir));
        }
        if (!clientOnly) {
            s.backends(List.of(backends));
        }
        return s;
    }

    @CheckForNull
    private static String orNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    @CheckForNull
    private static Path path(String value) {
        return value == null || value.isEmpty() ? null : Path.of(value);
    }

    /**
     * The build variables passed to the engine's tools on top of its allowlist: names separated by
     * spaces or commas, as typed (names are case-sensitive).
     */
    public Set<String> toolEnvironmentNames() {
        return BuildSpec.variableNames(List.of(toolEnvironment));
    }

    /**
     * {@code "zfs ldiskfs"} as {@code "ldiskfs,zfs"}: the form's drop-down offers only the canonical
     * spellings and would silently replace any other one by its first entry when the page is saved.
     * Text with an unknown word stays as typed, for {@link #problems()} to report.
     */
    static String canonicalList(String text, List<String> order) {
        List<String> words = BuildSpec.words(text);
        if (words.isEmpty() || !order.containsAll(words)) {
            return text;
        }
        List<String> out = new ArrayList<>();
        for (String w : order) {
            if (words.contains(w)) {
                out.add(w);
            }
        }
        return String.join(",", out);
    }

    /** Messages name the nested parameters' fields from now on: the options were given with them. */
    void useNestedNames() {
        nested = true;
    }

    /** The name messages give {@code field}: as the user typed it, flat or nested. */
    public String fieldName(BuildSpec.Field field) {
        return (isNested() ? NESTED_FIELD_NAMES : FIELD_NAMES).getOrDefault(field, field.id());
    }

    /** Whether messages name the nested parameters' fields ({@link #useNestedNames()}). */
    public boolean isNested() {
        return nested != null && nested;
    }

    /** The OFED source these options name, or null when none. */
    @CheckForNull
    public OfedSource getOfed() {
        return OfedSource.of(this);
    }

    /** Replaces the OFED source. */
    public void setOfed(@CheckForNull OfedSource ofed) {
        if (ofed == null) {
            OfedSource.clear(this);
        } else {
            ofed.applyTo(this);
        }
        useNestedNames();
    }

    public LustreSource getLustre() {
        return LustreSource.of(this);
    }

    /** Replaces the Lustre source (null: lustre-release's master). */
    public void setLustre(@CheckForNull LustreSource lustre) {
        (lustre == null ? new LustreGit() : lustre).applyTo(this);
        useNestedNames();
    }

    public TargetKernel getKernel() {
        return TargetKernel.of(this);
    }

    /** Replaces the target kernel (null: the agent's running kernel). */
    public void setKernel(@CheckForNull TargetKernel kernel) {
        (kernel == null ? new TargetKernel() : kernel).applyTo(this);
        useNestedNames();
    }

    public RpmOutput getOutput() {
        return RpmOutput.of(this);
    }

    /** Replaces the policy and output (null: the defaults). */
    public void setOutput(@CheckForNull RpmOutput output) {
        (output == null ? new RpmOutput() : output).applyTo(this);
        useNestedNames();
    }

    // Getters and setters: the data-bound property names of the step and the builder.

    public String getBundle() {
        return bundle;
    }

    public void setBundle(String bundle) {
        this.bundle = clean(bundle, "");
    }

    /**
     * The OFED location the SSH credentials are for: the bundle, the source RPM or the DOCA
     * repository, whichever is given (the build refuses more than one).
     */
    public String ofedLocation() {
        return firstGiven(bundle, ofedSrpm, docaRepo);
    }

    /** The first of {@code values} that is not blank, or "". */
    static String firstGiven(@CheckForNull String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return "";
    }

    public String getOfedSrpm() {
        return ofedSrpm;
    }

    public void setOfedSrpm(String ofedSrpm) {
        this.ofedSrpm = clean(ofedSrpm, "");
    }

    public String getDocaRepo() {
        return docaRepo;
    }

    public void setDocaRepo(String docaRepo) {
        this.docaRepo = clean(docaRepo, "");
    }

    public boolean isOfedInstalled() {
        return ofedInstalled != null && ofedInstalled;
    }

    public void setOfedInstalled(boolean ofedInstalled) {
        this.ofedInstalled = ofedInstalled;
    }

    public String getOfedInstalledDir() {
        return ofedInstalledDir;
    }

    public void setOfedInstalledDir(String ofedInstalledDir) {
        this.ofedInstalledDir = clean(ofedInstalledDir, "");
    }

    public String getBundleSha256() {
        return bundleSha256;
    }

    public void setBundleSha256(String bundleSha256) {
        this.bundleSha256 = clean(bundleSha256, "");
    }

    public String getBundleCredentialsId() {
        return bundleCredentialsId;
    }

    public void setBundleCredentialsId(String bundleCredentialsId) {
        this.bundleCredentialsId = clean(bundleCredentialsId, "");
    }

    public String getKnownHosts() {
        return knownHosts;
    }

    public void setKnownHosts(String knownHosts) {
        this.knownHosts = knownHosts == null || knownHosts.isBlank() ? "" : knownHosts.strip() + "\n";
    }

    public String getKnownHostsFile() {
        return knownHostsFile;
    }

    public void setKnownHostsFile(String knownHostsFile) {
        this.knownHostsFile = clean(knownHostsFile, "");
    }

    public String getKernelRelease() {
        return kernelRelease;
    }

    public void setKernelRelease(String kernelRelease) {
        this.kernelRelease = clean(kernelRelease, "");
    }

    public String getKernelSourceDir() {
        return kernelSourceDir;
    }

    public void setKernelSourceDir(String kernelSourceDir) {
        this.kernelSourceDir = clean(kernelSourceDir, "");
    }

    public String getOfedRebuild() {
        return ofedRebuild;
    }

    public void setOfedRebuild(String ofedRebuild) {
        this.ofedRebuild = clean(ofedRebuild, DEFAULT_OFED_REBUILD);
    }

    public String getOfedPackaging() {
        return ofedPackaging;
    }

    public void setOfedPackaging(String ofedPackaging) {
        this.ofedPackaging = clean(ofedPackaging, BuildSpec.DEFAULT_OFED_PACKAGING);
    }

    public String getSudo() {
        return sudo;
    }

    public void setSudo(String sudo) {
        this.sudo = clean(sudo, DEFAULT_SUDO);
    }

    public String getLustreRepository() {
        return lustreRepository;
    }

    public void setLustreRepository(String lustreRepository) {
        this.lustreRepository = clean(lustreRepository, BuildSpec.DEFAULT_LUSTRE_REPOSITORY);
    }

    public String getLustreRef() {
        return lustreRef;
    }

    public void setLustreRef(String lustreRef) {
        this.lustreRef = clean(lustreRef, DEFAULT_LUSTRE_REF);
    }

    public String getLustreCredentialsId() {
        return lustreCredentialsId;
    }

    public void setLustreCredentialsId(String lustreCredentialsId) {
        this.lustreCredentialsId = clean(lustreCredentialsId, "");
    }

    public String getLustreSourceDir() {
        return lustreSourceDir;
    }

    public void setLustreSourceDir(String lustreSourceDir) {
        this.lustreSourceDir = clean(lustreSourceDir, "");
    }

    public boolean isClientOnly() {
        return clientOnly;
    }

    public void setClientOnly(boolean clientOnly) {
        this.clientOnly = clientOnly;
    }

    public String getBackends() {
        return backends;
    }

    public void setBackends(String backends) {
        this.backends = canonicalList(clean(backends, DEFAULT_BACKENDS), List.of("ldiskfs", "zfs"));
    }

    public String getZfsSource() {
        return zfsSource;
    }

    public void setZfsSource(String zfsSource) {
        this.zfsSource = clean(zfsSource, "");
    }

    public String getZfsObj() {
        return zfsObj;
    }

    public void setZfsObj(String zfsObj) {
        this.zfsObj = clean(zfsObj, "");
    }

    public String getPackaging() {
        return packaging;
    }

    public void setPackaging(String packaging) {
        this.packaging = canonicalList(clean(packaging, DEFAULT_PACKAGING), List.of("kmod", "dkms"));
    }

    public int getMakeJobs() {
        return makeJobs;
    }

    public void setMakeJobs(int makeJobs) {
        this.makeJobs = makeJobs;
    }

    public String getPolicy() {
        return policy;
    }

    public void setPolicy(String policy) {
        this.policy = clean(policy, DEFAULT_POLICY);
    }

    public String getOutputDir() {
        return outputDir;
    }

    public void setOutputDir(String outputDir) {
        this.outputDir = clean(outputDir, DEFAULT_OUTPUT_DIR);
    }

    public String getWorkDir() {
        return workDir;
    }

    public void setWorkDir(String workDir) {
        this.workDir = clean(workDir, "");
    }

    public String getCacheDir() {
        return cacheDir;
    }

    public void setCacheDir(String cacheDir) {
        this.cacheDir = clean(cacheDir, "");
    }

    public String getToolEnvironment() {
        return toolEnvironment;
    }

    public void setToolEnvironment(String toolEnvironment) {
        this.toolEnvironment = clean(toolEnvironment, "");
    }

    public boolean isCheckDistro() {
        return checkDistro == null || checkDistro;
    }

    public void setCheckDistro(boolean checkDistro) {
        this.checkDistro = checkDistro;
    }

    public boolean isArchive() {
        return archive == null || archive;
    }

    public void setArchive(boolean archive) {
        this.archive = archive;
    }

    @Override
    public String toString() {
        // Nothing secret in here (credentials are ids); known_hosts content is public key material.
        return "BuildOptions[ofed=" + (isOfedInstalled() ? "installed " + ofedInstalledDir : ofedLocation())
                + ", kernelRelease=" + kernelRelease + ", ofedRebuild=" + ofedRebuild
                + ", lustre=" + (lustreSourceDir.isEmpty() ? lustreRepository + "@" + lustreRef : lustreSourceDir)
                + ", clientOnly=" + clientOnly + ", backends=" + backends + ", packaging=" + packaging
                + ", policy=" + policy + ", outputDir=" + outputDir + "]";
    }

    /**
     * The options' form: validation and lists for the step's and the builder's flat fields, and the
     * choices of their nested ones (the form binds the values to the step or the builder; this
     * descriptor only answers the form's requests, under the job's URL, so {@code @AncestorInPath} is
     * the job). {@code @POST} and permission-checked. The nested parameters' fields are checked by
     * their own descriptors ({@link OfedLocation.LocationDescriptor}, {@link LustreGit.DescriptorImpl},
     * {@link TargetKernel.DescriptorImpl}, {@link RpmOutput.DescriptorImpl}) with the same
     * {@link OptionsValidation}.
     */
    @Extension
    public static final class DescriptorImpl extends Descriptor<BuildOptions> {
        private final transient OptionsValidation validation = new OptionsValidation();
        private final transient JenkinsFacade jenkins = new JenkinsFacade();

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BuildOptions_DisplayName();
        }

        /** What the form's OFED source drop-down offers. */
        public List<Descriptor<OfedSource>> getOfedSources() {
            return jenkins.getDescriptorList(OfedSource.class);
        }

        /** What the form's Lustre source drop-down offers. */
        public List<Descriptor<LustreSource>> getLustreSources() {
            return jenkins.getDescriptorList(LustreSource.class);
        }

        /** The descriptor of the target kernel's fields. */
        public Descriptor<TargetKernel> getKernelDescriptor() {
            return jenkins.getDescriptorOrDie(TargetKernel.class);
        }

        /** The descriptor of the policy and output fields. */
        public Descriptor<RpmOutput> getOutputDescriptor() {
            return jenkins.getDescriptorOrDie(RpmOutput.class);
        }

        @POST
        public FormValidation doCheckMakeJobs(@AncestorInPath Item item, @QueryParameter String value) {
            return validation.checkMakeJobs(item, value);
        }

        @POST
        public ListBoxModel doFillOfedRebuildItems(@AncestorInPath Item item) {
            return validation.fillOfedRebuild(item);
        }

        @POST
        public ListBoxModel doFillOfedPackagingItems(@AncestorInPath Item item) {
            return validation.fillOfedPackaging(item);
        }

        @POST
        public ListBoxModel doFillSudoItems(@AncestorInPath Item item) {
            return validation.fillSudo(item);
        }

        @POST
        public ListBoxModel doFillBackendsItems(@AncestorInPath Item item) {
            return validation.fillBackends(item);
        }

        @POST
        public ListBoxModel doFillPackagingItems(@AncestorInPath Item item) {
            return validation.fillPackaging(item);
        }
    }
}
