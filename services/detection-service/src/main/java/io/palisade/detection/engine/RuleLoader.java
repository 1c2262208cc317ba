package io.palisade.detection.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
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
 * </pre>
 */
public final class RuleLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> RULE_ATTRIBUTES = Set.of("id", "alertType", "displayName", "description",
            "severity", "intent", "techniques", "condition", "exceptions", "remediationSteps", "properties");
    private static final Pattern ALERT_TYPE = Pattern.compile("K8S(\\.NODE)?_[A-Za-z0-9_]+");

    private RuleLoader() {
    }

    public static List<DetectionRule> load(InputStream yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new RuleDefinitionException(source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null || !root.path("rules").isArray()) {
            throw new RuleDefinitionException(source + ": expected a top-level 'rules' list");
        }
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

    private static DetectionRule rule(JsonNode node, String source) {
        String id = text(node, "id", source + ": a rule");
        String where = source + ": rule '" + id + "'";
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
        return new DetectionRule(id, alertType, text(node, "displayName", where), text(node, "description", where),
                severity, strings(node.get("intent")), strings(node.get("techniques")), condition,
                List.copyOf(exceptions), strings(node.get("remediationSteps")), Map.copyOf(properties));
    }

    private static Condition condition(JsonNode node, String where) {
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
                    + "' must have exactly one operator (exists, equals, in, startsWith, contains, matches)");
        }
        if (node.has("exists")) {
            return new Condition.Exists(field, node.get("exists").asBoolean());
        }
        for (Condition.Operator op : Condition.Operator.values()) {
            JsonNode operand = node.get(op.name());
            if (operand == null) {
                continue;
            }
            Set<String> operands = new HashSet<>(operand.isArray() ? strings(operand) : List.of(operand.asText()));
            Pattern pattern = null;
            if (op == Condition.Operator.matches) {
                try {
                    pattern = Pattern.compile(operand.asText());
                } catch (PatternSyntaxException e) {
                    throw new RuleDefinitionException(where + ": invalid pattern for '" + field.name() + "': "
                            + e.getDescription());
                }
            }
            return new Condition.Match(field, op, Set.copyOf(operands), pattern);
        }
        throw new RuleDefinitionException(where + ": unknown operator in condition on '" + field.name()
                + "'; use exists, equals, in, startsWith, contains or matches");
    }

    private static List<Condition> children(JsonNode list, String where) {
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
}
