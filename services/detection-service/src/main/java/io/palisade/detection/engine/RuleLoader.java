package io.palisade.detection.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads rules from YAML and checks them strictly: unknown rule attributes, fields, operators or severities are
 * errors that name the rule and the problem, so a catalogue either loads whole or not at all.
 *
 * <pre>
 * rules:
 *   - id: cluster-admin-binding
 *     alertType: K8S_ClusterAdminBinding
 *     ...
 *     condition:
 *       all:
 *         - { field: verb, in: [create, update] }
 *         - { field: requestObject.roleRef.name, equals: cluster-admin }
 *     exceptions:
 *       - name: system bootstrap
 *         condition: { field: user.username, startsWith: "system:" }
 * lists:
 *   trusted-images: [falco, calico/node]     # usable as an operand: in: ["@trusted-images"]
 * </pre>
 *
 * Lists of all shipped files are shared; custom rules (created through the API) are checked by the same loader, so
 * they may use the shipped lists and follow the same rules.
 */
public final class RuleLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> RULE_ATTRIBUTES = Set.of("id", "alertType", "displayName", "description",
            "severity", "intent", "techniques", "condition", "exceptions", "remediationSteps", "properties", "entity",
            "baseline", "falcoRules");
    private static final Set<String> BASELINE_ATTRIBUTES = Set.of("subject", "operation", "learningPeriod");
    private static final Pattern ALERT_TYPE = Pattern.compile("K8S(\\.NODE)?_[A-Za-z0-9_]+");
    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,79}");

    private final Map<String, List<String>> lists = new HashMap<>();
    private final IpLists ipLists;

    public RuleLoader(IpLists ipLists) {
        this.ipLists = ipLists;
    }

    /** Loads one catalogue file with its own lists (tests and tools); IP lists start empty. */
    public static List<DetectionRule> load(InputStream yaml, String source) {
        return new RuleLoader(new IpLists()).loadFile(yaml, source);
    }

    /** Loads a catalogue file; its {@code lists} become usable by the rules of later files and custom rules. */
    public List<DetectionRule> loadFile(InputStream yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new RuleDefinitionException(source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null || !root.path("rules").isArray()) {
            throw new RuleDefinitionException(source + ": expected a top-level 'rules' list");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!Set.of("rules", "lists").contains(name)) {
                throw new RuleDefinitionException(source + ": unknown top-level key '" + name + "'; allowed: rules, lists");
            }
        }
        root.path("lists").fields().forEachRemaining(list -> {
            if (!list.getValue().isArray()) {
                throw new RuleDefinitionException(source + ": list '" + list.getKey() + "' must be a sequence");
            }
            lists.put(list.getKey(), strings(list.getValue()));
        });
        List<DetectionRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode node : root.get("rules")) {
            DetectionRule rule = rule(node, source);
            if (!ids.add(rule.id())) {
                throw new RuleDefinitionException(source + ": rule id '" + rule.id() + "' is used twice");
            }
            rules.add(rule);
        }
        return rules;
    }

    /** Checks and builds one rule (a catalogue entry, or a custom rule sent to the API as JSON). */
    public DetectionRule rule(JsonNode node, String source) {
        if (node == null || !node.isObject()) {
            throw new RuleDefinitionException(source + ": a rule must be a mapping");
        }
        String id = text(node, "id", source + ": a rule");
        String where = source + ": rule '" + id + "'";
        if (!RULE_ID.matcher(id).matches()) {
            throw new RuleDefinitionException(where + ": id must be 2-80 characters of a-z, 0-9 and '-'");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!RULE_ATTRIBUTES.contains(name)) {
                throw new RuleDefinitionException(where + ": unknown attribute '" + name + "'; allowed: "
                        + RULE_ATTRIBUTES);
            }
        }
        String alertType = text(node, "alertType", where);
        if (!ALERT_TYPE.matcher(alertType).matches()) {
            throw new RuleDefinitionException(where + ": alertType '" + alertType
                    + "' must be K8S_<Name> (control plane) or K8S.NODE_<Name> (node)");
        }
        DetectionRule.Severity severity;
        try {
            severity = DetectionRule.Severity.valueOf(text(node, "severity", where));
        } catch (IllegalArgumentException e) {
            throw new RuleDefinitionException(where + ": severity must be one of Informational, Low, Medium, High");
        }
        if (!node.has("condition")) {
            throw new RuleDefinitionException(where + ": has no 'condition'");
        }
        Condition condition = condition(node.get("condition"), where);
        List<DetectionRule.RuleException> exceptions = new ArrayList<>();
        for (JsonNode e : node.path("exceptions")) {
            String name = text(e, "name", where + ": an exception");
            exceptions.add(new DetectionRule.RuleException(name,
                    condition(e.get("condition"), where + ", exception '" + name + "'")));
        }
        Map<String, FieldCatalogue.FieldPath> properties = new LinkedHashMap<>();
        node.path("properties").fields().forEachRemaining(p -> properties.put(p.getKey(),
                resolve(p.getValue().asText(), where)));
        List<String> entityFields = node.has("entity") ? strings(node.get("entity")) : DetectionRule.DEFAULT_ENTITY;
        if (entityFields.isEmpty()) {
            throw new RuleDefinitionException(where + ": 'entity' needs at least one field");
        }
        List<FieldCatalogue.FieldPath> entity = entityFields.stream().map(f -> resolve(f, where)).toList();
        return new DetectionRule(id, alertType, text(node, "displayName", where), text(node, "description", where),
                severity, strings(node.get("intent")), strings(node.get("techniques")), condition,
                List.copyOf(exceptions), strings(node.get("remediationSteps")), Map.copyOf(properties), entity,
                baseline(node.get("baseline"), where), strings(node.get("falcoRules")));
    }

    private DetectionRule.Baseline baseline(JsonNode node, String where) {
        if (node == null) {
            return null;
        }
        String at = where + ", baseline";
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!BASELINE_ATTRIBUTES.contains(name)) {
                throw new RuleDefinitionException(at + ": unknown attribute '" + name + "'; allowed: "
                        + BASELINE_ATTRIBUTES);
            }
        }
        List<String> operation = strings(node.get("operation"));
        if (operation.isEmpty()) {
            throw new RuleDefinitionException(at + ": 'operation' needs at least one field");
        }
        Duration learning;
        try {
            learning = Duration.parse(text(node, "learningPeriod", at));
        } catch (DateTimeParseException e) {
            throw new RuleDefinitionException(at + ": learningPeriod must be an ISO-8601 duration such as P7D");
        }
        return new DetectionRule.Baseline(resolve(text(node, "subject", at), at),
                operation.stream().map(f -> resolve(f, at)).toList(), learning);
    }

    private Condition condition(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new RuleDefinitionException(where + ": a condition must be a mapping");
        }
        if (node.has("all")) {
            return new Condition.All(children(node.get("all"), where));
        }
        if (node.has("any")) {
            return new Condition.Any(children(node.get("any"), where));
        }
        if (node.has("not")) {
            return new Condition.Not(condition(node.get("not"), where));
        }
        FieldCatalogue.FieldPath field = resolve(node.path("field").asText(null), where);
        if (node.size() != 2) {
            throw new RuleDefinitionException(where + ": condition on '" + field.name()
                    + "' must have exactly one operator (" + OPERATORS + ")");
        }
        if (node.has("exists")) {
            return new Condition.Exists(field, node.get("exists").asBoolean());
        }
        if (node.has("inIpList")) {
            return new Condition.InIpList(field, text(node, "inIpList", where), ipLists);
        }
        for (Condition.Operator op : Condition.Operator.values()) {
            JsonNode operand = node.get(op.name());
            if (operand == null) {
                continue;
            }
            Pattern pattern = null;
            if (op.regex()) {
                if (!operand.isValueNode() || operand.isNull()) {
                    throw new RuleDefinitionException(where + ": '" + op.name() + "' on '" + field.name()
                            + "' takes one regular expression (a string), not a list or mapping");
                }
                try {
                    pattern = Pattern.compile(operand.asText());
                } catch (PatternSyntaxException e) {
                    throw new RuleDefinitionException(where + ": invalid pattern for '" + field.name() + "': "
                            + e.getDescription());
                }
            }
            List<String> operands = operand.isArray() ? expand(strings(operand), where) : List.of(operand.asText());
            return new Condition.Match(field, op, Set.copyOf(operands), pattern);
        }
        throw new RuleDefinitionException(where + ": unknown operator in condition on '" + field.name()
                + "'; use " + OPERATORS);
    }

    private static final String OPERATORS = "exists, equals, in, allIn, startsWith, allStartWith, contains, matches, "
            + "allMatches, inIpList";

    /** Operands "@name" stand for the items of the named list. */
    private List<String> expand(List<String> operands, String where) {
        List<String> expanded = new ArrayList<>();
        for (String operand : operands) {
            if (operand.startsWith("@")) {
                List<String> list = lists.get(operand.substring(1));
                if (list == null) {
                    throw new RuleDefinitionException(where + ": unknown list '" + operand.substring(1)
                            + "'; known lists: " + new java.util.TreeSet<>(lists.keySet()));
                }
                expanded.addAll(list);
            } else {
                expanded.add(operand);
            }
        }
        return expanded;
    }

    private List<Condition> children(JsonNode list, String where) {
        if (!list.isArray() || list.isEmpty()) {
            throw new RuleDefinitionException(where + ": 'all'/'any' needs a non-empty list");
        }
        List<Condition> conditions = new ArrayList<>();
        list.forEach(c -> conditions.add(condition(c, where)));
        return List.copyOf(conditions);
    }

    private static FieldCatalogue.FieldPath resolve(String field, String where) {
        try {
            return FieldCatalogue.resolve(field);
        } catch (RuleDefinitionException e) {
            throw new RuleDefinitionException(where + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String name, String where) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new RuleDefinitionException(where + ": '" + name + "' is required");
        }
        return value.asText().trim();
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null) {
            node.forEach(v -> values.add(v.asText()));
        }
        return List.copyOf(values);
    }

    /** The lists known to this loader, for documentation and the API. */
    public Map<String, List<String>> lists() {
        return Map.copyOf(lists);
    }
}
