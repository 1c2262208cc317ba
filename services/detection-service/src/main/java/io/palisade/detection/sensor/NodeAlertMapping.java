package io.palisade.detection.sensor;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.engine.RuleDefinitionException;
import io.palisade.detection.ingest.FalcoEvents;
import io.palisade.detection.ingest.FalcoEvents.Priority;

/**
 * Turns a Falco event from the node sensor into a node alert ({@code K8S.NODE_*}, Defender's naming). Falco rules
 * listed in the mapping file get their alert type, text, severity, tactics and remediation from it; any other Falco
 * rule still raises an alert named after the rule, with Falco's output as description, a severity from the priority
 * and tactics and techniques from the rule's tags. Events below {@code minimumPriority} raise nothing. The file is
 * loaded strictly, like detection rules: an unknown attribute, tactic, technique or severity fails the load naming
 * the entry. See {@code docs/node-alert-mapping.md}.
 *
 * <pre>
 * minimumPriority: Notice
 * defaultRemediationSteps: [...]
 * mappings:
 *   - falcoRule: Redirect STDOUT/STDIN to Network Connection in Container
 *     alertType: K8S.NODE_ReverseShell
 *     displayName: Potential reverse shell detected
 *     description: ...
 *     severity: Medium             # optional: else from the event's priority
 *     intent: [Exfiltration, Exploitation]   # optional: else from the event's mitre_* / TA* tags
 *     techniques: [T1059]          # optional: else from the event's T* tags
 *     remediationSteps: [...]
 * </pre>
 */
public final class NodeAlertMapping {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FILE_ATTRIBUTES = Set.of("minimumPriority", "defaultRemediationSteps", "mappings");
    private static final Set<String> ENTRY_ATTRIBUTES = Set.of("falcoRule", "alertType", "displayName", "description",
            "severity", "intent", "techniques", "remediationSteps");
    private static final Pattern ALERT_TYPE = Pattern.compile("K8S\\.NODE_[A-Za-z0-9_]+");
    private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?");
    private static final Priority DEFAULT_MINIMUM = Priority.NOTICE;

    /** Falco priority → alert severity. */
    private static final Map<Priority, DetectionRule.Severity> SEVERITY = new EnumMap<>(Map.of(
            Priority.EMERGENCY, DetectionRule.Severity.High,
            Priority.ALERT, DetectionRule.Severity.High,
            Priority.CRITICAL, DetectionRule.Severity.High,
            Priority.ERROR, DetectionRule.Severity.Medium,
            Priority.WARNING, DetectionRule.Severity.Medium,
            Priority.NOTICE, DetectionRule.Severity.Low,
            Priority.INFORMATIONAL, DetectionRule.Severity.Informational,
            Priority.DEBUG, DetectionRule.Severity.Informational));

    /** Falco tag (lower-cased) → tactic; Falco tags rules with mitre_* phases and sometimes ATT&CK tactic ids. */
    private static final Map<String, String> TACTIC_BY_TAG = Map.ofEntries(
            Map.entry("mitre_initial_access", "InitialAccess"), Map.entry("ta0001", "InitialAccess"),
            Map.entry("mitre_execution", "Execution"), Map.entry("ta0002", "Execution"),
            Map.entry("mitre_persistence", "Persistence"), Map.entry("ta0003", "Persistence"),
            Map.entry("mitre_privilege_escalation", "PrivilegeEscalation"), Map.entry("ta0004", "PrivilegeEscalation"),
            Map.entry("mitre_defense_evasion", "DefenseEvasion"), Map.entry("ta0005", "DefenseEvasion"),
            Map.entry("mitre_credential_access", "CredentialAccess"), Map.entry("ta0006", "CredentialAccess"),
            Map.entry("mitre_discovery", "Discovery"), Map.entry("ta0007", "Discovery"),
            Map.entry("mitre_lateral_movement", "LateralMovement"), Map.entry("ta0008", "LateralMovement"),
            Map.entry("mitre_collection", "Collection"), Map.entry("ta0009", "Collection"),
            Map.entry("mitre_exfiltration", "Exfiltration"), Map.entry("ta0010", "Exfiltration"),
            Map.entry("mitre_command_and_control", "CommandAndControl"), Map.entry("ta0011", "CommandAndControl"),
            Map.entry("mitre_impact", "Impact"), Map.entry("ta0040", "Impact"));

