package io.palisade.detection.engine;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.core.JsonParser;
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
 *
 * <p>
 * Types are checked as strictly as names, so that nothing is silently ignored or coerced: text attributes are
 * strings; {@code intent} (MITRE ATT&CK tactics as Defender writes them, {@link #TACTICS}), {@code techniques}
 * ({@code T1234} or {@code T1234.001}), {@code remediationSteps}, {@code falcoRules}, {@code entity} and
 * {@code baseline.operation} are lists of strings; {@code properties} is a mapping of property name to field (not
 * one the alert sets itself, {@link #RESERVED_PROPERTIES}); {@code exceptions} is a list of {@code {name,
 * condition}}. A condition is exactly one of {@code all}/{@code any} (a non-empty list), {@code not} (a condition) or
 * a field with one operator: {@code exists} takes a boolean, {@code inIpList} an IP list name, {@code matches} and
 * {@code allMatches} one regular expression (searched with a bound on its work, see {@link BoundedRegex}), the other
 * operators a string or a non-empty list of strings (numbers and booleans are quoted: {@code "443"},
 * {@code "true"}). A YAML file may not repeat a key.
 */
public final class RuleLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> RULE_ATTRIBUTES = Set.of("id", "alertType", "displayName", "description",
            "severity", "intent", "techniques", "condition", "exceptions", "remediationSteps", "properties", "entity",
            "baseline", "falcoRules");
    private static final Set<String> BASELINE_ATTRIBUTES = Set.of("subject", "operation", "learningPeriod");
    private static final Set<String> EXCEPTION_ATTRIBUTES = Set.of("name", "condition");
    private static final List<String> COMBINATORS = List.of("all", "any", "not");
    private static final Pattern ALERT_TYPE = Pattern.compile("K8S(\\.NODE)?_[A-Za-z0-9_]+");
    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,79}");
    /** The names of IP lists ({@code inIpList}), as the API creates them. */
    private static final Pattern IP_LIST_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,79}");
    /** A MITRE ATT&CK technique or sub-technique id. */
    private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?");
    /** MITRE ATT&CK tactics as Microsoft Defender for Cloud writes an alert's intent, with Defender's own ones. */
    public static final Set<String> TACTICS = Set.of("InitialAccess", "Execution", "Persistence",
            "PrivilegeEscalation", "DefenseEvasion", "CredentialAccess", "Discovery", "LateralMovement", "Collection",
            "CommandAndControl", "Exfiltration", "Impact", "PreAttack", "Exploitation", "Probing", "Reconnaissance",
            "ResourceDevelopment");
    /** Properties every control-plane alert carries itself; a rule cannot name its own properties so. */
    public static final Set<String> RESERVED_PROPERTIES = Set.of("count", "auditId", "ruleId", "falcoRule");

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
        JsonNode fileLists = root.get("lists");
        if (fileLists != null && !fileLists.isObject()) {
            throw new RuleDefinitionException(source + ": 'lists' must be a mapping of list name to a list of "
                    + "strings, not " + kind(fileLists));
        }
        Map<String, List<String>> read = new LinkedHashMap<>();
        if (fileLists != null) {
            fileLists.fields().forEachRemaining(list -> read.put(list.getKey(), strings(list.getValue(),
                    source + ": list '" + list.getKey() + "'", "must be a list of strings")));
        }
        lists.putAll(read);
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

    /**
     * Checks and builds one rule (a catalogue entry, or a custom rule sent to the API as JSON). Every attribute must
     * have its type: a problem is a {@link RuleDefinitionException} naming the rule, the attribute and what it takes.
     * An optional attribute may be left out or be null.
     */
    public DetectionRule rule(JsonNode node, String source) {
        if (node == null || !node.isObject()) {
            throw new RuleDefinitionException(source + ": a rule must be a mapping, not " + kind(node));
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
                        + new TreeSet<>(RULE_ATTRIBUTES));
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
        String displayName = text(node, "displayName", where);
        String description = text(node, "description", where);
        List<String> intent = optionalStrings(node, "intent", where, "MITRE ATT&CK tactics such as InitialAccess");
        for (String tactic : intent) {
            if (!TACTICS.contains(tactic)) {
                throw new RuleDefinitionException(where + ": 'intent' has '" + tactic + "', which is not a tactic; "
                        + "use " + new TreeSet<>(TACTICS));
            }
        }
        List<String> techniques = optionalStrings(node, "techniques", where,
                "MITRE ATT&CK technique ids such as T1609 or T1552.007");
        for (String technique : techniques) {
            if (!TECHNIQUE.matcher(technique).matches()) {
                throw new RuleDefinitionException(where + ": 'techniques' has '" + technique
                        + "', which is not a MITRE ATT&CK technique id; write T1234 or T1234.001");
            }
        }
        List<String> remediationSteps = optionalStrings(node, "remediationSteps", where, "steps");
        List<String> falcoRules = optionalStrings(node, "falcoRules", where, "Falco rule names");

        JsonNode conditionNode = node.get("condition");
        if (conditionNode == null || conditionNode.isNull()) {
            throw new RuleDefinitionException(where + ": has no 'condition'");
        }
        Condition condition = condition(conditionNode, where + ", condition");
        List<DetectionRule.RuleException> exceptions = exceptions(optional(node, "exceptions"), where);
        Map<String, FieldCatalogue.FieldPath> properties = properties(optional(node, "properties"), where);
        List<String> entityFields = node.hasNonNull("entity")
                ? strings(node.get("entity"), where + ": 'entity'", "must be a list of field names")
                : DetectionRule.DEFAULT_ENTITY;
        if (entityFields.isEmpty()) {
            throw new RuleDefinitionException(where + ": 'entity' needs at least one field");
        }
        List<FieldCatalogue.FieldPath> entity = entityFields.stream().map(f -> resolve(f, where + ": 'entity'"))
                .toList();
        return new DetectionRule(id, alertType, displayName, description, severity, intent, techniques, condition,
                exceptions, remediationSteps, properties, entity, baseline(optional(node, "baseline"), where),
                falcoRules);
    }

    private List<DetectionRule.RuleException> exceptions(JsonNode node, String where) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new RuleDefinitionException(where + ": 'exceptions' must be a list of mappings with 'name' and "
                    + "'condition', not " + kind(node));
        }
        List<DetectionRule.RuleException> exceptions = new ArrayList<>();
        int index = 0;
        for (JsonNode e : node) {
            index++;
            String position = where + ", exception #" + index;
            if (!e.isObject()) {
                throw new RuleDefinitionException(position + ": an exception must be a mapping with 'name' and "
                        + "'condition', not " + kind(e));
            }
            String name = text(e, "name", position);
            String at = where + ", exception '" + name + "'";
            for (Iterator<String> names = e.fieldNames(); names.hasNext();) {
                String attribute = names.next();
                if (!EXCEPTION_ATTRIBUTES.contains(attribute)) {
                    throw new RuleDefinitionException(at + ": unknown attribute '" + attribute + "'; allowed: "
                            + "name, condition");
                }
            }
            if (!e.hasNonNull("condition")) {
                throw new RuleDefinitionException(at + ": has no 'condition'");
            }
            exceptions.add(new DetectionRule.RuleException(name, condition(e.get("condition"), at)));
        }
        return List.copyOf(exceptions);
    }

    private static Map<String, FieldCatalogue.FieldPath> properties(JsonNode node, String where) {
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new RuleDefinitionException(where + ": 'properties' must be a mapping of property name to field "
                    + "(e.g. {username: user.username}), not " + kind(node));
        }
        Map<String, FieldCatalogue.FieldPath> properties = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> p = it.next();
            String name = p.getKey();
            if (name.isBlank()) {
                throw new RuleDefinitionException(where + ": 'properties' has a property without a name");
            }
            if (RESERVED_PROPERTIES.contains(name)) {
                throw new RuleDefinitionException(where + ": property '" + name + "' is one the alert sets itself ("
                        + String.join(", ", new TreeSet<>(RESERVED_PROPERTIES)) + "); choose another name");
            }
            JsonNode field = p.getValue();
            if (!field.isTextual() || field.asText().isBlank()) {
                throw new RuleDefinitionException(where + ": property '" + name + "' must name a field (a string), "
                        + "not " + kind(field));
            }
            properties.put(name, resolve(field.asText(), where + ": property '" + name + "'"));
        }
        return Collections.unmodifiableMap(properties);
    }

    private DetectionRule.Baseline baseline(JsonNode node, String where) {
        if (node == null) {
            return null;
        }
        String at = where + ", baseline";
        if (!node.isObject()) {
            throw new RuleDefinitionException(where + ": 'baseline' must be a mapping with subject, operation and "
                    + "learningPeriod, not " + kind(node));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!BASELINE_ATTRIBUTES.contains(name)) {
                throw new RuleDefinitionException(at + ": unknown attribute '" + name + "'; allowed: "
                        + new TreeSet<>(BASELINE_ATTRIBUTES));
            }
        }
        FieldCatalogue.FieldPath subject = resolve(text(node, "subject", at), at + ": 'subject'");
        JsonNode operationNode = node.get("operation");
        if (operationNode == null || operationNode.isNull()) {
            throw new RuleDefinitionException(at + ": 'operation' is required (a list of field names)");
        }
        List<String> operation = strings(operationNode, at + ": 'operation'", "must be a list of field names");
        if (operation.isEmpty()) {
            throw new RuleDefinitionException(at + ": 'operation' needs at least one field");
        }
        Duration learning;
        try {
            learning = Duration.parse(text(node, "learningPeriod", at));
        } catch (DateTimeParseException e) {
            throw new RuleDefinitionException(at + ": learningPeriod must be an ISO-8601 duration such as P7D");
        }
        if (learning.isNegative()) {
            throw new RuleDefinitionException(at + ": learningPeriod must not be negative");
        }
        return new DetectionRule.Baseline(subject,
                operation.stream().map(f -> resolve(f, at + ": 'operation'")).toList(), learning);
    }

    /**
     * A condition is exactly one of: {@code all: [conditions]}, {@code any: [conditions]}, {@code not: condition}, or
     * {@code field} with one operator.
     */
    private Condition condition(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new RuleDefinitionException(where + ": a condition must be a mapping, not " + kind(node));
        }
        for (String combinator : COMBINATORS) {
            if (node.has(combinator)) {
                if (node.size() != 1) {
                    Set<String> others = new TreeSet<>();
                    node.fieldNames().forEachRemaining(others::add);
                    others.remove(combinator);
                    throw new RuleDefinitionException(where + ": a condition with '" + combinator
                            + "' can have no other key (found " + others + "); nest conditions to combine them");
                }
                JsonNode operand = node.get(combinator);
                return switch (combinator) {
                    case "all" -> new Condition.All(children(operand, "all", where));
                    case "any" -> new Condition.Any(children(operand, "any", where));
                    default -> new Condition.Not(condition(operand, where + ", not"));
                };
            }
        }
        JsonNode fieldNode = node.get("field");
        if (fieldNode == null || fieldNode.isNull()) {
            throw new RuleDefinitionException(where + ": a condition needs 'field' and one operator (" + OPERATORS
                    + "), or one of all, any, not; found " + keys(node));
        }
        if (!fieldNode.isTextual()) {
            throw new RuleDefinitionException(where + ": 'field' must be a field name (a string), not "
                    + kind(fieldNode));
        }
        FieldCatalogue.FieldPath field = resolve(fieldNode.asText(), where);
        String on = where + ": condition on '" + field.name() + "'";
        if (node.size() != 2) {
            throw new RuleDefinitionException(on + " must have exactly one operator (" + OPERATORS + "); found "
                    + keys(node));
        }
        if (node.has("exists")) {
            JsonNode expected = node.get("exists");
            if (!expected.isBoolean()) {
                throw new RuleDefinitionException(on + ": 'exists' takes a boolean (true or false), not "
                        + kind(expected));
            }
            return new Condition.Exists(field, expected.booleanValue());
        }
        if (node.has("inIpList")) {
            JsonNode list = node.get("inIpList");
            if (!list.isTextual() || !IP_LIST_NAME.matcher(list.asText()).matches()) {
                throw new RuleDefinitionException(on + ": 'inIpList' takes the name of an IP list (a string of 1-80 "
                        + "characters of a-z, 0-9 and '-', starting with a letter or digit), not "
                        + (list.isTextual() ? "'" + list.asText() + "'" : kind(list)));
            }
            return new Condition.InIpList(field, list.asText(), ipLists);
        }
        for (Condition.Operator op : Condition.Operator.values()) {
            JsonNode operand = node.get(op.name());
            if (operand == null) {
                continue;
            }
            String at = on + ": '" + op.name() + "'";
            if (op.regex()) {
                if (!operand.isTextual()) {
                    throw new RuleDefinitionException(at + " takes one regular expression (a string), not "
                            + kind(operand));
                }
                Pattern pattern;
                try {
                    pattern = Pattern.compile(operand.asText());
                } catch (PatternSyntaxException e) {
                    throw new RuleDefinitionException(where + ": invalid pattern for '" + field.name() + "': "
                            + e.getDescription());
                }
                return new Condition.Match(field, op, Set.of(), new BoundedRegex(pattern, on));
            }
            List<String> operands;
            if (operand.isTextual()) {
                operands = List.of(operand.asText());
            } else if (operand.isArray()) {
                operands = strings(operand, at, "takes a string or a list of strings (quote numbers and booleans: "
                        + "\"443\", \"true\")");
                if (operands.isEmpty()) {
                    throw new RuleDefinitionException(at + " needs at least one value");
                }
                operands = expand(operands, at);
            } else {
                throw new RuleDefinitionException(at + " takes a string or a list of strings (quote numbers and "
                        + "booleans: \"443\", \"true\"), not " + kind(operand));
            }
            return new Condition.Match(field, op, Set.copyOf(operands), null);
        }
        Set<String> unknown = new TreeSet<>();
        node.fieldNames().forEachRemaining(unknown::add);
        unknown.remove("field");
        throw new RuleDefinitionException(on + ": unknown operator " + unknown + "; use " + OPERATORS);
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
                            + "'; known lists: " + new TreeSet<>(lists.keySet()));
                }
                expanded.addAll(list);
            } else {
                expanded.add(operand);
            }
        }
        return expanded;
    }

    private List<Condition> children(JsonNode list, String combinator, String where) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new RuleDefinitionException(where + ": '" + combinator + "' needs a non-empty list of conditions, "
                    + "not " + kind(list));
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

    /** A required, non-blank string attribute, trimmed. */
    private static String text(JsonNode node, String name, String where) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new RuleDefinitionException(where + ": '" + name + "' is required (a string)");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new RuleDefinitionException(where + ": '" + name + "' must be a non-empty string, not "
                    + kind(value));
        }
        return value.asText().trim();
    }

    /** An optional attribute: null when it is absent or null. */
    private static JsonNode optional(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /** An optional list of non-blank strings; empty when absent or null. */
    private static List<String> optionalStrings(JsonNode node, String name, String where, String what) {
        JsonNode value = optional(node, name);
        return value == null ? List.of()
                : strings(value, where + ": '" + name + "'", "must be a list of strings (" + what + ")");
    }

    /** A list of non-blank strings; {@code expected} completes "{where} ..." when it is not. */
    private static List<String> strings(JsonNode node, String where, String expected) {
        if (node == null || !node.isArray()) {
            throw new RuleDefinitionException(where + " " + expected + ", not " + kind(node));
        }
        List<String> values = new ArrayList<>();
        int index = 0;
        for (JsonNode v : node) {
            index++;
            if (!v.isTextual() || v.asText().isBlank()) {
                throw new RuleDefinitionException(where + " " + expected + "; item " + index + " is "
                        + (v.isTextual() ? "blank" : kind(v)));
            }
            values.add(v.asText());
        }
        return List.copyOf(values);
    }

    /** What a JSON value is, for messages: "a string ('x')", "a number (5)", "a list", "a mapping", "null". */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            String text = node.asText();
            return "a string ('" + (text.length() > 60 ? text.substring(0, 60) + "…" : text) + "')";
        }
        if (node.isNumber()) {
            return "a number (" + node.asText() + ")";
        }
        if (node.isBoolean()) {
            return "a boolean (" + node.asText() + ")";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys.toString();
    }

    /** The lists known to this loader, for documentation and the API. */
    public Map<String, List<String>> lists() {
        return Map.copyOf(lists);
    }
}
