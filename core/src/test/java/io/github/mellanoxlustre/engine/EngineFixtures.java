package io.github.mellanoxlustre.engine;

import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.request.BuildRequest;
import io.github.mellanoxlustre.request.BuildSettings;
import io.github.mellanoxlustre.ssh.SshAuth;
import io.github.mellanoxlustre.standin.KernelTree;
import io.github.mellanoxlustre.standin.KernelTreeFixture;
import io.github.mellanoxlustre.standin.LustreRepo;
import io.github.mellanoxlustre.standin.LustreTreeFixture;
import io.github.mellanoxlustre.standin.OfedBundle;
import io.github.mellanoxlustre.standin.OfedBundleFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The stand-ins one end-to-end test class shares: a kernel tree, an MLNX_OFED bundle, a
 * lustre-release repository, stubs for the autotools (the stand-in autogen.sh runs none, but
 * preflight wants them on the PATH, as on a real build machine), and an OFED cache.
 */
public final class EngineFixtures {
    /** A Lustre-patched kernel the bundle does not support out of the box. */
    public static final String KERNEL = "4.18.0-477.27.1.el8_lustre.x86_64";
    public static final String OFED_VERSION = "5.8-2.0.3.0";
    public static final String DISTRO = "rhel8.8";
    public static final String ARCH = "x86_64";

    public final Path root;
    public final KernelTree kernel;
    public final OfedBundle bundle;
    public final LustreRepo lustre;
    public final Path toolBin;
    public final Path cache;

    private EngineFixtures(Path root, KernelTree kernel, OfedBundle bundle, LustreRepo lustre, Path toolBin,
                           Path cache) {
        this.root = root;
        this.kernel = kernel;
        this.bundle = bundle;
        this.lustre = lustre;
        this.toolBin = toolBin;
        this.cache = cache;
    }

    private static EngineFixtures shared;

    /**
     * The fixtures every end-to-end test class in this JVM shares (made once, in a temporary directory
     * removed when the JVM exits), so the OFED cache and git mirror are warm after the first build.
     */
    public static synchronized EngineFixtures shared() throws IOException, InterruptedException {
        if (shared == null) {
            Path root = Files.createTempDirectory("mlnx-lustre-e2e-");
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
                    io.github.mellanoxlustre.files.FileTrees.deleteQuietly(root)));
            shared = create(root);
        }
        return shared;
    }

    /** Creates everything under {@code root}. */
    public static EngineFixtures create(Path root) throws IOException, InterruptedException {
        KernelTree kernel = KernelTreeFixture.create(root.resolve("kernel"), KERNEL);
        OfedBundle bundle = OfedBundleFixture.create(root.resolve("bundle"), OFED_VERSION, DISTRO, ARCH);
        LustreRepo lustre = LustreTreeFixture.createGitRepo(root.resolve("lustre-release"));
        Path bin = Files.createDirectories(root.resolve("autotools-bin"));
        Path trueCmd = Files.isExecutable(Path.of("/usr/bin/true")) ? Path.of("/usr/bin/true") : Path.of("/bin/true");
        for (String t : List.of("libtoolize", "aclocal", "autoheader", "automake", "autoconf")) {
            if (!Files.exists(Path.of("/usr/bin", t))) {
                Files.createSymbolicLink(bin.resolve(t), trueCmd);
            }
        }
        return new EngineFixtures(root, kernel, bundle, lustre, bin, Files.createDirectories(root.resolve("cache")));
    }

    /** The PATH builds get: the autotools stubs, then the machine's PATH. */
    public String path() {
        return toolBin + ":" + System.getenv("PATH");
    }

    /** A request for a server ldiskfs kmod build of {@code ref} into {@code dir/out}. */
    public Request request(Path dir) {
        return new Request(this, dir);
    }

    /** A mutable description of one test build. */
    public static final class Request {
        private final EngineFixtures f;
        public final Path dir;
        public String bundle;
        /** The OFED source when it is not {@link #bundle}. */
        public OfedSource ofed;
        public String bundleSha256;
        public Optional<SshAuth> bundleSsh = Optional.empty();
        public RebuildMethod method = RebuildMethod.SRPM_REBUILD;
        public LustreSource lustre;
        public boolean server = true;
        public Set<LustreOptions.Backend> backends = EnumSet.of(LustreOptions.Backend.LDISKFS);
        public Optional<Path> zfsSource = Optional.empty();
        public Optional<Path> zfsObj = Optional.empty();
        public Set<LustreOptions.Packaging> packaging = EnumSet.of(LustreOptions.Packaging.KMOD);
        public String policy = "distribute";
        public Path output;
        public Path work;
        public Path cache;
        public BuildSettings settings;
        public Path kernelDir;

        Request(EngineFixtures f, Path dir) {
            this.f = f;
            this.dir = dir;
            this.bundle = f.bundle.tgz().toString();
            this.lustre = new LustreSource.Git(f.lustre.url(), "b2_15", Optional.empty());
            this.output = dir.resolve("out");
            this.work = dir.resolve("work");
            this.cache = f.cache;
            this.kernelDir = f.kernel.dir();
            this.settings = BuildSettings.defaults().withCheckDistro(false).withMinFreeMiB(0)
                    .withEnvironment(Map.of("PATH", f.path()));
        }

        public BuildRequest build() {
            return new BuildRequest(ofed != null ? ofed : bundleSource(bundle, bundleSha256), bundleSsh,
                    new KernelTarget(Optional.of(KERNEL), Optional.of(kernelDir)), method, lustre,
                    new LustreOptions(server, server ? backends : Set.of(), zfsSource, zfsObj, packaging, 2), policy,
                    output, work, cache, settings);
        }
    }

    /** What a build printed and how it ended. */
    public record Outcome(String console, BuildResult result, Exception failure) {
        public BuildFailedException failed() {
            if (failure instanceof BuildFailedException b) {
                return b;
            }
            throw new AssertionError("expected a failed build, got " + (failure == null ? result : failure)
                    + "\n" + console, failure);
        }

        public BuildResult passed() {
            if (result == null) {
                throw new AssertionError("the build did not complete: " + failure + "\n" + console, failure);
            }
            return result;
        }
    }

    /** Runs a build on this thread, capturing its console. */
    public static Outcome run(BuildEngine engine, BuildRequest request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // the console goes to the test's own output too (target/surefire-reports/*-output.txt)
        PrintStream console = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
                System.out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
                System.out.write(b, off, len);
            }
        }, true,
                StandardCharsets.UTF_8);
        try {
            BuildResult r = engine.run(request, BuildListener.of(console));
            return new Outcome(bytes.toString(StandardCharsets.UTF_8), r, null);
        } catch (BuildFailedException | InterruptedException | RuntimeException e) {
            return new Outcome(bytes.toString(StandardCharsets.UTF_8), null, e);
        }
    }

    /** Names of the files directly in a directory, sorted. */
    public static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static OfedSource bundleSource(String location, String sha256) {
        return new OfedSource.Bundle(BundleLocation.parse(location, sha256));
    }
}