    /** Tactics an entry may name: ATT&CK's, plus Defender's Exploitation and Probing. */
    private static final Set<String> TACTICS;

    static {
        Set<String> tactics = new LinkedHashSet<>(TACTIC_BY_TAG.values());
        tactics.addAll(List.of("Exploitation", "Probing"));
        TACTICS = Set.copyOf(tactics);
    }

    private final Priority minimumPriority;
    private final List<String> defaultRemediationSteps;
    private final Map<String, Entry> byFalcoRule;

    /**
     * One mapped Falco rule.
     *
     * @param severity Informational, Low, Medium or High; null when it comes from the event's priority
     * @param intent   tactics; empty when they come from the event's tags
     */
    public record Entry(String falcoRule, String alertType, String displayName, String description, String severity,
            List<String> intent, List<String> techniques, List<String> remediationSteps) {
    }

    /** The alert a Falco event raises. {@code description} ends with Falco's output line. */
    public record NodeAlert(String falcoRule, String alertType, String displayName, String description, String severity,
            List<String> intent, List<String> techniques, List<String> remediationSteps) {
    }

    private NodeAlertMapping(Priority minimumPriority, List<String> defaultRemediationSteps,
            Map<String, Entry> entries) {
        this.minimumPriority = minimumPriority;
        this.defaultRemediationSteps = defaultRemediationSteps;
        this.byFalcoRule = entries;
    }

