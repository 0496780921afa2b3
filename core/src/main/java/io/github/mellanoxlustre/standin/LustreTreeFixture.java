package io.github.mellanoxlustre.standin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes a stand-in lustre-release git repository: real git history with release branches and
 * annotated tags ({@code 2.15.5} and {@code v2_15_5}, the two tag styles of lustre-release), a tree
 * whose {@code autogen.sh}, {@code configure}, {@code make rpms} and {@code make dkms-rpms} follow the
 * real contracts and build real RPMs (see {@code docs/tool-contracts.md}).
 *
 * <p>Default branches: {@code b2_15} (tag {@code 2.15.5} at its tip), {@code b2_16} (tag
 * {@code 2.16.1}) and {@code master} (tag {@code 2.16.55} plus one commit, so it builds as
 * {@code 2.16.55_1_g<sha7>}), each branched from the previous release's tag; HEAD is {@code master}.
 *
 * <p>The flow the engine runs on a clone:
 * <pre>
 * git clone &lt;url&gt; lustre-release; git checkout b2_15
 * sh autogen.sh                      # writes ./configure (no autotools needed)
 * ./configure --with-linux=&lt;kernel tree&gt; --with-o2ib=&lt;OFED devel dir&gt; [--with-zfs=&lt;src&gt; --with-zfs-obj=&lt;obj&gt;]
 *             [--disable-server] [--disable-ldiskfs] [--disable-tests] [--disable-iokit]
 * make rpms                          # lustre-&lt;v&gt;-1.src.rpm and binary RPMs in the tree top
 * make dkms-rpms                     # lustre-{zfs,ldiskfs,all}-dkms or lustre-client-dkms (noarch)
 * </pre>
 *
 * <p>{@code --with-o2ib=yes} (the default) looks for an installed OFED only when an {@code ofed_info}
 * command is on {@code PATH}, then under {@code $STANDIN_OFA_KERNEL_DIR} (default
 * {@code /usr/src/ofa_kernel}, the real location), as the real configure does after
 * {@code mlnxofedinstall} (the original Vagrant flow ran a plain {@code ./configure}).
 *
 * <h2>Failure knobs</h2>
 * Committed as files under {@code .standin/} on every branch, so they travel with a clone:
 * <ul>
 *   <li>{@link Options#withFailingAutogen()}: {@code autogen.sh} exits 1 with autoreconf-like errors;
 *   <li>{@link Options#withFailingConfigure()}: {@code configure} exits 1 ("kernel module make failed");
 *   <li>{@link Options#withFailingMake()}: the module build fails with compiler-like errors, so
 *       {@code make} and {@code make rpms} (inside rpmbuild's {@code %build}) exit non-zero;
 *   <li>{@link Options#withHangingMake(Path)}: {@code make rpms} starts two {@code sleep 1000}
 *       grandchildren and a daemon ({@code setsid} and a double fork), appends their PIDs (as the
 *       machine sees them) to the given file and waits (abort tests).
 *   <li>{@code STANDIN_MAKE_GATE=<file>} in the build's environment (not a committed knob):
 *       {@code make rpms} creates {@code <file>.waiting} and waits until {@code <file>} exists
 *       (tests that hold a build in phase 7 and then let it finish).
 * </ul>
 */
public final class LustreTreeFixture {
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static final Duration GIT_TIMEOUT = Duration.ofMinutes(1);

    /**
     * One release branch.
     *
     * @param branch branch name, e.g. {@code b2_15}
     * @param version release version tagged on it, e.g. {@code 2.15.5} (also the
     *     {@code DEFAULT_VERSION} of its {@code LUSTRE-VERSION-GEN})
     * @param commitAfterTag add one commit after the tag (a development tip)
     */
    public record Release(String branch, String version, boolean commitAfterTag) {
        public Release {
            if (branch == null || !BRANCH.matcher(branch).matches()) {
                throw new IllegalArgumentException("branch must be a plain git branch name like b2_15, got: " + branch);
            }
            if (version == null || !VERSION.matcher(version).matches()) {
                throw new IllegalArgumentException("version must look like 2.15.5, got: " + version);
            }
        }

        /** The {@code v2_15_5}-style tag name. */
        public String underscoreTag() {
            return "v" + version.replace('.', '_');
        }
    }

    /**
     * How to make the repository.
     *
     * @param releases the branches, oldest first (each branches from the previous one's tag)
     * @param failAutogen commit {@code .standin/fail-autogen}
     * @param failConfigure commit {@code .standin/fail-configure}
     * @param failMake commit {@code .standin/fail-make}
     * @param hangMakePidFile when present, commit {@code .standin/hang-make} naming this PID file
     * @param printEnvironment commit {@code .standin/print-env}: make prints its whole environment
     * @param markers  more knobs, each committed as an empty {@code .standin/<name>}:
     *                 {@code o2iblnd-inkernel-symvers} (modpost resolves ko2iblnd's imports against the
     *                 kernel's Module.symvers although configure found OFED's, so ko2iblnd carries the
     *                 in-kernel InfiniBand CRCs) and {@code no-ksym-deps} (the ksym dependency generator
     *                 writes nothing, as EL's do under Debian's mawk)
     */
    public record Options(List<Release> releases, boolean failAutogen, boolean failConfigure, boolean failMake,
            Optional<Path> hangMakePidFile, boolean printEnvironment, Set<String> markers) {

        public Options {
            markers = Set.copyOf(markers);
            releases = List.copyOf(releases);
            if (releases.isEmpty()) {
                throw new IllegalArgumentException("releases must not be empty");
            }
            if (releases.stream().map(Release::branch).distinct().count() != releases.size()) {
                throw new IllegalArgumentException("release branches must be distinct: " + releases);
            }
        }

        /** b2_15 @ 2.15.5, b2_16 @ 2.16.1, master @ 2.16.55 + 1 commit; no knobs. */
        public static Options defaults() {
            return new Options(List.of(new Release("b2_15", "2.15.5", false), new Release("b2_16", "2.16.1", false),
                    new Release("master", "2.16.55", true)), false, false, false, Optional.empty(), false, Set.of());
        }

        public Options withReleases(Release... rs) {
            return new Options(List.of(rs), failAutogen, failConfigure, failMake, hangMakePidFile, printEnvironment, markers);
        }

        public Options withFailingAutogen() {
            return new Options(releases, true, failConfigure, failMake, hangMakePidFile, printEnvironment, markers);
        }

        public Options withFailingConfigure() {
            return new Options(releases, failAutogen, true, failMake, hangMakePidFile, printEnvironment, markers);
        }

        public Options withFailingMake() {
            return new Options(releases, failAutogen, failConfigure, true, hangMakePidFile, printEnvironment, markers);
        }

        public Options withHangingMake(Path pidFile) {
            return new Options(releases, failAutogen, failConfigure, failMake, Optional.of(pidFile.toAbsolutePath()),
                    printEnvironment, markers);
        }

        /** Commits the knob {@code .standin/<name>} (see {@code markers}). */
        public Options withMarker(String name) {
            Set<String> m = new java.util.TreeSet<>(markers);
            m.add(name);
            return new Options(releases, failAutogen, failConfigure, failMake, hangMakePidFile, printEnvironment, m);
        }

        /** make prints its whole environment (sorted) before it builds. */
        public Options withMakePrintingItsEnvironment() {
            return new Options(releases, failAutogen, failConfigure, failMake, hangMakePidFile, true, markers);
        }
    }

    private LustreTreeFixture() {
    }

    /** A repository with {@link Options#defaults()}. */
    public static LustreRepo createGitRepo(Path dir) throws IOException, InterruptedException {
        return createGitRepo(dir, Options.defaults());
    }

    /** Creates the repository in {@code dir} (must not exist or be empty). */
    public static LustreRepo createGitRepo(Path dir, Options options) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        try (var s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new IllegalArgumentException("directory must be empty: " + dir);
            }
        }
        Map<String, String> env = gitEnv();
        List<Release> releases = options.releases();
        git(dir, env, "init", "-q", "-b", releases.get(0).branch());

        StandInResources.copyTree("lustre", dir);
        Files.move(dir.resolve("gitignore"), dir.resolve(".gitignore"));
        StandInResources.copy("common/standin-symbols.sh", dir.resolve("standin/standin-symbols.sh"));
        StandInResources.copy("common/standin-ksym-deps.sh", dir.resolve("rpm/standin-ksym-deps.sh"));
        Path knobs = dir.resolve(".standin");
        if (options.failAutogen()) {
            write(knobs.resolve("fail-autogen"), "injected by LustreTreeFixture\n");
        }
        if (options.failConfigure()) {
            write(knobs.resolve("fail-configure"), "injected by LustreTreeFixture\n");
        }
        if (options.failMake()) {
            write(knobs.resolve("fail-make"), "injected by LustreTreeFixture\n");
        }
        if (options.printEnvironment()) {
            write(knobs.resolve("print-env"), "injected by LustreTreeFixture\n");
        }
        for (String marker : options.markers()) {
            write(knobs.resolve(marker), "injected by LustreTreeFixture\n");
        }
        if (options.hangMakePidFile().isPresent()) {
            write(knobs.resolve("hang-make"), "pidfile=" + options.hangMakePidFile().get() + "\n");
        }

        Map<String, String> versions = new LinkedHashMap<>();
        int clock = 0;
        for (int i = 0; i < releases.size(); i++) {
            Release r = releases.get(i);
            if (i > 0) {
                git(dir, env, "checkout", "-q", "-b", r.branch(), releases.get(i - 1).version());
            }
            StandInResources.write(dir.resolve("LUSTRE-VERSION-GEN"), StandInResources.template(
                    "lustre/LUSTRE-VERSION-GEN", Map.of("DEFAULT_VERSION", r.version())), true);
            Files.writeString(dir.resolve("ChangeLog"), "Lustre " + r.version() + " (stand-in)\n");
            git(dir, withDate(env, clock++), "add", "-A");
            git(dir, withDate(env, clock++), "commit", "-q", "-m", (i == 0 ? "New tag " : "New release ") + r.version());
            git(dir, withDate(env, clock++), "tag", "-a", r.version(), "-m", "Lustre " + r.version());
            git(dir, withDate(env, clock++), "tag", "-a", r.underscoreTag(), "-m", "Lustre " + r.version());
            String version = r.version();
            if (r.commitAfterTag()) {
                Files.writeString(dir.resolve("ChangeLog"), "Lustre " + r.version() + " (stand-in)\n"
                        + "LU-00000 build: stand-in development change\n");
                git(dir, withDate(env, clock++), "commit", "-q", "-a", "-m", "LU-00000 build: stand-in development change");
                String sha = git(dir, env, "rev-parse", "--short=7", "HEAD").strip();
                version = r.version() + "_1_g" + sha;
            }
            versions.put(r.branch(), version);
        }
        String head = releases.stream().anyMatch(r -> r.branch().equals("master")) ? "master"
                : releases.get(releases.size() - 1).branch();
        git(dir, env, "checkout", "-q", head);
        return new LustreRepo(dir, releases, head, versions);
    }

    /** Environment for deterministic git commands (no user or system configuration, fixed identity). */
    static Map<String, String> gitEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_AUTHOR_NAME", "Stand-in Author");
        env.put("GIT_AUTHOR_EMAIL", "standin@example.invalid");
        env.put("GIT_COMMITTER_NAME", "Stand-in Committer");
        env.put("GIT_COMMITTER_EMAIL", "standin@example.invalid");
        return env;
    }

    private static Map<String, String> withDate(Map<String, String> env, int tick) {
        Map<String, String> e = new HashMap<>(env);
        String date = "@" + (1_700_000_000L + 60L * tick) + " +0000";
        e.put("GIT_AUTHOR_DATE", date);
        e.put("GIT_COMMITTER_DATE", date);
        return e;
    }

    private static String git(Path dir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "commit.gpgsign=false", "-c", "tag.gpgSign=false"));
        cmd.addAll(List.of(args));
        return ProcessRun.exec(dir, env, GIT_TIMEOUT, cmd).requireSuccess().output();
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
