package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmPackage;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which RPMs may leave the site. Every rule reports its findings; the base decides what a
 * forbidding finding means ({@code distribute}: the package is forbidden; {@code internal}: a
 * warning), and an exception whose name pattern and rule ids cover a finding turns it into an
 * allowed finding that carries the exception's written reason.
 *
 * <pre>{@code
 * DistributionPolicy policy = DistributionPolicy.resolve("distribute"); // or "internal" or a file
 * Evaluation e = policy.evaluate(rpmPackage);
 * }</pre>
 *
 * @param name       shown in reports: {@code distribute}, {@code internal}, or the policy file's name
 * @param base       what forbidding findings mean
 * @param rules      built-in rules, then the policy file's {@code forbid} entries
 * @param exemptions the policy file's exceptions, first match wins
 * @param source     where the policy comes from, for reports: {@value #BUILT_IN} or what the policy
 *                   file's errors name it by (e.g. {@code policy file site.yaml})
 */
public record DistributionPolicy(String name, PolicyBase base, List<Rule> rules, List<Exemption> exemptions,
                                 String source) {
    /** The {@link #source()} of the policies this tool defines ({@code distribute}, {@code internal}). */
    public static final String BUILT_IN = "built-in";

    public DistributionPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(base, "base");
        rules = List.copyOf(rules);
        exemptions = List.copyOf(exemptions);
        Set<String> ids = new LinkedHashSet<>();
        rules.forEach(r -> ids.add(r.id()));
        for (Exemption e : exemptions) {
            for (String id : e.rules()) {
                if (!ids.contains(id)) {
                    throw new IllegalArgumentException("exception for " + e.name() + " names unknown rule " + id);
                }
            }
        }
    }

    /** A built-in policy. */
    public DistributionPolicy(String name, PolicyBase base, List<Rule> rules, List<Exemption> exemptions) {
        this(name, base, rules, exemptions, BUILT_IN);
    }

    /** The rules every policy starts from, in report order. */
    public static List<Rule> builtInRules() {
        return List.of(new ZfsKmodNameRule(), new ZfsModuleFileRule(), new CddlKernelCodeRule(),
                new LustreOsdZfsRule(), new DkmsSourceRule(), new LeadMismatchRule());
    }

    /** The default policy, for RPMs that leave the site. */
    public static DistributionPolicy distribute() {
        return new DistributionPolicy("distribute", PolicyBase.DISTRIBUTE, builtInRules(), List.of());
    }

    /** The policy for RPMs that stay on the site: the same findings, as warnings. */
    public static DistributionPolicy internal() {
        return new DistributionPolicy("internal", PolicyBase.INTERNAL, builtInRules(), List.of());
    }

    /**
     * The policy a user names: {@code distribute}, {@code internal} (any case), or the path of a
     * policy file ({@code .yaml}/{@code .yml}/{@code .json}; see {@link PolicyFile}).
     *
     * @throws PolicyException when it is neither, or the file is unreadable or invalid
     */
    public static DistributionPolicy resolve(String spec) throws PolicyException {
        String accepted = "expected distribute, internal or the path of a policy file (.yaml, .yml or .json)";
        if (spec == null || spec.isBlank()) {
            throw new PolicyException("policy: empty; " + accepted);
        }
        var base = PolicyBase.parse(spec);
        if (base.isPresent()) {
            return base.get() == PolicyBase.DISTRIBUTE ? distribute() : internal();
        }
        Path file;
        try {
            file = Path.of(spec);
        } catch (InvalidPathException e) {
            throw new PolicyException("policy: '" + spec + "' is not a valid path; " + accepted, e);
        }
        if (!Files.isRegularFile(file)) {
            throw new PolicyException("policy: '" + spec + "' is neither distribute, internal nor an existing"
                    + " policy file; " + accepted);
        }
        return PolicyFile.read(file);
    }

    /**
     * Whether {@code spec} names an existing policy file rather than a keyword: when {@link #resolve}
     * then fails, the file is unreadable or invalid (this machine's problem), not the typing.
     */
    public static boolean namesFile(String spec) {
        try {
            return spec != null && !spec.isBlank() && PolicyBase.parse(spec).isEmpty()
                    && Files.isRegularFile(Path.of(spec));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** The ids of this policy's rules, in order, each once. */
    public Set<String> ruleIds() {
        Set<String> ids = new LinkedHashSet<>();
        rules.forEach(r -> ids.add(r.id()));
        return java.util.Collections.unmodifiableSet(ids);
    }

    /**
     * A package with at most this many files has its paths decoded once for all rules rather than
     * once per rule that walks them (a header's lists are decoded as they are read); a bigger one is
     * walked as read, so that memory stays bounded.
     */
    static final int DECODE_ONCE_MAX_FILES = 4096;

    /** Evaluates one package: every rule's findings, adjusted for base and exceptions. */
    public Evaluation evaluate(RpmPackage pkg) {
        Objects.requireNonNull(pkg, "pkg");
        RpmPackage walked = decodedOnce(pkg);
        List<Finding> out = new ArrayList<>();
        for (Rule rule : rules) {
            for (Finding f : rule.evaluate(walked)) {
                out.add(adjust(pkg.name(), f));
            }
        }
        return Evaluation.of(out);
    }

    private static RpmPackage decodedOnce(RpmPackage p) {
        int n = p.files().size();
        if (n < 2 || n > DECODE_ONCE_MAX_FILES) {
            return p;
        }
        return new RpmPackage(p.name(), p.epoch(), p.version(), p.release(), p.arch(), p.license(), p.source(),
                p.sourceRpm(), p.requires(), p.provides(), List.copyOf(p.files()), p.payloadCompressor(),
                p.headerBytes(), p.leadType(), p.noSource());
    }

    private Finding adjust(String packageName, Finding f) {
        if (f.severity() != Severity.FORBIDDEN) {
            return f;
        }
        for (Exemption e : exemptions) {
            if (e.covers(packageName, f.rule())) {
                return f.allowedBecause(e.reason());
            }
        }
        return base == PolicyBase.INTERNAL ? f.withSeverity(Severity.WARNING) : f;
    }
}