    public static NodeAlertMapping load(InputStream yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new RuleDefinitionException(source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("mappings").isArray()) {
            throw new RuleDefinitionException(source + ": expected a top-level 'mappings' list");
        }
        unknownAttributes(root, FILE_ATTRIBUTES, source);
        Priority minimum = DEFAULT_MINIMUM;
        if (root.has("minimumPriority")) {
            String name = root.get("minimumPriority").asText();
            minimum = Priority.of(name).orElseThrow(() -> new RuleDefinitionException(source + ": minimumPriority '"
                    + name + "' is not a Falco priority (Emergency ... Debug)"));
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        JsonNode mappings = root.get("mappings");
        for (int i = 0; i < mappings.size(); i++) {
            Entry entry = entry(mappings.get(i), source + ": mappings[" + i + "]", source);
            if (entries.putIfAbsent(entry.falcoRule(), entry) != null) {
                throw new RuleDefinitionException(source + ": Falco rule '" + entry.falcoRule() + "' is mapped twice");
            }
        }
        return new NodeAlertMapping(minimum, strings(root.get("defaultRemediationSteps"), "defaultRemediationSteps",
                source), entries);
    }

    private static Entry entry(JsonNode node, String position, String source) {
        if (node == null || !node.isObject()) {
            throw new RuleDefinitionException(position + ": a mapping must be a YAML mapping");
        }
        String falcoRule = text(node, "falcoRule", position);
        String where = source + ": mapping '" + falcoRule + "'";
        unknownAttributes(node, ENTRY_ATTRIBUTES, where);
        String alertType = text(node, "alertType", where);
        if (!ALERT_TYPE.matcher(alertType).matches()) {
            throw new RuleDefinitionException(where + ": alertType '" + alertType + "' must be K8S.NODE_<Name>");
        }
        String severity = null;
        if (node.has("severity")) {
            severity = severity(node.get("severity").asText(), where);
        }
        List<String> intent = strings(node.get("intent"), "intent", where);
        for (String tactic : intent) {
            if (!TACTICS.contains(tactic)) {
                throw new RuleDefinitionException(where + ": intent '" + tactic + "' is not a tactic; use one of "
                        + TACTICS.stream().sorted().toList());
            }
        }
        List<String> techniques = strings(node.get("techniques"), "techniques", where);
        for (String technique : techniques) {
            if (!TECHNIQUE.matcher(technique).matches()) {
                throw new RuleDefinitionException(where + ": technique '" + technique + "' is not a MITRE ATT&CK "
                        + "technique id (T1234 or T1234.001)");
            }
        }
        return new Entry(falcoRule, alertType, text(node, "displayName", where), text(node, "description", where),
                severity, intent, techniques, strings(node.get("remediationSteps"), "remediationSteps", where));
    }

    /** The alert for a Falco event (as checked by {@link FalcoEvents#parse}); empty below the minimum priority. */
    public Optional<NodeAlert> map(JsonNode falcoEvent) {
        String rule = falcoEvent.path("rule").asText("");
        Priority priority = Priority.of(falcoEvent.path("priority").asText(null)).orElseThrow(
                () -> new IllegalArgumentException("Falco event for rule '" + rule + "' has no valid priority"));
        if (!priority.atLeast(minimumPriority)) {
            return Optional.empty();
        }
        List<String> tags = new ArrayList<>();
        falcoEvent.path("tags").forEach(t -> tags.add(t.asText()));
        String output = falcoEvent.path("output").asText("").strip();
        Entry entry = byFalcoRule.get(rule);
        if (entry == null) {
            return Optional.of(new NodeAlert(rule, fallbackAlertType(rule), rule, output, SEVERITY.get(priority).name(),
                    tacticsOf(tags), techniquesOf(tags), defaultRemediationSteps));
        }
        return Optional.of(new NodeAlert(rule, entry.alertType(), entry.displayName(),
                output.isEmpty() ? entry.description() : entry.description() + "\n" + output,
                entry.severity() != null ? entry.severity() : SEVERITY.get(priority).name(),
                entry.intent().isEmpty() ? tacticsOf(tags) : entry.intent(),
                entry.techniques().isEmpty() ? techniquesOf(tags) : entry.techniques(),
                entry.remediationSteps().isEmpty() ? defaultRemediationSteps : entry.remediationSteps()));
    }

    /** The mapped Falco rules, in file order. */
    public List<Entry> entries() {
        return List.copyOf(byFalcoRule.values());
    }

    /** Falco events below this priority raise no alert. */
    public Priority minimumPriority() {
        return minimumPriority;
    }

    /** {@code K8S.NODE_} + the rule name's words in PascalCase ("PTRACE anti-debug" → PTRACEAntiDebug). */
    static String fallbackAlertType(String falcoRule) {
        StringBuilder name = new StringBuilder("K8S.NODE_");
        for (String word : falcoRule.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                name.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            }
        }
        return name.length() == "K8S.NODE_".length() ? "K8S.NODE_UnnamedFalcoRule" : name.toString();
    }

    private static List<String> tacticsOf(List<String> tags) {
        Set<String> tactics = new LinkedHashSet<>();
        for (String tag : tags) {
            String tactic = TACTIC_BY_TAG.get(tag.toLowerCase(Locale.ROOT));
            if (tactic != null) {
                tactics.add(tactic);
            }
        }
        return List.copyOf(tactics);
    }

    private static List<String> techniquesOf(List<String> tags) {
        Set<String> techniques = new LinkedHashSet<>();
        for (String tag : tags) {
            if (TECHNIQUE.matcher(tag).matches()) {
                techniques.add(tag);
            }
        }
        return List.copyOf(techniques);
    }

    private static String severity(String name, String where) {
        try {
            return DetectionRule.Severity.valueOf(name).name();
        } catch (IllegalArgumentException e) {
            throw new RuleDefinitionException(where + ": severity '" + name
                    + "' must be one of Informational, Low, Medium, High");
        }
    }

    private static void unknownAttributes(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new RuleDefinitionException(where + ": unknown attribute '" + name + "'; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    private static String text(JsonNode node, String name, String where) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new RuleDefinitionException(where + ": '" + name + "' is required");
        }
        return value.asText().trim();
    }

    private static List<String> strings(JsonNode node, String name, String where) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new RuleDefinitionException(where + ": '" + name + "' must be a list");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : node) {
            if (!value.isTextual() || value.asText().isBlank()) {
                throw new RuleDefinitionException(where + ": '" + name + "' must hold non-empty strings");
            }
            values.add(value.asText().trim());
        }
        return List.copyOf(values);
    }
}
