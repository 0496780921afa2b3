package io.github.mellanoxlustre.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Builds real RPM files with {@code rpmbuild} for tests: a spec is written from what the test asks
 * for, the payload staged in a directory and packed by rpmbuild with the chosen compressor.
 *
 * <pre>{@code
 * Path rpm = TestRpm.named("kmod-zfs").version("2.1.5").release("1.el8").license("CDDL")
 *         .file("/lib/modules/4.18.0/extra/zfs/zfs.ko", "elf")
 *         .requires("ksym(ib_register_client) = 0x1234abcd")
 *         .compressor(TestRpm.Compressor.XZ)
 *         .build(tempDir);
 * }</pre>
 */
public final class TestRpm {

    /** Payload compressors rpmbuild knows, as {@code _binary_payload} I/O modes. */
    public enum Compressor {
        GZIP("w6.gzdio", "gzip"),
        XZ("w2.xzdio", "xz"),
        ZSTD("w3.zstdio", "zstd"),
        BZIP2("w9.bzdio", "bzip2"),
        NONE("w.ufdio", "");

        private final String ioMode;
        private final String headerValue;

        Compressor(String ioMode, String headerValue) {
            this.ioMode = ioMode;
            this.headerValue = headerValue;
        }

        /** The rpmbuild {@code _binary_payload} value. */
        public String ioMode() {
            return ioMode;
        }

        /** What the PAYLOADCOMPRESSOR tag says (empty for an uncompressed payload). */
        public String headerValue() {
            return headerValue;
        }
    }

    private final String name;
    private String version = "1.0";
    private String release = "1";
    private Integer epoch;
    private String license = "GPLv2";
    private String arch = "x86_64";
    private Compressor compressor = Compressor.GZIP;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, Long> randomFiles = new LinkedHashMap<>();
    private final List<String> manyFileDirs = new ArrayList<>();
    private final Map<String, Integer> manyFileCounts = new LinkedHashMap<>();
    private final List<String> requires = new ArrayList<>();
    private final List<String> provides = new ArrayList<>();
    private final List<String> extraSpecLines = new ArrayList<>();

    private TestRpm(String name) {
        this.name = name;
    }

    /** Starts a package with this NAME (version 1.0, release 1, x86_64, GPLv2, gzip payload). */
    public static TestRpm named(String name) {
        return new TestRpm(name);
    }

    public TestRpm version(String v) {
        this.version = v;
        return this;
    }

    public TestRpm release(String r) {
        this.release = r;
        return this;
    }

    public TestRpm epoch(int e) {
        this.epoch = e;
        return this;
    }

    public TestRpm license(String l) {
        this.license = l;
        return this;
    }

    /** {@code x86_64} (the default, built with {@code --target}), {@code noarch}, ... */
    public TestRpm arch(String a) {
        this.arch = a;
        return this;
    }

    public TestRpm compressor(Compressor c) {
        this.compressor = c;
        return this;
    }

    /** A file at this absolute path with this text content. */
    public TestRpm file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A file at this absolute path with these bytes. */
    public TestRpm file(String path, byte[] content) {
        requireAbsolute(path);
        files.put(path, content.clone());
        return this;
    }

    /** A file of this many incompressible (seeded pseudo-random) bytes, for large payloads. */
    public TestRpm randomFile(String path, long size) {
        requireAbsolute(path);
        randomFiles.put(path, size);
        return this;
    }

    /** {@code count} small files {@code f00000 ...} in directory {@code dir} (listed by the directory). */
    public TestRpm manyFiles(String dir, int count) {
        requireAbsolute(dir);
        manyFileDirs.add(dir);
        manyFileCounts.put(dir, count);
        return this;
    }

    /** A {@code Requires:} value as written in a spec, e.g. {@code lustre >= 2.15} or {@code (a or b)}. */
    public TestRpm requires(String dep) {
        requires.add(dep);
        return this;
    }

    /** A {@code Provides:} value as written in a spec. */
    public TestRpm provides(String dep) {
        provides.add(dep);
        return this;
    }

    /** A raw line for the spec preamble (e.g. {@code Requires(post): /bin/sh}). */
    public TestRpm specLine(String line) {
        extraSpecLines.add(line);
        return this;
    }

