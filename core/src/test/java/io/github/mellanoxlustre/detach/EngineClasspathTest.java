package io.github.mellanoxlustre.detach;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.engine.BuildResult;
import io.github.mellanoxlustre.engine.EngineFixtures;
import io.github.mellanoxlustre.policy.CheckVerdict;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine process's class path as a JVM that is not the engine's builds it (a Jenkins controller
 * for its agents): the jars of {@link EngineClasspath#RUNTIME_CLASSES}, copied into a cache by
 * content hash, and a real build run from them alone.
 */
class EngineClasspathTest {
    @TempDir
    Path dir;

    /** A test that failed half-way leaves no engine process waiting for ever (nor its tools). */
    @RegisterExtension
    final LeftoverEngine leftover = new LeftoverEngine(() -> dir.resolve("control"));

    /**
     * Every class of core loads, with every type its fields, methods and constructors name, from the
     * located jars alone (no test class path, only the JDK behind them): a library core needs and
     * {@link EngineClasspath#RUNTIME_CLASSES} forgot fails here, not in the middle of a build.
     */
    @Test
    void theLocatedJarsAloneLoadEveryClassOfCore() throws Exception {
        EngineClasspath.Located located = EngineClasspath.locate(getClass().getClassLoader(),
                EngineClasspath::codeSource);
        assertThat(located.missing()).isEmpty();
        assertThat(located.entries()).doesNotHaveDuplicates().hasSizeGreaterThan(10);
        List<Path> jars = EngineClasspath.archive(located.entries(), dir.resolve("scratch"));
        assertThat(jars).allSatisfy(j -> assertThat(j).isRegularFile().hasExtension("jar"));

        List<URL> urls = new ArrayList<>();
        for (Path j : jars) {
            urls.add(j.toUri().toURL());
        }
        List<String> failures = new ArrayList<>();
        int loaded = 0;
        try (URLClassLoader alone = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
             JarFile core = new JarFile(jars.get(0).toFile())) {
            for (JarEntry e : Collections.list(core.entries())) {
                if (!e.getName().endsWith(".class") || e.getName().endsWith("module-info.class")) {
                    continue;
                }
                String name = e.getName().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    Class<?> c = Class.forName(name, false, alone);
                    c.getDeclaredFields();
                    c.getDeclaredMethods();
                    c.getDeclaredConstructors();
                    loaded++;
                } catch (LinkageError | ClassNotFoundException ex) {
                    failures.add(name + ": " + ex);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(loaded).as("classes of core checked").isGreaterThan(100);
    }

    @Test
    void aDirectoryOfClassesMakesTheSameJarEachTimeAndTheCacheCopiesEachJarOnce() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("target/classes/p"));
        Files.writeString(classes.resolve("A.class"), "a");
        Files.writeString(classes.resolve("B.class"), "b");
        Path first = EngineClasspath.archive(List.of(classes.getParent()), dir.resolve("one")).get(0);
        Thread.sleep(1100);
        Path second = EngineClasspath.archive(List.of(classes.getParent()), dir.resolve("two")).get(0);
        assertThat(EngineClasspath.cacheName(first)).isEqualTo(EngineClasspath.cacheName(second))
                .matches("[0-9a-f]{64}\\.jar");

        Path other = dir.resolve("other.jar");
        Files.writeString(other, "not the same bytes");
        Path cache = dir.resolve("cache");
        List<Path> cached = EngineClasspath.install(List.of(first, other), cache);
        assertThat(cached).extracting(p -> p.getFileName().toString())
                .containsExactly(EngineClasspath.cacheName(first), EngineClasspath.cacheName(other));
        assertThat(cached.get(0)).hasSameBinaryContentAs(first);
        Object inode = Files.readAttributes(cached.get(0), BasicFileAttributes.class).fileKey();

        List<Path> again = EngineClasspath.install(List.of(second, other), cache);
        assertThat(again).isEqualTo(cached);
        assertThat(Files.readAttributes(again.get(0), BasicFileAttributes.class).fileKey())
                .as("a jar already in the cache is not copied again").isEqualTo(inode);
        try (var files = Files.list(cache)) {
            assertThat(files).hasSize(2);
        }
    }

    /** A real stand-in build, its engine process started from the cached jars only. */
    @Test
    void aBuildRunsFromTheCachedJarsAlone() throws Exception {
        List<Path> jars = EngineClasspath.install(EngineClasspath.ofThisJvm(dir.resolve("scratch")),
                dir.resolve("cache"));
        EngineLauncher launcher = EngineLauncher.withJars(jars);
        List<String> argv = launcher.argv(new EngineLauncher.Detacher(List.of(), ""), dir.resolve("control"));
        assertThat(argv).containsSubsequence("-cp", EngineClasspath.join(jars),
                EngineProcessMain.class.getName(), dir.resolve("control").toString());
        assertThat(argv.get(0)).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());

        EngineFixtures f = EngineFixtures.shared();
        DetachedSpec spec = new DetachedSpec().bundle(f.bundle.tgz().toString())
                .kernelRelease(EngineFixtures.KERNEL).kernelSource(f.kernel.dir())
                .lustreRepository(f.lustre.url()).lustreRef("b2_15")
                .outputDir(dir.resolve("out")).workDir(dir.resolve("work")).cacheDir(f.cache)
                .checkDistro(false).minFreeMiB(0L).makeJobs(2)
                .environment(List.of("PATH=" + f.path()));
        BuildWatcher w = launcher.launch(dir.resolve("control"), spec, EngineSecrets.of(System.getenv()));
        BuildWatcher.Status s = w.await(Duration.ofMinutes(5));

        assertThat(s).as(w.logTail(60)).isInstanceOf(BuildWatcher.Finished.class);
        BuildWatcher.Finished finished = (BuildWatcher.Finished) s;
        assertThat(finished.exit().outcome()).isEqualTo(Outcome.PASSED);
        BuildResult result = finished.result().orElseThrow();
        assertThat(result.verdict()).isEqualTo(CheckVerdict.PASS);
        assertThat(result.published()).isNotEmpty().allSatisfy(p -> assertThat(p).isRegularFile());
        try (InputStream in = Files.newInputStream(jars.get(0))) {
            assertThat(EngineClasspath.cacheName(in)).isEqualTo(jars.get(0).getFileName().toString());
        }
    }
}
