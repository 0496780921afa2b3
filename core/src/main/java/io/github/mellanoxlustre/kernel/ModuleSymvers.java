package io.github.mellanoxlustre.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A kernel {@code Module.symvers}: one exported symbol per line,
 * {@code <crc>\t<symbol>\t<module>\t<export type>[\t<namespace>]} (the format {@code modpost} writes,
 * linux {@code scripts/mod/modpost.c}).
 *
 * @param crcs symbol name to CRC text as written (e.g. {@code 0x1a2b3c4d})
 */
public record ModuleSymvers(Map<String, String> crcs) {
    public ModuleSymvers {
        crcs = Collections.unmodifiableMap(new LinkedHashMap<>(crcs));
    }

    /** Reads a file; lines that do not have at least crc and symbol are skipped. */
    public static ModuleSymvers read(Path file) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t");
                if (f.length >= 2 && f[0].startsWith("0x") && !f[1].isEmpty()) {
                    m.put(f[1], f[0]);
                }
            }
        }
        return new ModuleSymvers(m);
    }
}
