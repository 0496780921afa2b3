package io.github.mellanoxlustre.detach;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.CodeSource;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * The class path of a detached engine process: the jars of core and of the libraries it needs at run
 * time, found where the calling JVM loaded them from, and copied into a cache on the machine that
 * runs the engine under names made of their content's SHA-256 (so a jar already there is never
 * copied again, and two versions never collide).
 *
 * <p>A JVM that has core on its class path (a Jenkins plugin, whose libraries come from other
 * plugins' class loaders; a test) finds the jars with {@link #locate}: one class per jar, in
 * {@link #RUNTIME_CLASSES}. A directory of classes (core built but not packaged) is made into a jar
 * first ({@link #archive}), byte for byte the same for the same classes.
 */
public final class EngineClasspath {
    /**
     * One class of each jar the engine process needs: core itself and its run-time dependencies
     * (core/pom.xml and theirs). Keep in step with the pom: EngineClasspathTest loads every class of
     * core, with the types its members name, from these jars alone.
     */
    public static final List<String> RUNTIME_CLASSES = List.of(
            EngineProcessMain.class.getName(),
            "com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.core.JsonFactory",
            "com.fasterxml.jackson.annotation.JsonAutoDetect",
            "com.fasterxml.jackson.dataformat.yaml.YAMLFactory",
            "org.yaml.snakeyaml.Yaml",
            "org.apache.commons.compress.archivers.tar.TarArchiveInputStream",
            "org.apache.commons.io.IOUtils",
            "org.apache.commons.lang3.StringUtils",
            "org.apache.commons.codec.binary.Hex",
            "org.apache.sshd.client.SshClient",
            "org.apache.sshd.common.util.GenericUtils",
            "org.apache.sshd.sftp.client.SftpClientFactory",
            "org.apache.sshd.scp.client.ScpClientCreator",
            "net.i2p.crypto.eddsa.EdDSAEngine",
            "org.slf4j.LoggerFactory",
            "org.apache.commons.logging.LogFactory");

    /** Where a class was loaded from: its jar, or the directory its package tree starts in. */
    @FunctionalInterface
    public interface Locator {
        Path locate(Class<?> type) throws IOException;
    }

    /** A class name of {@link #RUNTIME_CLASSES} that {@link #locate} could not load or place. */
    public record Missing(String className, String reason) {
    }

    /** The jars (or class directories) found, in order, each once, and what could not be found. */
    public record Located(List<Path> entries, List<Missing> missing) {
    }

    private static final FileTime EPOCH = FileTime.fromMillis(0);

    private EngineClasspath() {
    }

    /**
     * Finds where each of {@link #RUNTIME_CLASSES} comes from, loading it (without initialising it)
     * through {@code loader}.
     */
    public static Located locate(ClassLoader loader, Locator where) {
        Set<Path> entries = new LinkedHashSet<>();
        List<Missing> missing = new ArrayList<>();
        for (String name : RUNTIME_CLASSES) {
            try {
                entries.add(where.locate(Class.forName(name, false, loader)).toAbsolutePath().normalize());
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(new Missing(name, "not loadable here (" + e + ")"));
            } catch (IOException | RuntimeException e) {
                missing.add(new Missing(name, "its jar cannot be found (" + e + ")"));
            }
        }
        return new Located(List.copyOf(entries), List.copyOf(missing));
    }

    /** The jar or class directory of {@code type} as its protection domain's code source says. */
    public static Path codeSource(Class<?> type) throws IOException {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            throw new IOException(type.getName() + " has no code source (loaded by the boot class loader?)");
        }
        try {
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("the code source of " + type.getName() + " is not a file: " + cs.getLocation(), e);
        }
    }

    /**
     * Each entry as a jar: a jar as it is, a directory made into {@code <scratch>/<name>.jar} with
     * its files in name order and every time stamp at 1970, so the same classes give the same bytes
     * (and the same cache name).
     */
    public static List<Path> archive(List<Path> entries, Path scratch) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (Path e : entries) {
            if (Files.isDirectory(e)) {
                Files.createDirectories(scratch);
                Path jar = scratch.resolve((e.getParent() == null || e.getParent().getFileName() == null ? ""
                        : e.getParent().getFileName() + "-") + e.getFileName() + ".jar");
                jarDirectory(e, jar);
                jars.add(jar);
            } else {
                jars.add(e);
            }
        }
        return jars;
    }

    private static void jarDirectory(Path dir, Path jar) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        List<String> names = new ArrayList<>(files.stream().map(f -> dir.relativize(f).toString()
                .replace(File.separatorChar, '/')).toList());
        names.sort(null);
        Path tmp = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".tmp");
        try {
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
                for (String name : names) {
                    ZipEntry entry = new ZipEntry(name);
                    entry.setLastModifiedTime(EPOCH);
                    out.putNextEntry(entry);
                    Files.copy(dir.resolve(name), out);
                    out.closeEntry();
                }
            }
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The name a jar has in the cache: {@code <sha256 of its bytes>.jar}. */
    public static String cacheName(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar)) {
            return cacheName(in);
        }
    }

    /** The cache name of a jar read from {@code in} (read to its end, not closed). */
    public static String cacheName(InputStream in) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        try (DigestInputStream d = new DigestInputStream(in, sha)) {
            d.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest()) + ".jar";
    }

    /**
     * Copies each jar into {@code cacheDir} under its {@link #cacheName} unless a file of that name is
     * there (written whole under a temporary name and renamed, so a jar in the cache is always
     * complete); returns the cached jars in the same order.
     */
    public static List<Path> install(List<Path> jars, Path cacheDir) throws IOException {
        Files.createDirectories(cacheDir);
        List<Path> cached = new ArrayList<>();
        for (Path jar : jars) {
            Path target = cacheDir.resolve(cacheName(jar));
            if (!Files.isRegularFile(target)) {
                Path tmp = Files.createTempFile(cacheDir, ".copy-", ".tmp");
                try {
                    Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            cached.add(target);
        }
        return cached;
    }

    /** The jars as one {@code java -cp} value of this machine. */
    public static String join(List<Path> jars) {
        List<String> parts = new ArrayList<>();
        for (Path j : jars) {
            parts.add(j.toString());
        }
        return String.join(File.pathSeparator, parts);
    }

    /** The jars this JVM would give an engine process ({@link #codeSource}), made jars in {@code scratch}. */
    public static List<Path> ofThisJvm(Path scratch) throws IOException {
        Located l = locate(EngineClasspath.class.getClassLoader(), EngineClasspath::codeSource);
        if (!l.missing().isEmpty()) {
            throw new IOException("the engine's libraries are not all here: " + l.missing());
        }
        return archive(l.entries(), scratch);
    }
}
