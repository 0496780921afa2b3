package io.github.mellanoxlustre.engine.preflight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's distribution in MLNX_OFED's bundle naming ({@code rhel8.7}, {@code ol8.8},
 * {@code sles15sp4}, {@code ubuntu22.04}, {@code debian12.5}), read from {@code <etc>/os-release}.
 *
 * <ul>
 *   <li>{@code ID} rhel, centos, rocky, almalinux (or any {@code ID_LIKE} containing rhel) give
 *       {@code rhel<VERSION_ID>}. When {@code VERSION_ID} has no minor version (CentOS 7 says "7",
 *       CentOS Stream "8"), the minor comes from {@code <etc>/redhat-release} ("release 7.9.2009"
 *       gives 7.9) when it has one; otherwise only the major version is known.</li>
 *   <li>ol gives {@code ol<VERSION_ID>}; sles and sled give {@code sles<major>sp<minor>} from
 *       {@code VERSION_ID} 15.4 ({@code sp0} for 15); ubuntu gives {@code ubuntu<VERSION_ID>};
 *       debian gives {@code debian<major.minor>} from {@code <etc>/debian_version} when it holds one;
 *       fedora gives {@code fc<VERSION_ID>}; anything else {@code <ID><VERSION_ID>}.</li>
 * </ul>
 *
 * @param name         the MLNX_OFED form, e.g. {@code rhel8.7}
 * @param majorOnly    whether only the major version is known (e.g. CentOS Stream: {@code rhel8})
 * @param family       {@code el}, {@code suse}, {@code debian} or {@code other}: which package names apply
 * @param prettyName   os-release's {@code PRETTY_NAME}, for messages
 */
public record AgentDistro(String name, boolean majorOnly, String family, String prettyName) {

    private static final Pattern RH_RELEASE = Pattern.compile("release\\s+(\\d+)\\.(\\d+)");
    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+).*");

    /**
     * Reads {@code <etcDir>/os-release}.
     *
     * @throws IOException when the file is missing or has no {@code ID}
     */
    public static AgentDistro detect(Path etcDir) throws IOException {
        Path osRelease = etcDir.resolve("os-release");
        if (!Files.isRegularFile(osRelease)) {
            throw new NoSuchFileException(osRelease.toString(), null, "no os-release file");
        }
        Map<String, String> fields = parseOsRelease(Files.readString(osRelease, StandardCharsets.UTF_8));
        String id = fields.getOrDefault("ID", "").toLowerCase(Locale.ROOT);
        String version = fields.getOrDefault("VERSION_ID", "");
        String like = " " + fields.getOrDefault("ID_LIKE", "").toLowerCase(Locale.ROOT) + " ";
        String pretty = fields.getOrDefault("PRETTY_NAME", id + " " + version).strip();
        if (id.isEmpty()) {
            throw new IOException(osRelease + " has no ID field");
        }
        switch (id) {
            case "ol":
                return withMinor("ol", version, etcDir, "el", pretty);
            case "rhel", "centos", "rocky", "almalinux":
                return withMinor("rhel", version, etcDir, "el", pretty);
            case "sles", "sled": {
                Matcher m = MAJOR_MINOR.matcher(version);
                String name = m.matches() ? "sles" + m.group(1) + "sp" + m.group(2) : "sles" + version + "sp0";
                return new AgentDistro(name, false, "suse", pretty);
            }
            case "ubuntu":
                return new AgentDistro("ubuntu" + version, false, "debian", pretty);
            case "debian": {
                String full = version;
                Path debianVersion = etcDir.resolve("debian_version");
                if (Files.isRegularFile(debianVersion)) {
                    String dv = Files.readString(debianVersion, StandardCharsets.UTF_8).strip();
                    if (dv.matches("\\d+\\.\\d+")) {
                        full = dv;
                    }
                }
                return new AgentDistro("debian" + full, !full.contains("."), "debian", pretty);
            }
            case "fedora":
                return new AgentDistro("fc" + version, false, "el", pretty);
            default:
                if (like.contains(" rhel ")) {
                    return withMinor("rhel", version, etcDir, "el", pretty);
                }
                String family = like.contains(" debian ") || like.contains(" ubuntu ") ? "debian"
                        : like.contains(" suse ") ? "suse" : "other";
                return new AgentDistro(id + version, false, family, pretty);
        }
    }

    private static AgentDistro withMinor(String prefix, String version, Path etcDir, String family, String pretty)
            throws IOException {
        if (version.contains(".")) {
            return new AgentDistro(prefix + version, false, family, pretty);
        }
        Path redhatRelease = etcDir.resolve("redhat-release");
        if (Files.isRegularFile(redhatRelease)) {
            Matcher m = RH_RELEASE.matcher(Files.readString(redhatRelease, StandardCharsets.UTF_8));
            if (m.find() && m.group(1).equals(version)) {
                return new AgentDistro(prefix + m.group(1) + "." + m.group(2), false, family, pretty);
            }
        }
        return new AgentDistro(prefix + version, true, family, pretty);
    }

    /**
     * Whether a bundle built for {@code bundleDistro} fits this machine: the same name, or, when only
     * the major version is known here, the same major version ({@code rhel8} fits {@code rhel8.7}).
     */
    public boolean matches(String bundleDistro) {
        if (name.equals(bundleDistro)) {
            return true;
        }
        return majorOnly && bundleDistro.startsWith(name + ".");
    }

    static Map<String, String> parseOsRelease(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.isEmpty() || l.startsWith("#") || eq <= 0) {
                continue;
            }
            String value = l.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            fields.put(l.substring(0, eq), value.replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return fields;
    }
}
