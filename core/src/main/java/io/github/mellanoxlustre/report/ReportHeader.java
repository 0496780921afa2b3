package io.github.mellanoxlustre.report;

import io.github.mellanoxlustre.policy.DistributionPolicy;
import io.github.mellanoxlustre.policy.PolicyBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Who made a report, when, where and with which policy: what a report shows above its results.
 *
 * @param policy       the policy's name
 * @param base         the policy's base
 * @param policySource where the policy comes from: {@link DistributionPolicy#BUILT_IN}, what a policy
 *                     file is named by ({@code policy file site.yaml}), or empty when not known
 * @param generated    when the report was made
 * @param host         the machine that made it
 * @param tool         the tool and its version ({@code mlnx-lustre 0.1.0})
 */
public record ReportHeader(String policy, PolicyBase base, String policySource, Instant generated, String host,
                           String tool) {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    public ReportHeader {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(base, "base");
        policySource = policySource == null ? "" : policySource;
        Objects.requireNonNull(generated, "generated");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tool, "tool");
    }

    /** A report made now, on this machine, by this tool. */
    public static ReportHeader now(String policy, PolicyBase base, String policySource) {
        return new ReportHeader(policy, base, policySource, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                localHost(), thisTool());
    }

    /** A report made now, on this machine, by this tool, with this policy. */
    public static ReportHeader now(DistributionPolicy policy) {
        return now(policy.name(), policy.base(), policy.source());
    }

    /** {@code 2026-11-29 22:50:07 UTC}. */
    public String generatedText() {
        return SHOWN.format(generated);
    }

    /**
     * Where the policy comes from, in words: {@code built-in default} (distribute),
     * {@code built-in} (internal), the policy file, or empty when not known.
     */
    public String policySourceText() {
        if (policySource.equals(DistributionPolicy.BUILT_IN)) {
            return base == PolicyBase.DISTRIBUTE && policy.equals(PolicyBase.DISTRIBUTE.label())
                    ? "built-in default" : "built-in";
        }
        return policySource;
    }

    /** {@code mlnx-lustre VERSION}, from the jar manifest when packaged. */
    public static String thisTool() {
        String v = ReportHeader.class.getPackage().getImplementationVersion();
        return "mlnx-lustre " + (v == null ? "(development build)" : v);
    }

    /**
     * The machine's host name as the kernel knows it (no name-service lookup, which can take
     * seconds); the {@code HOSTNAME} variable, else {@code unknown host}, where it cannot be read.
     */
    static String localHost() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "unknown host" : env.strip();
    }
}
