package io.github.mellanoxlustre.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.mellanoxlustre.rpm.RpmReader;
import io.github.mellanoxlustre.testing.LustreZfsRpms;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The launcher script ({@code src/main/sh/mlnx-lustre}) and its start-up cache, run as users run
 * it: over a jar of this build's classes, with the JDK running the tests and any other JDK home
 * listed in the environment variable {@code MLNX_LUSTRE_TEST_JDKS} (colon-separated; a Java 25 there
 * tests the ahead-of-time cache path). The first {@code check} records an archive into the per-user
 * cache and later runs map it; a damaged, stale or unsafe archive or cache directory never changes
 * what the command prints or its exit code.
 */
class LauncherCacheTest {
    @TempDir
    static Path shared;
    static Path launcher;
    static Path good;
    static Path forbidden;

    /** Outcome of one run. */
    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void buildLauncher() throws Exception {
        assumeThat(Path.of("/bin/sh")).as("the launcher is a POSIX shell script; /bin/sh is missing").exists();
        Path dir = Files.createDirectories(shared.resolve("bin"));
        Path jar = dir.resolve("mlnx-lustre.jar");
        writeJar(jar);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        launcher = dir.resolve("mlnx-lustre");
        Files.writeString(launcher, Files.readString(Path.of("src/main/sh/mlnx-lustre"))
                .replace("@JAR_SHA256@", sha));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        good = LustreZfsRpms.lustre(shared.resolve("rpms"));
        forbidden = LustreZfsRpms.kmodZfs(shared.resolve("rpms"));
    }

