package io.github.mellanoxlustre.ofed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mellanoxlustre.files.FileTrees;
import io.github.mellanoxlustre.files.Sha256;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The machine's cache of OFED kernel RPMs rebuilt for a kernel, under {@code <cache>/ofed/<key>/}.
 *
 * <p>The key is the SHA-256 of the bundle's SHA-256, the kernel release, the SHA-256 of the
 * kernel's {@code Module.symvers} and the rebuild method, so a different bundle, kernel, kernel
 * build or method never hits another's entry. An entry is {@code RPMS/*.rpm} plus
 * {@code entry.json} (its inputs and each RPM's size and SHA-256). It is written in a temporary
 * directory beside it and renamed into place in one step, so an aborted build never leaves a half
 * entry; a lookup checks every listed file is there with its size and SHA-256, and treats anything else as a
 * miss.
 */
public final class OfedCache {
    /** Bumped when the entry layout or the build that fills it changes meaning. */
    static final String FORMAT = "mlnx-lustre-ofed-cache-v1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    /** A cache under {@code <cacheDir>/ofed}. */
    public OfedCache(Path cacheDir) {
        this.root = Objects.requireNonNull(cacheDir, "cacheDir").resolve("ofed");
    }

    /** The directory holding the entries. */
    public Path root() {
        return root;
    }

    /**
     * What identifies a rebuild.
     *
     * @param bundleSha256 the SHA-256 of the OFED file: the bundle, the source RPM or the DOCA sources archive
     * @param source       which kind of file that is ({@link BundleLocation.Kind#field()}: {@code bundle},
     *                     {@code ofedSrpm}, {@code docaRepo})
     * @param kmp          KMP packages ({@code kmod-mlnx-ofa_kernel}) or non-KMP ({@code mlnx-ofa_kernel-modules})
     */
    public record Key(String bundleSha256, String kernelRelease, String moduleSymversSha256, RebuildMethod method,
                      String source, boolean kmp) {
        public Key {
            Objects.requireNonNull(bundleSha256, "bundleSha256");
            Objects.requireNonNull(kernelRelease, "kernelRelease");
            Objects.requireNonNull(moduleSymversSha256, "moduleSymversSha256");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(source, "source");
        }

        /** The key of a bundle's rebuild. */
        public Key(String bundleSha256, String kernelRelease, String moduleSymversSha256, RebuildMethod method) {
            this(bundleSha256, kernelRelease, moduleSymversSha256, method, BundleLocation.Kind.BUNDLE.field(), true);
        }

        /** The key as 64 hex digits (a KMP rebuild of a bundle has the key it had before other sources existed). */
        public String hash() {
            String kind = (BundleLocation.Kind.BUNDLE.field().equals(source) ? "" : "source=" + source + "\n")
                    + (kmp ? "" : "kmp=false\n");
            return Sha256.ofText(FORMAT + "\nbundle-sha256=" + bundleSha256.toLowerCase(Locale.ROOT)
                    + "\nkernel-release=" + kernelRelease + "\nmodule-symvers-sha256="
                    + moduleSymversSha256.toLowerCase(Locale.ROOT) + "\nmethod=" + method.id() + "\n" + kind);
        }
    }

    /**
     * One cache entry.
     *
     * @param key  the key hash
     * @param dir  the entry directory
     * @param rpms the cached RPM files
     */
    public record Entry(String key, Path dir, List<Path> rpms) {
        public Entry {
            rpms = List.copyOf(rpms);
        }
    }

    /** The entry for this key, when one is complete. */
    public Optional<Entry> lookup(Key key) {
        Path dir = root.resolve(key.hash());
        Path meta = dir.resolve("entry.json");
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(meta.toFile());
            if (!key.hash().equals(node.path("key").asText())) {
                return Optional.empty();
            }
            List<Path> rpms = new ArrayList<>();
            for (JsonNode r : node.path("rpms")) {
                String name = r.path("file").asText();
                if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                    return Optional.empty();
                }
                Path f = dir.resolve("RPMS").resolve(name);
                if (!Files.isRegularFile(f) || Files.size(f) != r.path("size").asLong(-1)
                        || !Sha256.of(f).equals(r.path("sha256").asText())) {
                    return Optional.empty();
                }
                rpms.add(f);
            }
            return rpms.isEmpty() ? Optional.empty() : Optional.of(new Entry(key.hash(), dir, rpms));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stores RPMs under the key (copies them), atomically. When an entry appears meanwhile (another
     * build on this machine), that one is kept and returned. A broken entry in the way is replaced.
     */
    public Entry store(Key key, List<Path> rpms) throws IOException {
        Files.createDirectories(root);
        String hash = key.hash();
        Path tmp = root.resolve(".tmp-" + hash.substring(0, 16) + "-" + UUID.randomUUID());
        try {
            Path rpmDir = Files.createDirectories(tmp.resolve("RPMS"));
            ObjectNode meta = JSON.createObjectNode();
            meta.put("format", FORMAT);
            meta.put("key", hash);
            meta.put("bundleSha256", key.bundleSha256());
            meta.put("kernelRelease", key.kernelRelease());
            meta.put("moduleSymversSha256", key.moduleSymversSha256());
            meta.put("method", key.method().id());
            meta.put("source", key.source());
            meta.put("kmp", key.kmp());
            meta.put("created", Instant.now().toString());
            ArrayNode list = meta.putArray("rpms");
            for (Path rpm : rpms) {
                Path target = rpmDir.resolve(rpm.getFileName().toString());
                Files.copy(rpm, target, StandardCopyOption.COPY_ATTRIBUTES);
                ObjectNode r = list.addObject();
                r.put("file", target.getFileName().toString());
                r.put("size", Files.size(target));
                r.put("sha256", Sha256.of(target));
            }
            JSON.writeValue(tmp.resolve("entry.json").toFile(), meta);
            Path dir = root.resolve(hash);
            if (Files.exists(dir) && lookup(key).isEmpty()) {
                Path broken = root.resolve(".broken-" + hash.substring(0, 16) + "-" + UUID.randomUUID());
                Files.move(dir, broken);
                FileTrees.deleteQuietly(broken);
            }
            try {
                FileTrees.atomicRename(tmp, dir);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                Optional<Entry> other = lookup(key);
                if (other.isPresent()) {
                    return other.get();
                }
                throw e;
            }
            return lookup(key).orElseThrow(() -> new IOException("the cache entry " + dir + " did not read back"));
        } finally {
            FileTrees.deleteQuietly(tmp);
        }
    }

    /** Removes temporary directories left by builds killed while storing (never complete entries). */
    public void removeStaleTemporaries() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var s = Files.list(root)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(".tmp-") || n.startsWith(".broken-");
            }).filter(p -> {
                try {
                    return Files.getLastModifiedTime(p).toInstant().isBefore(Instant.now().minusSeconds(24 * 3600));
                } catch (IOException e) {
                    return false;
                }
            }).forEach(FileTrees::deleteQuietly);
        } catch (IOException e) {
            // best effort
        }
    }
}
