package io.palisade.k8s;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.palisade.k8s.AuditPolicyApi.Shape;
import io.palisade.k8s.AuditPolicyEvaluator.Level;
import io.palisade.k8s.AuditPolicyEvaluator.Request;

/**
 * What each control-plane detection rule needs of the audit policy, derived from the rule file: the requests of
 * {@link AuditPolicyApi} the rule can fire on, and for each the level its fields need and the stages it fires in.
 *
 * <p>
 * A rule's condition is evaluated over a request in three-valued logic: the fields a request determines (verb,
 * stage, user, objectRef.resource, subresource, apiGroup, namespace and name, and the path of a non-resource request)
 * are true or false, every other field (bodies, response code, user agent, annotations...) is unknown. The rule can
 * fire on the request in a stage when its condition is not false and none of its exceptions is certainly true.
 *
 * <p>
 * The level: Metadata, raised by each field the rule reads in a branch of its condition that is not false, in an
 * exception that is not false, or in its entity, properties or baseline: requestObject.* needs Request,
 * responseObject.* RequestResponse, and the fields derived from the pod spec (podSpec.*, podContainers[].*,
 * pod.images, pod.imageRepositories, workload) Request, or RequestResponse for a patch, which the engine judges by the
 * object the API server returned. A rule that reads bodies and names no subresource needs no body on a subresource
 * that changes nothing it reads ({@link AuditPolicyApi#SPEC_SUBRESOURCES}).
 */
final class AuditPolicyRuleNeeds {
    /** A request a rule can fire on: the level it needs, the stages it fires in, the fields that need a body. */
    record Need(String rule, Shape shape, Level level, Set<String> stages, Set<String> bodyFields,
            boolean watchesEveryRequest) {
    }

    private static final Set<String> METADATA_FIELDS = Set.of("verb", "stage", "level", "auditID", "requestURI",
            "userAgent", "sourceIPs", "user.username", "user.groups", "impersonatedUser.username",
            "objectRef.resource", "objectRef.subresource", "objectRef.namespace", "objectRef.name",
            "objectRef.apiGroup", "objectRef.apiVersion", "responseStatus.code");
    private static final Set<String> POD_FIELDS = Set.of("pod.images", "pod.imageRepositories", "workload");
    /** A rule whose condition tests none of these watches every request (users, clients, source addresses). */
    private static final Set<String> REQUEST_FIELDS = Set.of("objectRef.resource", "objectRef.subresource",
            "objectRef.apiGroup", "requestURI");
    private static final Set<String> OPERATORS = Set.of("exists", "equals", "in", "allIn", "startsWith",
            "allStartWith", "contains", "matches", "allMatches", "inIpList");

    private enum Tri {
        FALSE, UNKNOWN, TRUE;

        static Tri of(boolean value) {
            return value ? TRUE : FALSE;
        }

        /** TRUE and FALSE swap, UNKNOWN stays. */
        Tri not() {
            return values()[2 - ordinal()];
        }
    }

    private final Map<String, List<String>> lists = new HashMap<>();
    private final Map<String, Pattern> patterns = new HashMap<>();
    private final List<JsonNode> rules = new ArrayList<>();
    /** Rules whose needs cannot be derived, with why: the test fails naming them. */
    final List<String> problems = new ArrayList<>();

