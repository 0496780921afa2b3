package io.github.mellanoxlustre.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a kernel module file ({@code *.ko}, an ELF relocatable object) says about the kernel and
 * modules it was built against, read as the kernel's module loader reads it (linux
 * {@code kernel/module/version.c}, {@code check_version}):
 *
 * <ul>
 *   <li>{@code __versions}: one {@code struct modversion_info {unsigned long crc; char
 *       name[MODULE_NAME_LEN];}} per symbol the module imports, with the CRC of the symbol it was
 *       built against ({@code MODULE_NAME_LEN} is {@code 64 - sizeof(unsigned long)}: 64-byte
 *       entries on 32- and 64-bit). {@code modprobe --dump-modversions} prints the same pairs. The
 *       loader refuses a module whose CRC differs from the running symbol's ("disagrees about version
 *       of symbol").</li>
 *   <li>{@code .modinfo}: NUL-separated {@code key=value} strings; {@code vermagic} starts with the
 *       kernel release the module is for.</li>
 * </ul>
 *
 * @param vermagic the {@code vermagic} string, or empty when the module has none
 * @param versions symbol to CRC, in file order
 */
public record KernelModule(String vermagic, Map<String, Long> versions) {
    /** The most a module file may have (the largest Lustre and OFED modules are a few MiB). */
    public static final int MAX_BYTES = 256 << 20;
    private static final int VERSION_ENTRY = 64;
    private static final int SHT_NOBITS = 8;

    public KernelModule {
        versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    }

    /** The kernel release the module is for: the first word of {@code vermagic}, if any. */
    public Optional<String> release() {
        String v = vermagic.strip();
        return v.isEmpty() ? Optional.empty() : Optional.of(v.split("\\s+", 2)[0]);
    }

    /**
     * Reads a module's bytes.
     *
     * @param name what to call the file in errors
     * @param elf  the whole file
     * @throws KernelModuleFormatException when it is not an ELF object or a section lies outside it
     */
    public static KernelModule parse(String name, byte[] elf) throws KernelModuleFormatException {
        Elf f = Elf.open(name, elf);
        Map<String, Long> versions = new LinkedHashMap<>();
        Optional<Section> v = f.section("__versions");
        if (v.isPresent()) {
            readVersions(f, v.get(), versions);
        }
        String vermagic = f.section(".modinfo").map(s -> modinfo(f, s, "vermagic")).orElse("");
        return new KernelModule(vermagic, versions);
    }

    private static void readVersions(Elf f, Section s, Map<String, Long> into) throws KernelModuleFormatException {
        if (s.size % VERSION_ENTRY != 0) {
            throw f.error("__versions holds " + s.size + " bytes, not a whole number of " + VERSION_ENTRY
                    + "-byte entries");
        }
        int crcBytes = f.is64 ? 8 : 4;
        for (long at = s.offset; at < s.offset + s.size; at += VERSION_ENTRY) {
            long crc = (f.is64 ? f.buf.getLong((int) at) : f.buf.getInt((int) at)) & 0xffffffffL;
            String sym = cString(f.bytes, (int) at + crcBytes, VERSION_ENTRY - crcBytes);
            if (!sym.isEmpty()) {
                into.putIfAbsent(sym, crc);
            }
        }
    }

    private static String modinfo(Elf f, Section s, String key) {
        String prefix = key + "=";
        int end = (int) (s.offset + s.size);
        int at = (int) s.offset;
        while (at < end) {
            String entry = cString(f.bytes, at, end - at);
            if (entry.startsWith(prefix)) {
                return entry.substring(prefix.length());
            }
            at += entry.getBytes(StandardCharsets.ISO_8859_1).length + 1;
        }
        return "";
    }

    private static String cString(byte[] b, int from, int max) {
        int end = from;
        while (end < from + max && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.ISO_8859_1);
    }

    private record Section(String name, int type, long offset, long size) {
    }

    /** The section table of an ELF file, every offset checked against the file's size. */
    private static final class Elf {
        final String file;
        final byte[] bytes;
        final ByteBuffer buf;
        final boolean is64;
        private final Section[] sections;

        private Elf(String file, byte[] bytes, ByteBuffer buf, boolean is64, Section[] sections) {
            this.file = file;
            this.bytes = bytes;
            this.buf = buf;
            this.is64 = is64;
            this.sections = sections;
        }

        static Elf open(String file, byte[] b) throws KernelModuleFormatException {
            if (b.length < 52 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') {
                throw new KernelModuleFormatException(file, "not an ELF file (a kernel module is one)");
            }
            if (b[4] != 1 && b[4] != 2 || b[5] != 1 && b[5] != 2) {
                throw new KernelModuleFormatException(file, "unknown ELF class " + b[4] + " or data encoding " + b[5]);
            }
            boolean is64 = b[4] == 2;
            ByteBuffer buf = ByteBuffer.wrap(b).order(b[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            if (is64 && b.length < 64) {
                throw new KernelModuleFormatException(file, "shorter than an ELF header");
            }
            long shoff = is64 ? buf.getLong(0x28) : buf.getInt(0x20) & 0xffffffffL;
            int shentsize = buf.getShort(is64 ? 0x3a : 0x2e) & 0xffff;
            int shnum = buf.getShort(is64 ? 0x3c : 0x30) & 0xffff;
            int shstrndx = buf.getShort(is64 ? 0x3e : 0x32) & 0xffff;
            int minEntry = is64 ? 64 : 40;
            if (shnum == 0 || shentsize < minEntry || shoff < 0 || shoff > b.length
                    || (long) shnum * shentsize > b.length - shoff || shstrndx >= shnum) {
                throw new KernelModuleFormatException(file, "its section table lies outside the file");
            }
            long[][] raw = new long[shnum][];
            for (int i = 0; i < shnum; i++) {
                int h = (int) (shoff + (long) i * shentsize);
                long name = buf.getInt(h) & 0xffffffffL;
                long type = buf.getInt(h + 4) & 0xffffffffL;
                long off = is64 ? buf.getLong(h + 0x18) : buf.getInt(h + 0x10) & 0xffffffffL;
                long size = is64 ? buf.getLong(h + 0x20) : buf.getInt(h + 0x14) & 0xffffffffL;
                if (type != SHT_NOBITS && (off < 0 || size < 0 || off > b.length || size > b.length - off)) {
                    throw new KernelModuleFormatException(file, "section " + i + " lies outside the file");
                }
                raw[i] = new long[] {name, type, off, size};
            }
            long[] strtab = raw[shstrndx];
            Section[] sections = new Section[shnum];
            for (int i = 0; i < shnum; i++) {
                if (raw[i][0] >= strtab[3]) {
                    throw new KernelModuleFormatException(file, "section " + i + " has its name outside the names");
                }
                String name = cString(b, (int) (strtab[2] + raw[i][0]), (int) (strtab[3] - raw[i][0]));
                boolean nobits = raw[i][1] == SHT_NOBITS;
                sections[i] = new Section(name, (int) raw[i][1], nobits ? 0 : raw[i][2], nobits ? 0 : raw[i][3]);
            }
            return new Elf(file, b, buf, is64, sections);
        }

        Optional<Section> section(String name) {
            for (Section s : sections) {
                if (s.name.equals(name)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }

        KernelModuleFormatException error(String what) {
            return new KernelModuleFormatException(file, what);
        }
    }
}
