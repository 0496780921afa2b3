package io.github.mellanoxlustre.standin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies the stand-in scripts (classpath {@code standins/}, listed with their modes in
 * {@code standins/index.txt} so that it works from a directory and from core's test-jar alike).
 */
final class StandInResources {
    private static final String ROOT = "standins/";

    /** One index entry: a path below {@code standins/} and whether it is executable. */
    record Entry(String path, boolean executable) {
    }

    private StandInResources() {
    }

    static List<Entry> index() {
        List<Entry> entries = new ArrayList<>();
        for (String line : text("index.txt").split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+", 2);
            if (parts.length != 2 || !(parts[0].equals("755") || parts[0].equals("644"))) {
                throw new IllegalStateException("bad line in standins/index.txt: " + line);
            }
            entries.add(new Entry(parts[1], parts[0].equals("755")));
        }
        return entries;
    }

    /** The text of resource {@code standins/<path>}. */
    static String text(String path) {
        try (InputStream in = StandInResources.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + ROOT + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of {@code standins/<path>} with every {@code @KEY@} replaced by its value. */
    static String template(String path, Map<String, String> values) {
        String s = text(path);
        for (Map.Entry<String, String> e : values.entrySet()) {
            s = s.replace("@" + e.getKey() + "@", e.getValue());
        }
        return s;
    }

    /** Copies {@code standins/<path>} to {@code target} with the mode the index gives it. */
    static void copy(String path, Path target) throws IOException {
        Entry entry = index().stream().filter(e -> e.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalStateException("not in standins/index.txt: " + path));
        write(target, text(path), entry.executable());
    }

    /** Copies every indexed file below {@code standins/<prefix>/} into {@code targetDir}, keeping sub-paths. */
    static void copyTree(String prefix, Path targetDir) throws IOException {
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        for (Entry e : index()) {
            if (e.path().startsWith(p)) {
                write(targetDir.resolve(e.path().substring(p.length())), text(e.path()), e.executable());
            }
        }
    }

    static void write(Path target, String content, boolean executable) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, content, StandardCharsets.UTF_8);
        setExecutable(target, executable);
    }

    static void setExecutable(Path target, boolean executable) throws IOException {
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--");
        Files.setPosixFilePermissions(target, perms);
    }
}
