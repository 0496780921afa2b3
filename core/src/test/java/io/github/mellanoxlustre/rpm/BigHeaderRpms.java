package io.github.mellanoxlustre.rpm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Valid RPM files with very large headers, generated in the test that needs them (never committed):
 * written with {@link HeaderWriter} the way rpm's {@code headerExport} lays headers out, with the
 * SHA-256 header digest, so that {@code rpm -qp} reads them too.
 */
public final class BigHeaderRpms {
    /** rpm's {@code HEADER_ARRAY_MAX}: the most elements one entry may have. */
    public static final int ARRAY_MAX = HeaderBlob.ARRAY_MAX;

    private BigHeaderRpms() {
    }

    /**
     * {@code many-deps-1-1.x86_64}: {@code count} requires and {@code count} provides, each
     * {@code a = 1} (one-character name and version); a 16 x {@code count}-byte header.
     */
    public static Path manyDependencies(Path file, int count) throws Exception {
        String[] names = new String[count];
        Arrays.fill(names, "a");
        String[] versions = new String[count];
        Arrays.fill(versions, "1");
        int[] flags = new int[count];
        Arrays.fill(flags, RpmDependency.EQUAL);
        HeaderWriter h = named("many-deps")
                .stringArray(RpmTag.PROVIDENAME, names).int32(RpmTag.REQUIREFLAGS, flags)
                .stringArray(RpmTag.REQUIRENAME, names).stringArray(RpmTag.REQUIREVERSION, versions)
                .int32(RpmTag.PROVIDEFLAGS, flags).stringArray(RpmTag.PROVIDEVERSION, versions);
        return write(file, h);
    }

    /** {@code big-bin-1-1.x86_64}: a header carrying one BIN entry of {@code bytes} bytes. */
    public static Path bigBinary(Path file, int bytes) throws Exception {
        return write(file, named("big-bin").bin(1012, new byte[bytes]));
    }

    private static HeaderWriter named(String name) {
        return new HeaderWriter().string(RpmTag.NAME, name).string(RpmTag.VERSION, "1").string(RpmTag.RELEASE, "1")
                .string(RpmTag.ARCH, "x86_64").string(RpmTag.LICENSE, "GPLv2")
                .string(RpmTag.SOURCERPM, name + "-1-1.src.rpm");
    }

    private static Path write(Path file, HeaderWriter h) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, HeaderWriter.rpm(h, true, false));
        return file;
    }
}
