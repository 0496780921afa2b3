package io.github.mellanoxlustre.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a site policy file, YAML or JSON, with strict validation:
 *
 * <pre>
 * name: site-export            # optional; shown in reports (default: the file name)
 * base: distribute             # optional; distribute (default) or internal
 * forbid:                      # optional; more forbidden package-name patterns
 *   - name: "kmod-mlnx-ofa_kernel*"
 *     reason: "our OFED rebuild carries unreleased patches"
 *     id: site-no-ofed         # optional rule id (default site-forbidden-name)
 * exceptions:                  # optional; packages allowed despite rule findings
 *   - name: "kmod-zfs*"
 *     rules: [zfs-kmod-name, zfs-module-file, cddl-kernel-code]   # optional; default every rule
 *     reason: "shipped only to the partner site that holds the same ZFS build (contract 42)"
 * </pre>
 *
 * The format is chosen by extension ({@code .json}; {@code .yaml}/{@code .yml}), otherwise by
 * content (JSON when it starts with a brace). Unknown keys, duplicate keys, a missing or empty
 * reason, a bad pattern or an unknown rule id are errors naming the field and its accepted form.
 */
public final class PolicyFile {

    /** Largest policy file read, in bytes. */
    public static final int MAX_BYTES = 1 << 20;

    private static final List<String> TOP_KEYS = List.of("name", "base", "forbid", "exceptions");
    private static final List<String> FORBID_KEYS = List.of("name", "reason", "id");
    private static final List<String> EXCEPTION_KEYS = List.of("name", "rules", "reason");
    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final String RULE_ID_FORM = "lower-case letters, digits and '-', starting with a letter or"
            + " digit, at most 63 characters, e.g. site-no-ofed";

    private final String origin;

    private PolicyFile(String origin) {
        this.origin = origin;
    }

    /** Reads and validates the policy file at {@code file}. */
    public static DistributionPolicy read(Path file) throws PolicyException {
        String origin = "policy file " + file;
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new PolicyException(origin + ": larger than " + MAX_BYTES + " bytes; a policy file is small"
                        + " YAML or JSON");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PolicyException(origin + ": cannot be read: " + e, e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PolicyException(origin + ": not UTF-8 text; a policy file is YAML or JSON in UTF-8", e);
        }
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String lower = fileName.toLowerCase(Locale.ROOT);
        Boolean json = lower.endsWith(".json") ? Boolean.TRUE
                : lower.endsWith(".yaml") || lower.endsWith(".yml") ? Boolean.FALSE : null;
        return new PolicyFile(origin).parse(text, json, fileName);
    }

    /**
     * Parses policy text that does not come from a file (e.g. typed into a job configuration);
     * {@code origin} names it in error messages and is the default policy name.
     */
    public static DistributionPolicy parse(String text, String origin) throws PolicyException {
        return new PolicyFile(origin).parse(text, null, origin);
    }