    /**
     * A runnable jar of the classes on the test class path: directories copied in, jars named in
     * its Class-Path (class-data sharing takes jars only, not directories).
     */
    private static void writeJar(Path jar) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        List<String> jars = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath();
            if (Files.isDirectory(p)) {
                dirs.add(p);
            } else if (Files.isRegularFile(p)) {
                jars.add(p.toUri().getRawPath());
            }
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", jars));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            java.util.Set<String> added = new java.util.HashSet<>();
            for (Path d : dirs) {
                try (Stream<Path> files = Files.walk(d)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        String name = d.relativize(f).toString().replace('\\', '/');
                        if (!name.equals("META-INF/MANIFEST.MF") && added.add(name)) {
                            out.putNextEntry(new JarEntry(name));
                            Files.copy(f, out);
                            out.closeEntry();
                        }
                    }
                }
            }
        }
    }

    /** The JDK homes to run the launcher with: this one, and those in MLNX_LUSTRE_TEST_JDKS. */
    static Stream<Path> jdks() {
        List<Path> homes = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        String more = System.getenv("MLNX_LUSTRE_TEST_JDKS");
        if (more != null) {
            for (String h : more.split(":")) {
                if (!h.isBlank() && Files.isExecutable(Path.of(h, "bin", "java"))) {
                    homes.add(Path.of(h));
                }
            }
        }
        return homes.stream();
    }

    private static Run launch(Path javaHome, Path cache, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        Path cwd = Files.createDirectories(shared.resolve("cwd"));
        Path out = Files.createTempFile(shared, "out", ".txt");
        Path err = Files.createTempFile(shared, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().remove("MLNX_LUSTRE_JAVA_OPTS");
        pb.environment().remove("MLNX_LUSTRE_CDS");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not finish in 180 s: " + cmd);
        }
        try (Stream<Path> left = Files.list(cwd)) {
            assertThat(left).as("files the JVM left in the working directory (crash logs?)").isEmpty();
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Run launch(Path javaHome, Path cache, String... args) throws IOException, InterruptedException {
        return launch(javaHome, cache, Map.of(), args);
    }

    /** The archives in the cache's mlnx-lustre directory. */
    private static List<Path> archives(Path cache) throws IOException {
        Path dir = cache.resolve("mlnx-lustre");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** Where the JVM loaded the CLI's main class from, as its class-loading log says. */
    private static String mainClassSource(Path javaHome, Path cache) throws Exception {
        Run r = launch(javaHome, cache, Map.of("MLNX_LUSTRE_JAVA_OPTS", "-Xlog:class+load"), "check", good.toString());
        return r.out().lines().filter(l -> l.contains(" " + Main.class.getName() + " source: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no class-loading line for Main in: " + r.out()));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void theFirstCheckRecordsAnArchiveThatLaterRunsMap(Path javaHome) throws Exception {
        Path cache = Files.createTempDirectory(shared, "cache");
        Run plain = launch(javaHome, cache, Map.of("MLNX_LUSTRE_CDS", "off"), "check", good.toString(), forbidden.toString());
        assertThat(archives(cache)).as("MLNX_LUSTRE_CDS=off").isEmpty();
        assertThat(mainClassSource(javaHome, cache)).as("before any check was recorded").doesNotContain("shared objects file");

        Run first = launch(javaHome, cache, "check", good.toString(), forbidden.toString());
        assertThat(first).isEqualTo(plain);
        assertThat(first.code()).isEqualTo(1);
        List<Path> archives = archives(cache);
        assertThat(archives).hasSize(1);
        Path archive = archives.get(0);
        assertThat(archive.getFileName().toString()).matches("mlnx-lustre-[0-9a-f]{16}-[A-Za-z0-9._+-]+-"
                + Files.size(archive) + "\\.(jsa|aot)");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive.getParent())))
                .isEqualTo("rwx------");

        assertThat(launch(javaHome, cache, "check", good.toString(), forbidden.toString())).isEqualTo(plain);
        assertThat(mainClassSource(javaHome, cache)).contains("shared objects file");
        assertThat(archives(cache)).containsExactly(archive);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aDamagedOrStaleArchiveIsIgnoredAndChangesNothing(Path javaHome) throws Exception {
        Path cache = Files.createTempDirectory(shared, "cache");
        Run plain = launch(javaHome, cache, Map.of("MLNX_LUSTRE_CDS", "off"), "check", forbidden.toString(), good.toString());
        launch(javaHome, cache, "check", good.toString());
        Path archive = archives(cache).get(0);
        byte[] whole = Files.readAllBytes(archive);
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-------"));

        // Same size, other bytes: what the launcher cannot tell, the JVM must refuse.
        byte[] garbage = new byte[whole.length];
        new java.util.Random(13).nextBytes(garbage);
        Files.write(archive, garbage);
        assertThat(launch(javaHome, cache, "check", forbidden.toString(), good.toString())).isEqualTo(plain);
        // A header that is right, a body that is not.
        byte[] body = whole.clone();
        for (int i = 4096; i < body.length; i += 509) {
            body[i] ^= (byte) 0x5a;
        }
        Files.write(archive, body);
        assertThat(launch(javaHome, cache, "check", forbidden.toString(), good.toString())).isEqualTo(plain);
        // Cut short (a full disk, a copy that stopped): Java 17 maps it and crashes; it must not be
        // used. Its size is not the one in its name: the check records a whole one in its place.
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThat(launch(javaHome, cache, "--version").code()).isZero();
        assertThat(launch(javaHome, cache, "check", forbidden.toString(), good.toString())).isEqualTo(plain);
        assertThat(archives(cache)).hasSize(1);
        archive = archives(cache).get(0);
        assertThat(mainClassSource(javaHome, cache)).contains("shared objects file");
        // Stale: the jar copied anew (same bytes, so the same name; a later time, which the JVM checks
        // and refuses the archive for): the archive is recorded again, and used.
        Path jar = launcher.resolveSibling("mlnx-lustre.jar");
        long copied = Files.getLastModifiedTime(jar).toMillis() + 2000;
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(copied));
        Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(copied - 3_600_000));
        assertThat(launch(javaHome, cache, "check", forbidden.toString(), good.toString())).isEqualTo(plain);
        assertThat(archives(cache)).hasSize(1);
        assertThat(mainClassSource(javaHome, cache)).contains("shared objects file");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void theUsersJvmOptionsAreKeptAndOnesThatSetSharingThemselvesTurnTheCacheOff(Path javaHome) throws Exception {
        Path cache = Files.createTempDirectory(shared, "cache");
        Run plain = launch(javaHome, cache, Map.of("MLNX_LUSTRE_CDS", "off"), "check", good.toString(), forbidden.toString());
        // -Xshare:off beside the recording options (or an AOT cache) stops the JVM before it starts.
        for (String opts : List.of("-Xshare:off", "-Xshare:auto -Xmx256m")) {
            assertThat(launch(javaHome, cache, Map.of("MLNX_LUSTRE_JAVA_OPTS", opts), "check", good.toString(),
                    forbidden.toString())).as(opts).isEqualTo(plain);
            assertThat(archives(cache)).as(opts).isEmpty();
        }
        // Other options: the first check records with them (after a JVM given them started).
        assertThat(launch(javaHome, cache, Map.of("MLNX_LUSTRE_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC"), "check",
                good.toString(), forbidden.toString())).isEqualTo(plain);
        assertThat(archives(cache)).hasSize(1);
        // An archive there, and options that set sharing: not used, and the JVM starts.
        assertThat(launch(javaHome, cache, Map.of("MLNX_LUSTRE_JAVA_OPTS", "-Xshare:off"), "check", good.toString(),
                forbidden.toString())).isEqualTo(plain);
        assertThat(launch(javaHome, cache, Map.of("JDK_JAVA_OPTIONS", "-Xshare:off"), "--version").code()).isZero();
    }

    /** Archives of jars since replaced do not pile up: a new one leaves the two newest others of its runtime. */
    @Test
    void aNewArchiveLeavesTheTwoNewestOfOtherJarsForItsRuntimeAndDeletesOlderOnes() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path cache = Files.createTempDirectory(shared, "cache");
        launch(javaHome, cache, "check", good.toString());
        Path mine = archives(cache).get(0);
        String name = mine.getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.'));
        String runtime = name.substring("mlnx-lustre-".length() + 17, name.lastIndexOf('-'));
        Path dir = mine.getParent();
        long now = System.currentTimeMillis();
        List<Path> others = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Path other = dir.resolve(String.format("mlnx-lustre-%016x-%s-3%s", i, runtime, ext));
            Files.write(other, new byte[3]);
            Files.setLastModifiedTime(other, java.nio.file.attribute.FileTime.fromMillis(now - i * 3_600_000L));
            others.add(other);
        }
        // Older still, but not this runtime's, or not a name the launcher writes: never touched.
        Path otherRuntime = dir.resolve("mlnx-lustre-00000000000000aa-" + runtime + ".1-3" + ext);
        Path notAnArchive = dir.resolve("mlnx-lustre-notes-" + runtime + "-3" + ext);
        for (Path p : List.of(otherRuntime, notAnArchive)) {
            Files.write(p, new byte[3]);
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(now - 86_400_000L));
        }
        // This jar's archive gone: the next check records and installs a new one, and prunes.
        Files.delete(mine);
        launch(javaHome, cache, "check", good.toString());
        assertThat(others.get(0)).exists();
        assertThat(others.get(1)).exists();
        assertThat(others.get(2)).doesNotExist();
        assertThat(others.get(3)).doesNotExist();
        assertThat(otherRuntime).exists();
        assertThat(notAnArchive).exists();
        assertThat(archives(cache)).filteredOn(a -> a.getFileName().toString().startsWith(name.substring(0, 28)))
                .hasSize(1);
        // A check that records nothing deletes nothing.
        Files.write(others.get(2), new byte[3]);
        Files.setLastModifiedTime(others.get(2), java.nio.file.attribute.FileTime.fromMillis(now - 7_200_000_000L));
        launch(javaHome, cache, "check", good.toString());
        assertThat(others.get(2)).exists();
    }

    @Test
    void onOneOrTwoCpusCheckRunsWithC1OnlyAndTheUsersOptionsComeAfter() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path cache = Files.createTempDirectory(shared, "cache");
        Process nproc = new ProcessBuilder("nproc").start();
        int cpus = Integer.parseInt(new String(nproc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        String expected = cpus <= 2 ? "1" : "4";
        Map<String, String> flags = Map.of("MLNX_LUSTRE_CDS", "off", "MLNX_LUSTRE_JAVA_OPTS", "-XX:+PrintFlagsFinal");
        assertThat(tieredStopAtLevel(launch(javaHome, cache, flags, "check", good.toString()))).isEqualTo(expected);
        assertThat(tieredStopAtLevel(launch(javaHome, cache, flags, "--version"))).isEqualTo("4");
        assertThat(tieredStopAtLevel(launch(javaHome, cache, Map.of("MLNX_LUSTRE_CDS", "off", "MLNX_LUSTRE_JAVA_OPTS",
                "-XX:+PrintFlagsFinal -XX:TieredStopAtLevel=4"), "check", good.toString()))).isEqualTo("4");
        // with C1 only, the reader is told to keep its own SHA-256 (the JVM lists its properties on stderr)
        Map<String, String> properties = Map.of("MLNX_LUSTRE_CDS", "off", "MLNX_LUSTRE_JAVA_OPTS",
                "-XshowSettings:properties");
        assertThat(launch(javaHome, cache, properties, "check", good.toString()).err()
                .contains(RpmReader.SHA256_PROPERTY + " = " + RpmReader.OWN_SHA256_ONLY)).isEqualTo(cpus <= 2);
        assertThat(launch(javaHome, cache, properties, "--version").err()).doesNotContain(RpmReader.SHA256_PROPERTY);
    }

    private static String tieredStopAtLevel(Run r) {
        return r.out().lines().filter(l -> l.matches("\\s*intx TieredStopAtLevel\\s+=.*")).findFirst()
                .map(l -> l.replaceAll(".*=\\s*(\\d+).*", "$1"))
                .orElseThrow(() -> new AssertionError("no TieredStopAtLevel in -XX:+PrintFlagsFinal's output"));
    }

    @Test
    void aCacheDirectoryOthersCanWriteIsNeitherReadNorWritten() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path cache = Files.createTempDirectory(shared, "cache");
        Run plain = launch(javaHome, cache, Map.of("MLNX_LUSTRE_CDS", "off"), "check", good.toString());
        Path dir = Files.createDirectory(cache.resolve("mlnx-lustre"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(launch(javaHome, cache, "check", good.toString())).isEqualTo(plain);
        assertThat(archives(cache)).as("nothing written where others may write").isEmpty();

        // An archive recorded in a safe directory, then the directory opened to others: not read.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        launch(javaHome, cache, "check", good.toString());
        assertThat(archives(cache)).hasSize(1);
        assertThat(mainClassSource(javaHome, cache)).contains("shared objects file");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        assertThat(mainClassSource(javaHome, cache)).doesNotContain("shared objects file");

        // A symbolic link in place of the directory: not followed.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path moved = Files.move(dir, cache.resolve("elsewhere"));
        Files.createSymbolicLink(cache.resolve("mlnx-lustre"), moved);
        assertThat(mainClassSource(javaHome, cache)).doesNotContain("shared objects file");
        assertThat(launch(javaHome, cache, "check", good.toString())).isEqualTo(plain);
    }

    @Test
    void withoutAUsableCacheDirectoryTheCommandRunsPlainly() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path cache = Files.createTempDirectory(shared, "cache");
        Run plain = launch(javaHome, cache, Map.of("MLNX_LUSTRE_CDS", "off"), "check", good.toString());
        // A file where the cache directory would go.
        Path file = cache.resolve("blocked");
        try (OutputStream o = Files.newOutputStream(file)) {
            o.write('x');
        }
        assertThat(launch(javaHome, file, "check", good.toString())).isEqualTo(plain);
        // A relative XDG_CACHE_HOME is ignored (the XDG rule), and so is a relative HOME.
        Map<String, String> env = Map.of("XDG_CACHE_HOME", "relative", "HOME", "also-relative");
        assertThat(launch(javaHome, cache, env, "check", good.toString())).isEqualTo(plain);
        assertThat(Files.exists(shared.resolve("cwd/relative"))).isFalse();
    }
}
