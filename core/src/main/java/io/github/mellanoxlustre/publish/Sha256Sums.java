package io.github.mellanoxlustre.publish;

import io.github.mellanoxlustre.files.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@code SHA256SUMS} file in the format {@code sha256sum} writes and {@code sha256sum -c} checks:
 * one line per file, {@code <64 hex digits><two spaces><path relative to the directory>}.
 */
public final class Sha256Sums {
    /** The file name. */
    public static final String FILE = "SHA256SUMS";

    private Sha256Sums() {
    }

    /**
     * Writes {@code dir/SHA256SUMS} covering every regular file below {@code dir} (except itself),
     * sorted by path.
     */
    public static Path write(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.equals(dir.resolve(FILE)))
                    .sorted((a, b) -> dir.relativize(a).toString().compareTo(dir.relativize(b).toString()))
                    .toList();
        }
        StringBuilder b = new StringBuilder();
        for (Path f : files) {
            String rel = dir.relativize(f).toString();
            if (rel.contains("\n") || rel.contains("\\")) {
                throw new IOException("cannot list '" + rel + "' in " + FILE + ": its name has a newline or backslash");
            }
            b.append(Sha256.of(f)).append("  ").append(rel).append('\n');
        }
        Path out = dir.resolve(FILE);
        Files.writeString(out, b.toString(), StandardCharsets.UTF_8);
        return out;
    }
}
