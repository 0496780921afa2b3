package io.github.mellanoxlustre.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mellanoxlustre.standin.ProcessRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads kernel modules' {@code __versions} and {@code vermagic}: the real Lustre 2.17.0 ko2iblnd.ko
 * (its two sections, cut out of the module with {@code objcopy}), checked against what
 * {@code modprobe --dump-modversions} printed for the whole module, and modules compiled with gcc
 * the way kbuild compiles modpost's {@code *.mod.c}, checked against modprobe itself.
 */
class KernelModuleTest {
    static final String REAL_RELEASE = "6.1.0-57.deb12.x86_64";

    @TempDir
    Path tmp;

    static byte[] resource(String name) throws IOException {
        try (InputStream in = KernelModuleTest.class.getResourceAsStream("/real/" + name)) {
            assertThat(in).as("test resource real/" + name).isNotNull();
            return in.readAllBytes();
        }
    }

    static Map<String, Long> modversions(List<String> lines) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String l : lines) {
            String[] f = l.split("\t");
            if (f.length == 2) {
                m.put(f[1], Long.parseLong(f[0].substring(2), 16));
            }
        }
        return m;
    }

    static ModuleSymvers symvers(String resource) throws IOException {
        Path tmp = Files.createTempFile("symvers", "");
        try {
            Files.write(tmp, resource(resource));
            return ModuleSymvers.read(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    @Test
    void theRealKo2iblndReadsAsModprobeReadIt() throws Exception {
        KernelModule m = KernelModule.parse("ko2iblnd.ko", resource("ko2iblnd-2.17.0-sections.ko"));
        List<String> dumped = new String(resource("ko2iblnd-2.17.0.modversions"), StandardCharsets.UTF_8).lines()
                .toList();
        assertThat(m.versions()).hasSize(174).containsExactlyEntriesOf(modversions(dumped));
        assertThat(m.versions()).containsEntry("__ib_alloc_pd", 0x8c3f8e20L).containsEntry("module_layout", 0x9060323fL);
        assertThat(m.vermagic()).startsWith(REAL_RELEASE + " SMP preempt mod_unload modversions");
        assertThat(m.release()).contains(REAL_RELEASE);
    }

    @Test
    void theRealKo2iblndLoadsNextToTheRealOfedItWasBuiltAgainst() throws Exception {
        KernelModule m = KernelModule.parse("ko2iblnd.ko", resource("ko2iblnd-2.17.0-sections.ko"));
        ModuleSymvers ofed = symvers("ofed-24.10/Module.symvers");
        ModuleSymvers kernel = symvers("kernel-6.1.0-57-Module.symvers.ko2iblnd-subset");
        assertThat(ModuleVersionCheck.verify("kmod-lustre-client: ko2iblnd.ko", m, ofed, kernel, REAL_RELEASE))
                .isEmpty();
    }

    @Test
    void againstTheInKernelInfiniBandStackItWouldNotLoad() throws Exception {
        // what Lustre's Module.symvers would be checked against if OFED's were the in-kernel stack's
        KernelModule m = KernelModule.parse("ko2iblnd.ko", resource("ko2iblnd-2.17.0-sections.ko"));
        ModuleSymvers inKernel = symvers("kernel-6.1.0-57-Module.symvers.ko2iblnd-subset");
        List<String> problems = ModuleVersionCheck.verify("kmod-lustre-client: ko2iblnd.ko", m, inKernel,
                new ModuleSymvers(Map.of()), REAL_RELEASE);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("kmod-lustre-client: ko2iblnd.ko",
                "__ib_alloc_pd 0x8c3f8e20", "exports 0x5d276342", "disagrees about version of symbol __ib_alloc_pd"));
        // the kernel's own symbols (module_layout, try_module_get...) agree: only InfiniBand ones differ
        assertThat(problems).noneMatch(p -> p.contains(" module_layout ") || p.contains(" try_module_get "));
    }

    @Test
    void aModuleForAnotherKernelOrBuiltAgainstAnotherKernelIsRefused() throws Exception {
        KernelModule m = KernelModule.parse("ko2iblnd.ko", resource("ko2iblnd-2.17.0-sections.ko"));
        ModuleSymvers ofed = symvers("ofed-24.10/Module.symvers");
        Map<String, String> otherKernel = new LinkedHashMap<>(symvers("kernel-6.1.0-57-Module.symvers.ko2iblnd-subset")
                .crcs());
        otherKernel.put("try_module_get", "0x00000001");
        List<String> problems = ModuleVersionCheck.verify("ko2iblnd.ko", m, ofed, new ModuleSymvers(otherKernel),
                "6.1.0-58.deb12.x86_64");
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("is for kernel " + REAL_RELEASE + " (vermagic), not 6.1.0-58.deb12.x86_64");
        assertThat(problems.get(1)).contains("try_module_get 0xe20e4455", "exports 0x00000001",
                "built against another kernel");
    }

    @Test
    void aModuleCompiledAsKbuildCompilesModpostsOutputReadsAsModprobeReadsIt() throws Exception {
        Path ko = compile("demo", "6.1.0-1.el9.x86_64 SMP mod_unload modversions ",
                Map.of("__ib_alloc_pd", 0x8c3f8e20L, "rdma_create_qp", 0xffffffffL, "module_layout", 0x1L));
        KernelModule m = KernelModule.parse(ko.toString(), Files.readAllBytes(ko));
        assertThat(m.versions()).containsOnly(Map.entry("__ib_alloc_pd", 0x8c3f8e20L),
                Map.entry("rdma_create_qp", 0xffffffffL), Map.entry("module_layout", 0x1L));
        assertThat(m.release()).contains("6.1.0-1.el9.x86_64");
        Optional<Path> modprobe = modprobe();
        assumeTrue(modprobe.isPresent(), "modprobe (kmod) is not installed: the gcc-built module was not "
                + "cross-checked with modprobe --dump-modversions");
        ProcessRun dump = ProcessRun.exec(tmp, Map.of(), Duration.ofSeconds(30), modprobe.get().toString(),
                "--dump-modversions", ko.toString());
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        assertThat(modversions(dump.output().lines().toList())).isEqualTo(m.versions());
    }

    @Test
    void aModuleWithoutVersionsOrModinfoHasNone() throws Exception {
        Path ko = compileSource("plain", "int plain_function(void) { return 1; }\n");
        KernelModule m = KernelModule.parse(ko.toString(), Files.readAllBytes(ko));
        assertThat(m.versions()).isEmpty();
        assertThat(m.release()).isEmpty();
    }

    @Test
    void whatIsNotAReadableModuleIsRefusedNamingTheFile() throws Exception {
        byte[] real = resource("ko2iblnd-2.17.0-sections.ko");
        assertThatThrownBy(() -> KernelModule.parse("a.ko", "STANDIN-KO v1\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(KernelModuleFormatException.class).hasMessage("a.ko: not an ELF file (a kernel module is one)");
        assertThatThrownBy(() -> KernelModule.parse("b.ko", Arrays.copyOf(real, 200)))
                .isInstanceOf(KernelModuleFormatException.class).hasMessageStartingWith("b.ko: ")
                .hasMessageContaining("outside the file");
        byte[] badTable = real.clone();
        ByteBuffer.wrap(badTable).order(ByteOrder.LITTLE_ENDIAN).putLong(0x28, Long.MAX_VALUE);
        assertThatThrownBy(() -> KernelModule.parse("c.ko", badTable))
                .isInstanceOf(KernelModuleFormatException.class).hasMessage("c.ko: its section table lies outside the file");
        Path odd = compileSource("odd", "__attribute__((section(\"__versions\"), used))\n"
                + "static const char odd_versions[70] = \"x\";\n");
        assertThatThrownBy(() -> KernelModule.parse("d.ko", Files.readAllBytes(odd)))
                .isInstanceOf(KernelModuleFormatException.class)
                .hasMessageContaining("d.ko: __versions holds 70 bytes, not a whole number of 64-byte entries");
    }

    /** A module object as kbuild makes one: modpost's {@code __versions} table and {@code .modinfo}. */
    private Path compile(String name, String vermagic, Map<String, Long> versions) throws Exception {
        StringBuilder c = new StringBuilder("struct modversion_info { unsigned long crc; char name[64 - sizeof(unsigned long)]; };\n")
                .append("__attribute__((section(\"__versions\"), used))\n")
                .append("static const struct modversion_info ____versions[] = {\n");
        versions.forEach((sym, crc) -> c.append(String.format("\t{ 0x%08x, \"%s\" },%n", crc, sym)));
        c.append("};\n__attribute__((section(\".modinfo\"), used))\n")
                .append("static const char modinfo[] = \"name=").append(name).append("\\0vermagic=").append(vermagic)
                .append("\";\n");
        return compileSource(name, c.toString());
    }

    private Path compileSource(String name, String source) throws Exception {
        assumeTrue(onPath("gcc"), "gcc is not installed: cannot compile test kernel module objects");
        Path c = tmp.resolve(name + ".mod.c");
        Files.writeString(c, source);
        Path ko = tmp.resolve(name + ".ko");
        ProcessRun cc = ProcessRun.exec(tmp, Map.of(), Duration.ofSeconds(60), "gcc", "-c", "-o", ko.toString(),
                c.toString());
        assertThat(cc.exitCode()).as(cc.output()).isZero();
        return ko;
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Path> modprobe() {
        for (String d : List.of("/sbin", "/usr/sbin", "/bin", "/usr/bin")) {
            Path p = Path.of(d, "modprobe");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
