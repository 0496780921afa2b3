package io.github.mellanoxlustre.detach;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.github.mellanoxlustre.request.BuildSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link BuildSpec}'s inputs, as the user typed them, in a form that travels as JSON to a detached
 * engine process ({@link ControlDir#REQUEST}); the process fills a {@code BuildSpec} from it with
 * the spec's own setters and calls {@link BuildSpec#toRequest} there, as the CLI does from its
 * options. It holds no secret: the keys' passphrases and the build's environment travel in
 * {@link EngineSecrets}. The setters are the {@code BuildSpec} setters of the same name.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public final class DetachedSpec {
    private Map<BuildSpec.Field, String> names = new EnumMap<>(BuildSpec.Field.class);
    private Path baseDir;
    private String bundle;
    private String ofedSrpm;
    private String docaRepo;
    private boolean ofedInstalled;
    private Path ofedInstalledDir;
    private String ofedPackaging;
    private String bundleSha256;
    private Path bundleKey;
    private Path bundleKeyPassphraseFile;
    private Path knownHosts;
    private String kernelRelease;
    private Path kernelSource;
    private String ofedRebuild;
    private String sudo;
    private String lustreRepository;
    private String lustreRef;
    private Path lustreDir;
    private Path lustreKey;
    private Path lustreKeyPassphraseFile;
    private boolean clientOnly;
    private List<String> backends = new ArrayList<>();
    private Path zfsSource;
    private Path zfsObj;
    private List<String> packaging = new ArrayList<>();
    private Integer makeJobs;
    private String policy;
    private Path outputDir;
    private Path withheldDir;
    private boolean replaceOutput;
    private Path workDir;
    private Path cacheDir;
    private boolean checkDistro = true;
    private Long minFreeMiB;
    private List<String> environment = new ArrayList<>();
    private List<String> toolEnvironment = new ArrayList<>();

    public DetachedSpec names(Map<BuildSpec.Field, String> typed) {
        names.putAll(typed);
        return this;
    }

    /** The name the user typed for {@code field} ({@link #names}), else core's own. */
    public String typedName(BuildSpec.Field field) {
        return names.getOrDefault(field, field.id());
    }

    public DetachedSpec baseDir(Path dir) {
        this.baseDir = dir;
        return this;
    }

    public DetachedSpec bundle(String location) {
        this.bundle = location;
        return this;
    }

    public DetachedSpec ofedSrpm(String location) {
        this.ofedSrpm = location;
        return this;
    }

    public DetachedSpec docaRepo(String location) {
        this.docaRepo = location;
        return this;
    }

    /** The installed OFED: its tree or root directory, or null for the machine's own. */
    public DetachedSpec ofedInstalled(Path dir) {
        this.ofedInstalled = true;
        this.ofedInstalledDir = dir;
        return this;
    }

    public DetachedSpec ofedPackaging(String packaging) {
        this.ofedPackaging = packaging;
        return this;
    }

    public DetachedSpec bundleSha256(String hex) {
        this.bundleSha256 = hex;
        return this;
    }

    /** The key file only; its passphrase is {@link EngineSecrets#bundleKeyPassphrase()}. */
    public DetachedSpec bundleKey(Path key) {
        this.bundleKey = key;
        return this;
    }

    public DetachedSpec bundleKeyPassphraseFile(Path file) {
        this.bundleKeyPassphraseFile = file;
        return this;
    }

    public DetachedSpec knownHosts(Path file) {
        this.knownHosts = file;
        return this;
    }

    public DetachedSpec kernelRelease(String release) {
        this.kernelRelease = release;
        return this;
    }

    public DetachedSpec kernelSource(Path dir) {
        this.kernelSource = dir;
        return this;
    }

    public DetachedSpec ofedRebuild(String method) {
        this.ofedRebuild = method;
        return this;
    }

    public DetachedSpec sudo(String mode) {
        this.sudo = mode;
        return this;
    }

    public DetachedSpec lustreRepository(String url) {
        this.lustreRepository = url;
        return this;
    }

    public DetachedSpec lustreRef(String ref) {
        this.lustreRef = ref;
        return this;
    }

    public DetachedSpec lustreDir(Path dir) {
        this.lustreDir = dir;
        return this;
    }

    /** The key file only; its passphrase is {@link EngineSecrets#lustreKeyPassphrase()}. */
    public DetachedSpec lustreKey(Path key) {
        this.lustreKey = key;
        return this;
    }

    public DetachedSpec lustreKeyPassphraseFile(Path file) {
        this.lustreKeyPassphraseFile = file;
        return this;
    }

    public DetachedSpec clientOnly(boolean b) {
        this.clientOnly = b;
        return this;
    }

    public DetachedSpec backends(List<String> values) {
        backends.addAll(values);
        return this;
    }

    public DetachedSpec zfsSource(Path dir) {
        this.zfsSource = dir;
        return this;
    }

    public DetachedSpec zfsObj(Path dir) {
        this.zfsObj = dir;
        return this;
    }

    public DetachedSpec packaging(List<String> values) {
        packaging.addAll(values);
        return this;
    }

    public DetachedSpec makeJobs(Integer jobs) {
        this.makeJobs = jobs;
        return this;
    }

    public DetachedSpec policy(String p) {
        this.policy = p;
        return this;
    }

    public DetachedSpec outputDir(Path dir) {
        this.outputDir = dir;
        return this;
    }

    public DetachedSpec withheldDir(Path dir) {
        this.withheldDir = dir;
        return this;
    }

    public DetachedSpec replaceOutput(boolean b) {
        this.replaceOutput = b;
        return this;
    }

    public DetachedSpec workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    public DetachedSpec cacheDir(Path dir) {
        this.cacheDir = dir;
        return this;
    }

    public DetachedSpec checkDistro(boolean b) {
        this.checkDistro = b;
        return this;
    }

    public DetachedSpec minFreeMiB(Long mib) {
        this.minFreeMiB = mib;
        return this;
    }

    /**
     * Variables set for every tool, each {@code NAME=VALUE}: written to {@link ControlDir#REQUEST} in
     * clear, so never a secret (a secret reaches the tools through the build's environment and
     * {@link #toolEnvironment}, which travel in {@link EngineSecrets}).
     */
    public DetachedSpec environment(List<String> assignments) {
        environment.addAll(assignments);
        return this;
    }

    public DetachedSpec toolEnvironment(List<String> values) {
        toolEnvironment.addAll(values);
        return this;
    }

    /** A {@link BuildSpec} with these inputs and the passphrases of {@code secrets} (not copied). */
    public BuildSpec toBuildSpec(EngineSecrets secrets) {
        BuildSpec spec = new BuildSpec();
        if (ofedInstalled) {
            spec.ofedInstalled(ofedInstalledDir);
        }
        return spec.names(names).baseDir(baseDir)
                .bundle(bundle).ofedSrpm(ofedSrpm).docaRepo(docaRepo).ofedPackaging(ofedPackaging)
                .bundleSha256(bundleSha256)
                .bundleKey(bundleKey, secrets.bundleKeyPassphrase())
                .bundleKeyPassphraseFile(bundleKeyPassphraseFile).knownHosts(knownHosts)
                .kernelRelease(kernelRelease).kernelSource(kernelSource).ofedRebuild(ofedRebuild).sudo(sudo)
                .lustreRepository(lustreRepository).lustreRef(lustreRef).lustreDir(lustreDir)
                .lustreKey(lustreKey, secrets.lustreKeyPassphrase())
                .lustreKeyPassphraseFile(lustreKeyPassphraseFile)
                .clientOnly(clientOnly).backends(backends).zfsSource(zfsSource).zfsObj(zfsObj).packaging(packaging)
                .makeJobs(makeJobs).policy(policy).outputDir(outputDir).withheldDir(withheldDir)
                .replaceOutput(replaceOutput).workDir(workDir).cacheDir(cacheDir).checkDistro(checkDistro)
                .minFreeMiB(minFreeMiB).environment(environment).toolEnvironment(toolEnvironment);
    }

    /** Every problem {@link BuildSpec#problems()} finds without the machine that builds. */
    public List<String> problems() {
        return toBuildSpec(EngineSecrets.of(Map.of())).problems();
    }

    @Override
    public String toString() {
        return "DetachedSpec[bundle=" + bundle + ", lustre=" + (lustreDir != null ? lustreDir
                : lustreRepository + "@" + lustreRef) + ", outputDir=" + outputDir + ", workDir=" + workDir + "]";
    }
}