    private DistributionPolicy parse(String text, Boolean json, String defaultName) throws PolicyException {
        JsonNode root = root(text, json != null ? json : text.stripLeading().startsWith("{"));
        String name = name(root, defaultName);
        PolicyBase base = base(root);
        List<Rule> rules = new ArrayList<>(DistributionPolicy.builtInRules());
        Set<String> builtInIds = new LinkedHashSet<>();
        rules.forEach(r -> builtInIds.add(r.id()));
        Set<String> knownIds = new LinkedHashSet<>(builtInIds);
        for (Map.Entry<String, JsonNode> e : list(root, "forbid")) {
            ForbiddenNameRule rule = forbidden(e.getKey(), e.getValue(), builtInIds);
            knownIds.add(rule.id());
            rules.add(rule);
        }
        List<Exemption> exemptions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : list(root, "exceptions")) {
            exemptions.add(exemption(e.getKey(), e.getValue(), knownIds));
        }
        return new DistributionPolicy(name, base, rules, exemptions, origin);
    }

    /** The document's top level: a mapping with only the known keys. */
    private JsonNode root(String text, boolean json) throws PolicyException {
        if (text.isBlank()) {
            throw error("is empty; expected a mapping with keys " + String.join(", ", TOP_KEYS));
        }
        JsonNode root = tree(text, json);
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw error("is empty; expected a mapping with keys " + String.join(", ", TOP_KEYS));
        }
        if (!root.isObject()) {
            throw error("the top level must be a mapping with keys " + String.join(", ", TOP_KEYS) + ", not "
                    + kind(root));
        }
        checkKeys(root, "", TOP_KEYS);
        return root;
    }

    private String name(JsonNode root, String defaultName) throws PolicyException {
        if (!root.has("name")) {
            return defaultName;
        }
        String name = text(root.get("name"), "name", "a non-empty one-line string, e.g. site-export");
        if (name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            throw error("name: must be one line of at most 100 characters");
        }
        return name;
    }

    private PolicyBase base(JsonNode root) throws PolicyException {
        if (!root.has("base")) {
            return PolicyBase.DISTRIBUTE;
        }
        String b = text(root.get("base"), "base", "distribute or internal");
        return PolicyBase.parse(b).orElseThrow(() -> error("base: '" + b + "' is not accepted; expected"
                + " distribute or internal"));
    }

    /** One {@code forbid} entry: a name pattern, its reason and an optional rule id of the site's own. */
    private ForbiddenNameRule forbidden(String at, JsonNode entry, Set<String> builtInIds) throws PolicyException {
        requireMapping(entry, at, FORBID_KEYS);
        NamePattern pattern = pattern(entry, at);
        String reason = reason(entry, at, "every forbidden pattern needs a written reason");
        String id = ForbiddenNameRule.DEFAULT_ID;
        if (entry.has("id")) {
            id = text(entry.get("id"), at + ".id", RULE_ID_FORM);
            if (!RULE_ID.matcher(id).matches()) {
                throw error(at + ".id: '" + id + "' is not accepted; expected " + RULE_ID_FORM);
            }
            if (builtInIds.contains(id)) {
                throw error(at + ".id: '" + id + "' is a built-in rule id; choose another, e.g. site-" + id);
            }
        }
        return new ForbiddenNameRule(id, pattern, reason);
    }

    /** One {@code exceptions} entry: a name pattern, its reason and the rules it covers (all when absent). */
    private Exemption exemption(String at, JsonNode entry, Set<String> knownIds) throws PolicyException {
        requireMapping(entry, at, EXCEPTION_KEYS);
        NamePattern pattern = pattern(entry, at);
        String reason = reason(entry, at, "every exception needs a written reason, which appears in the report");
        return new Exemption(pattern, entry.has("rules") ? ruleIds(entry.get("rules"), at, knownIds) : Set.of(),
                reason);
    }

    private Set<String> ruleIds(JsonNode rs, String at, Set<String> knownIds) throws PolicyException {
        String form = "a list of rule ids, e.g. [zfs-kmod-name, zfs-module-file]; known ids: "
                + String.join(", ", knownIds);
        if (!rs.isArray() || rs.isEmpty()) {
            throw error(at + ".rules: expected " + form + " (leave the key out to cover every rule)");
        }
        Set<String> ruleIds = new LinkedHashSet<>();
        for (int i = 0; i < rs.size(); i++) {
            String id = text(rs.get(i), at + ".rules[" + i + "]", "a rule id");
            if (!knownIds.contains(id)) {
                throw error(at + ".rules[" + i + "]: unknown rule id '" + id + "'; known ids: "
                        + String.join(", ", knownIds));
            }
            ruleIds.add(id);
        }
        return ruleIds;
    }

    private JsonNode tree(String text, boolean json) throws PolicyException {
        ObjectMapper mapper = json
                ? JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build()
                : YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null || loc.getLineNr() < 1 ? "" : " at line " + loc.getLineNr() + ", column "
                    + loc.getColumnNr();
            String what = e.getOriginalMessage().lines().findFirst().orElse("");
            java.util.regex.Matcher dup = Pattern.compile("Duplicate field '(.*)' for .*").matcher(what);
            if (dup.matches()) {
                what = "key '" + dup.group(1) + "' appears twice in one mapping; each key may appear once";
            }
            throw new PolicyException(origin + ": not valid " + (json ? "JSON" : "YAML") + where + ": " + what, e);
        }
    }

    private List<Map.Entry<String, JsonNode>> list(JsonNode root, String key) throws PolicyException {
        if (!root.has(key) || root.get(key).isNull()) {
            return List.of();
        }
        JsonNode node = root.get(key);
        if (!node.isArray()) {
            throw error(key + ": expected a list of mappings, not " + kind(node));
        }
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(Map.entry(key + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    private void requireMapping(JsonNode node, String at, List<String> keys) throws PolicyException {
        if (!node.isObject()) {
            throw error(at + ": expected a mapping with keys " + String.join(", ", keys) + ", not " + kind(node));
        }
        checkKeys(node, at, keys);
    }

    private void checkKeys(JsonNode node, String at, List<String> keys) throws PolicyException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!keys.contains(k)) {
                throw error((at.isEmpty() ? "" : at + ": ") + "unknown key '" + k + "'"
                        + (at.isEmpty() ? " at the top level" : "") + "; accepted keys: " + String.join(", ", keys));
            }
        }
    }

    private NamePattern pattern(JsonNode entry, String at) throws PolicyException {
        if (!entry.has("name") || entry.get("name").isNull()) {
            throw error(at + ".name: missing; expected " + NamePattern.ACCEPTED_FORM);
        }
        String glob = text(entry.get("name"), at + ".name", NamePattern.ACCEPTED_FORM);
        try {
            return new NamePattern(glob);
        } catch (IllegalArgumentException e) {
            throw error(at + ".name: '" + glob + "' is not accepted; expected " + NamePattern.ACCEPTED_FORM);
        }
    }

    private String reason(JsonNode entry, String at, String why) throws PolicyException {
        JsonNode r = entry.get("reason");
        if (r == null || r.isNull() || (r.isTextual() && r.asText().isBlank())) {
            throw error(at + ".reason: missing; " + why + " (a non-empty string)");
        }
        return text(r, at + ".reason", "a non-empty string").strip();
    }

    private String text(JsonNode node, String at, String form) throws PolicyException {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw error(at + ": expected " + form + ", not " + kind(node));
        }
        return node.asText().strip();
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            return node.asText().isBlank() ? "an empty string" : "the string '" + node.asText() + "'";
        }
        return "the " + node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + node;
    }

    private PolicyException error(String what) {
        return new PolicyException(origin + ": " + what);
    }
}