    /** Builds the binary RPM into {@code outDir} and returns its path. */
    public Path build(Path outDir) throws IOException, InterruptedException {
        return run(outDir, "-bb");
    }

    /** Builds the source RPM into {@code outDir} and returns its path. */
    public Path buildSource(Path outDir) throws IOException, InterruptedException {
        return run(outDir, "-bs");
    }

    private Path run(Path outDir, String mode) throws IOException, InterruptedException {
        Files.createDirectories(outDir);
        Path work = Files.createTempDirectory(outDir, ".rpmbuild-" + name + "-");
        Path stage = work.resolve("stage");
        Files.createDirectories(stage);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = stage.resolve(f.getKey().substring(1));
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        for (Map.Entry<String, Long> f : randomFiles.entrySet()) {
            Path p = stage.resolve(f.getKey().substring(1));
            Files.createDirectories(p.getParent());
            writeRandom(p, f.getValue(), f.getKey().hashCode());
        }
        for (String dir : manyFileDirs) {
            Path d = stage.resolve(dir.substring(1));
            Files.createDirectories(d);
            int count = manyFileCounts.get(dir);
            for (int i = 0; i < count; i++) {
                Files.writeString(d.resolve(String.format("f%05d", i)), Integer.toString(i));
            }
        }
        Path spec = work.resolve(name + ".spec");
        Files.writeString(spec, spec(stage));
        Path rpmOut = work.resolve("out");
        List<String> cmd = new ArrayList<>(List.of("rpmbuild", mode, "--quiet",
                "--define", "_topdir " + work.resolve("top"),
                "--define", "_rpmdir " + rpmOut,
                "--define", "_srcrpmdir " + rpmOut,
                "--define", "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm",
                "--define", "_binary_payload " + compressor.ioMode(),
                "--define", "_source_payload " + compressor.ioMode(),
                "--define", "_build_id_links none",
                "--define", "debug_package %{nil}",
                "--define", "__os_install_post %{nil}",
                "--define", "_unpackaged_files_terminate_build 0"));
        if (!"noarch".equals(arch) && "-bb".equals(mode)) {
            cmd.add("--target");
            cmd.add(arch);
        }
        cmd.add(spec.toString());
        Path log = work.resolve("rpmbuild.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException("rpmbuild failed (" + rc + ") for " + name + ":\n" + Files.readString(log)
                    + "\nspec:\n" + Files.readString(spec));
        }
        Path built;
        try (Stream<Path> s = Files.walk(rpmOut)) {
            built = s.filter(f -> f.getFileName().toString().endsWith(".rpm")).findFirst()
                    .orElseThrow(() -> new IOException("rpmbuild produced no RPM for " + name));
        }
        Path target = outDir.resolve(built.getFileName());
        Files.move(built, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        deleteTree(work);
        return target;
    }

    private String spec(Path stage) {
        StringBuilder s = new StringBuilder();
        s.append("Name: ").append(name).append('\n');
        s.append("Version: ").append(version).append('\n');
        s.append("Release: ").append(release).append('\n');
        if (epoch != null) {
            s.append("Epoch: ").append(epoch).append('\n');
        }
        s.append("License: ").append(license).append('\n');
        s.append("Summary: test package ").append(name).append('\n');
        s.append("AutoReqProv: no\n");
        if ("noarch".equals(arch)) {
            s.append("BuildArch: noarch\n");
        }
        for (String r : requires) {
            s.append("Requires: ").append(r).append('\n');
        }
        for (String p : provides) {
            s.append("Provides: ").append(p).append('\n');
        }
        for (String l : extraSpecLines) {
            s.append(l).append('\n');
        }
        s.append("\n%description\nTest package ").append(name).append(" built by the test suite.\n\n");
        s.append("%prep\n%build\n%install\nmkdir -p %{buildroot}\n");
        s.append("cp -a '").append(stage).append("'/. %{buildroot}/\n\n");
        s.append("%files\n");
        for (String f : files.keySet()) {
            s.append('"').append(f).append("\"\n");
        }
        for (String f : randomFiles.keySet()) {
            s.append('"').append(f).append("\"\n");
        }
        for (String d : manyFileDirs) {
            s.append(d).append('\n');
        }
        return s.toString();
    }

    private static void writeRandom(Path p, long size, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(p)) {
            long left = size;
            while (left > 0) {
                r.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    private static void requireAbsolute(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