    AuditPolicyRuleNeeds(Path rulesFile) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(rulesFile.toFile());
        root.path("lists").fields().forEachRemaining(list -> lists.put(list.getKey(), texts(list.getValue())));
        root.path("rules").forEach(rules::add);
        if (rules.isEmpty()) {
            problems.add(rulesFile + " has no rules");
        }
    }

    /** Every (rule, request) need of every rule; a rule that cannot be derived is reported in {@link #problems}. */
    List<Need> needs() {
        List<Need> needs = new ArrayList<>();
        for (JsonNode rule : rules) {
            String id = rule.path("id").asText("(a rule without id)");
            try {
                List<Need> ruleNeeds = needs(rule, id);
                if (ruleNeeds.isEmpty()) {
                    problems.add(id + ": fires on none of the requests of AuditPolicyApi (users " + literals(rule,
                            "user.username") + ", namespaces " + literals(rule, "objectRef.namespace")
                            + "); extend the model so that its requests are checked");
                }
                needs.addAll(ruleNeeds);
            } catch (IllegalArgumentException e) {
                problems.add(id + ": " + e.getMessage());
            }
        }
        return needs;
    }

    private List<Need> needs(JsonNode rule, String id) {
        JsonNode condition = rule.path("condition");
        List<JsonNode> exceptions = new ArrayList<>();
        rule.path("exceptions").forEach(e -> exceptions.add(e.path("condition")));
        Set<String> conditionFields = new LinkedHashSet<>();
        allFields(condition, conditionFields);
        exceptions.forEach(e -> allFields(e, new LinkedHashSet<>()));
        Set<String> reported = new LinkedHashSet<>(texts(rule.path("entity")));
        rule.path("properties").forEach(field -> reported.add(field.asText()));
        reported.add(rule.path("baseline").path("subject").asText(""));
        reported.addAll(texts(rule.path("baseline").path("operation")));
        reported.remove("");
        reported.forEach(AuditPolicyRuleNeeds::checkField);
        checkResourcesAreModelled(condition);
        boolean everyRequest = conditionFields.stream().noneMatch(REQUEST_FIELDS::contains);
        boolean namesSubresource = conditionFields.contains("objectRef.subresource");

        List<String> users = new ArrayList<>(List.of(AuditPolicyApi.ALICE, AuditPolicyApi.APP_SERVICE_ACCOUNT));
        users.addAll(literals(rule, "user.username"));
        List<String> namespaces = new ArrayList<>(List.of("default", "kube-system"));
        namespaces.addAll(literals(rule, "objectRef.namespace"));
        List<Need> needs = new ArrayList<>();
        for (Shape shape : AuditPolicyApi.shapes(distinct(users), distinct(namespaces),
                literals(rule, "objectRef.name"))) {
            Set<String> stages = new TreeSet<>();
            Set<String> fields = new TreeSet<>(reported);
            for (String stage : shape.stages()) {
                if (test(condition, shape, stage) != Tri.FALSE
                        && exceptions.stream().noneMatch(e -> test(e, shape, stage) == Tri.TRUE)) {
                    stages.add(stage);
                    relevantFields(condition, shape, stage, fields);
                    exceptions.stream().filter(e -> test(e, shape, stage) != Tri.FALSE)
                            .forEach(e -> allFields(e, fields));
                }
            }
            if (!stages.isEmpty()) {
                Set<String> bodyFields = bodyFields(fields, shape.request(), namesSubresource);
                Level level = bodyFields.stream().map(f -> level(f, shape.request().verb()))
                        .max(Comparator.naturalOrder()).orElse(Level.Metadata);
                needs.add(new Need(id, shape, level, stages, bodyFields, everyRequest));
            }
        }
        return needs;
    }

    /**
     * The fields that need a body; none on a subresource that changes nothing the rule reads (one the rule does not
     * name, other than {@link AuditPolicyApi#SPEC_SUBRESOURCES}).
     */
    private static Set<String> bodyFields(Set<String> fields, Request request, boolean namesSubresource) {
        if (request.isResourceRequest() && !request.subresource().isEmpty() && !namesSubresource
                && !AuditPolicyApi.SPEC_SUBRESOURCES.contains(request.resource() + "/" + request.subresource())) {
            return Set.of();
        }
        Set<String> body = new TreeSet<>(fields);
        body.removeIf(field -> level(field, request.verb()) == Level.Metadata);
        return body;
    }

    /** The level a field needs: a body field needs the body, derived pod fields the returned object for a patch. */
    private static Level level(String field, String verb) {
        if (field.startsWith("responseObject.")) {
            return Level.RequestResponse;
        }
        if (field.startsWith("requestObject.")) {
            return Level.Request;
        }
        if (POD_FIELDS.contains(field) || field.startsWith("podSpec.") || field.startsWith("podContainers[].")) {
            return verb.equals("patch") ? Level.RequestResponse : Level.Request;
        }
        return Level.Metadata;
    }

    private static void checkField(String field) {
        boolean metadata = METADATA_FIELDS.contains(field) || field.startsWith("annotations.");
        if (!metadata && level(field, "get") == Level.Metadata) {
            throw new IllegalArgumentException("reads field '" + field + "', which the test knows neither as audit "
                    + "metadata nor as a body field; classify it in AuditPolicyRuleNeeds");
        }
    }

    /** Resources and groups the condition names must be in the model, or their requests would never be checked. */
    private void checkResourcesAreModelled(JsonNode condition) {
        Set<String> resources = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        for (AuditPolicyApi.Resource r : AuditPolicyApi.RESOURCES) {
            resources.add(r.name());
            resources.addAll(r.subresources());
            groups.add(r.group());
        }
        Set<String> named = new TreeSet<>();
        literals(condition, "objectRef.resource", named);
        literals(condition, "objectRef.subresource", named);
        named.removeAll(resources);
        Set<String> namedGroups = new TreeSet<>();
        literals(condition, "objectRef.apiGroup", namedGroups);
        namedGroups.removeAll(groups);
        if (!named.isEmpty() || !namedGroups.isEmpty()) {
            throw new IllegalArgumentException("names " + (named.isEmpty() ? "" : "resources " + named + " ")
                    + (namedGroups.isEmpty() ? "" : "API groups " + namedGroups + " ")
                    + "that AuditPolicyApi.RESOURCES does not model; add them (with group, scope and subresources)");
        }
    }

    // ------------------------------------------------------------------ three-valued evaluation of a condition

    private Tri test(JsonNode condition, Shape shape, String stage) {
        if (condition.has("all") || condition.has("any")) {
            boolean all = condition.has("all");
            Tri result = all ? Tri.TRUE : Tri.FALSE;
            for (JsonNode child : condition.get(all ? "all" : "any")) {
                Tri t = test(child, shape, stage);
                if (all ? t.compareTo(result) < 0 : t.compareTo(result) > 0) {
                    result = t; // all: the least of its children, any: the greatest
                }
            }
            return result;
        }
        if (condition.has("not")) {
            return test(condition.get("not"), shape, stage).not();
        }
        String field = condition.path("field").asText();
        String operator = operator(condition);
        List<String> values = known(field, shape, stage);
        if (values == null || operator.equals("inIpList")) {
            return Tri.UNKNOWN;
        }
        JsonNode operand = condition.get(operator);
        if (operator.equals("exists")) {
            return Tri.of(!values.isEmpty() == operand.asBoolean());
        }
        if (values.contains(Shape.OTHER_NAME)) {
            // A name no literal of the rule lists: not equal to any of them, and anything for the other operators.
            return Set.of("equals", "in", "allIn").contains(operator) ? Tri.FALSE : Tri.UNKNOWN;
        }
        List<String> operands = operands(operand);
        Predicate<String> holds = switch (operator) {
            case "equals", "in", "allIn" -> operands::contains;
            case "startsWith", "allStartWith" -> v -> operands.stream().anyMatch(v::startsWith);
            case "contains" -> v -> operands.stream().anyMatch(v::contains);
            default -> v -> patterns.computeIfAbsent(operand.asText(), Pattern::compile).matcher(v).find();
        };
        return Tri.of(operator.startsWith("all") ? !values.isEmpty() && values.stream().allMatch(holds)
                : values.stream().anyMatch(holds));
    }

    /** The values of a field the request determines (empty when absent), or null when it does not determine it. */
    private static List<String> known(String field, Shape shape, String stage) {
        Request r = shape.request();
        return switch (field) {
            case "verb" -> List.of(r.verb());
            case "stage" -> List.of(stage);
            case "user.username" -> List.of(r.user());
            case "user.groups" -> r.groups();
            case "requestURI" -> r.isResourceRequest() ? null : List.of(r.path());
            case "objectRef.resource" -> present(r.resource());
            case "objectRef.subresource" -> present(r.subresource());
            case "objectRef.apiGroup" -> present(r.apiGroup());
            case "objectRef.namespace" -> present(r.namespace());
            case "objectRef.name" -> present(r.isResourceRequest() ? shape.objectName() : null);
            default -> null;
        };
    }

    private static List<String> present(String value) {
        return value == null || value.isEmpty() ? List.of() : List.of(value);
    }

    /** The fields of the branches of a condition that are not false for the request. */
    private void relevantFields(JsonNode condition, Shape shape, String stage, Set<String> into) {
        if (test(condition, shape, stage) == Tri.FALSE) {
            return;
        }
        if (condition.has("all") || condition.has("any")) {
            condition.get(condition.has("all") ? "all" : "any")
                    .forEach(child -> relevantFields(child, shape, stage, into));
        } else if (condition.has("not")) {
            allFields(condition.get("not"), into);
        } else {
            into.add(condition.path("field").asText());
        }
    }

    /** Every field of a condition; checks the condition's shape on the way. */
    private static void allFields(JsonNode condition, Set<String> into) {
        for (String combinator : List.of("all", "any")) {
            if (condition.has(combinator)) {
                if (!condition.get(combinator).isArray() || condition.size() != 1) {
                    throw new IllegalArgumentException("has a condition '" + combinator + "' that is not a list alone");
                }
                condition.get(combinator).forEach(child -> allFields(child, into));
                return;
            }
        }
        if (condition.has("not")) {
            allFields(condition.get("not"), into);
            return;
        }
        String field = condition.path("field").asText("");
        if (field.isEmpty()) {
            throw new IllegalArgumentException("has a condition that is neither all, any, not nor a field test: "
                    + condition);
        }
        checkField(field);
        operator(condition);
        into.add(field);
    }

    private static String operator(JsonNode condition) {
        for (Iterator<String> keys = condition.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!key.equals("field")) {
                if (!OPERATORS.contains(key) || condition.size() != 2) {
                    throw new IllegalArgumentException("has a condition on '" + condition.path("field").asText()
                            + "' whose operator the test does not know: " + condition);
                }
                return key;
            }
        }
        throw new IllegalArgumentException("has a condition without operator: " + condition);
    }

    /** An operand as a list of strings, "@name" standing for the items of the list of that name. */
    private List<String> operands(JsonNode operand) {
        List<String> operands = new ArrayList<>();
        for (String value : operand.isArray() ? texts(operand) : List.of(operand.asText())) {
            if (value.startsWith("@")) {
                List<String> list = lists.get(value.substring(1));
                if (list == null) {
                    throw new IllegalArgumentException("uses unknown list " + value);
                }
                operands.addAll(list);
            } else {
                operands.add(value);
            }
        }
        return operands;
    }

    /**
     * The values a rule's condition compares a field to with equals or in: the users, namespaces and object names
     * that become requests of the model besides the usual ones.
     */
    private List<String> literals(JsonNode rule, String field) {
        Set<String> values = new TreeSet<>();
        literals(rule.path("condition"), field, values);
        return List.copyOf(values);
    }

    private void literals(JsonNode condition, String field, Set<String> into) {
        if (condition.isArray()) {
            condition.forEach(child -> literals(child, field, into));
        } else if (condition.has("all") || condition.has("any") || condition.has("not")) {
            condition.forEach(child -> literals(child, field, into));
        } else if (field.equals(condition.path("field").asText())) {
            for (String operator : List.of("equals", "in")) {
                if (condition.has(operator)) {
                    into.addAll(operands(condition.get(operator)));
                }
            }
        }
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        node.forEach(value -> texts.add(value.asText()));
        return texts;
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
