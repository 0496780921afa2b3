package io.github.mellanoxlustre.publish;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import io.github.mellanoxlustre.process.SecretMasker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json}: what went into a build and what came out (schema in {@code docs/build.md}).
 *
 * @param schemaVersion 1
 * @param generator     {@code mlnx-lustre <version>}
 * @param createdAt     when the output was published (ISO-8601, UTC)
 * @param verdict       {@code PASS} or {@code FAIL} (a forbidden RPM was withheld)
 * @param policy        the distribution policy's name
 * @param ofed          the OFED inputs
 * @param kernel        the target kernel
 * @param lustre        the Lustre inputs
 * @param tools         each tool's version line ({@code rpmbuild --version}, ...)
 * @param rpms          every RPM the build made, published or withheld
 * @param reports       the report files in the output directory
 * @param withheldDir   where withheld RPMs went, absent when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "generator", "createdAt", "verdict", "policy", "ofed", "kernel", "lustre",
        "tools", "rpms", "reports", "withheldDir"})
public record Manifest(int schemaVersion, String generator, String createdAt, String verdict, String policy,
                       Ofed ofed, Kernel kernel, Lustre lustre, Map<String, String> tools, List<Rpm> rpms,
                       Reports reports, String withheldDir) {

    /** The file name. */
    public static final String FILE = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Manifest {
        tools = new TreeMap<>(tools);
        rpms = List.copyOf(rpms);
    }

    /**
     * @param location      where OFED came from (path or URL of the file, the DOCA repository directory,
     *                      or the installed OFED's kernel tree)
     * @param bundle        the fetched file's name (bundle, source RPM or DOCA sources archive); null when installed
     * @param version       the OFED version (a bundle's from its name, a source RPM's from its header,
     *                      an installed OFED's from {@code ofed_info -s}, else "unknown")
     * @param distro        the distro from a bundle's name; null for other sources
     * @param arch          the architecture
     * @param sha256        the fetched file's SHA-256; null when installed
     * @param rebuildMethod {@code add-kernel-support} or {@code srpm-rebuild}; null when nothing was rebuilt
     * @param cacheKey      the OFED cache key; null when nothing was rebuilt
     * @param cacheHit      whether the kernel packages came from the cache
     * @param obtained      how they were obtained, in words
     * @param source        which source: {@code bundle}, {@code ofedSrpm}, {@code docaRepo} or {@code ofedInstalled}
     * @param flavour       {@code MLNX_OFED}, {@code DOCA-OFED}, or {@code MLNX_OFED or DOCA-OFED} when the
     *                      source cannot tell (a 24.x source RPM)
     * @param docaVersion   the DOCA version a DOCA repository names; null otherwise
     * @param kernelPackaging {@code kmp} ({@code kmod-mlnx-ofa_kernel}) or {@code modules}
     *                      ({@code mlnx-ofa_kernel-modules}); null when nothing was rebuilt
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"source", "flavour", "location", "bundle", "version", "docaVersion", "distro", "arch", "sha256",
            "rebuildMethod", "kernelPackaging", "cacheKey", "cacheHit", "obtained"})
    public record Ofed(String location, String bundle, String version, String distro, String arch, String sha256,
                       String rebuildMethod, String cacheKey, boolean cacheHit, String obtained, String source,
                       String flavour, String docaVersion, String kernelPackaging) {
    }

    /**
     * @param release             kernel release
     * @param sourceDir           kernel build tree
     * @param moduleSymversSha256 SHA-256 of its Module.symvers
     */
    @JsonPropertyOrder({"release", "sourceDir", "moduleSymversSha256"})
    public record Kernel(String release, String sourceDir, String moduleSymversSha256) {
    }

    /**
     * @param source    {@code git} or {@code directory}
     * @param origin    the git URL or the directory
     * @param ref       the git ref asked for (git only)
     * @param commit    the commit built, when known
     * @param dirty     whether a local git checkout had uncommitted changes (directory only)
     * @param server    server build (otherwise client-only)
     * @param backends  OSD backends
     * @param packaging kmod and/or dkms
     * @param makeJobs  make -j
     * @param configure the configure argv
     * @param o2ib      the --with-o2ib directory
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"source", "origin", "ref", "commit", "dirty", "server", "backends", "packaging", "makeJobs",
            "configure", "o2ib"})
    public record Lustre(String source, String origin, String ref, String commit, Boolean dirty, boolean server,
                         List<String> backends, List<String> packaging, int makeJobs, List<String> configure,
                         String o2ib) {
    }

    /**
     * @param file      file name
     * @param name      NAME
     * @param epoch     EPOCH, absent when none
     * @param version   VERSION
     * @param release   RELEASE
     * @param arch      ARCH
     * @param origin    {@code lustre} or {@code ofed}
     * @param size      bytes
     * @param sha256    SHA-256
     * @param verdict   {@code DISTRIBUTABLE} or {@code FORBIDDEN}
     * @param published whether it is in the output directory
     * @param path      where it is, relative to the output directory (e.g. {@code ../withheld/x.rpm})
     * @param findings  the policy's findings
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"file", "name", "epoch", "version", "release", "arch", "origin", "size", "sha256", "verdict",
            "published", "path", "findings"})
    public record Rpm(String file, String name, Integer epoch, String version, String release, String arch,
                      String origin, long size, String sha256, String verdict, boolean published, String path,
                      List<Finding> findings) {
    }

    /**
     * @param rule     rule id
     * @param severity forbidden, warning, allowed or info
     * @param message  the finding
     */
    @JsonPropertyOrder({"rule", "severity", "message"})
    public record Finding(String rule, String severity, String message) {
    }

    /**
     * @param json the JSON report's file name
     * @param html the HTML report's file name
     */
    public record Reports(String json, String html) {
    }

    /** Writes the manifest as indented JSON. */
    public void write(Path file) throws IOException {
        write(file, SecretMasker.NONE);
    }

    /** Writes the manifest as indented JSON, with the build's secrets masked. */
    public void write(Path file, SecretMasker masker) throws IOException {
        java.nio.file.Files.writeString(file, masker.mask(JSON.writeValueAsString(this)),
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
