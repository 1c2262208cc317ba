package io.palisade.detection.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;

class RuleLoaderTest {
    private static final String RULE = """
            rules:
              - id: r1
                alertType: K8S_Test
                displayName: Test
                description: A test rule
                severity: Low
                condition: %s
            """;

    static List<DetectionRule> load(String yaml) {
        return RuleLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void rejectsAnUnknownFieldNamingRuleAndField() {
        var e = assertThrows(RuleDefinitionException.class,
                () -> load(RULE.formatted("{ field: objectRef.kind, equals: x }")));
        assertTrue(e.getMessage().contains("rule 'r1'") && e.getMessage().contains("unknown field 'objectRef.kind'"),
                e.getMessage());
    }

    @Test
    void rejectsUnknownOperatorsAttributesAndSeverities() {
        assertThrows(RuleDefinitionException.class, () -> load(RULE.formatted("{ field: verb, like: get }")));
        assertThrows(RuleDefinitionException.class,
                () -> load(RULE.formatted("{ field: verb, equals: get }") + "    priority: high\n"));
        assertThrows(RuleDefinitionException.class,
                () -> load(RULE.formatted("{ field: verb, equals: get }").replace("Low", "Critical")));
        assertThrows(RuleDefinitionException.class,
                () -> load(RULE.formatted("{ field: verb, equals: get }").replace("K8S_Test", "Test")));
    }

    @Test
    void combinesConditionsAndSeesIntoArrays() throws Exception {
        var rules = load(RULE.formatted("""
                {all: [ {field: verb, in: [create]},
                        {any: [ {field: "requestObject.spec.containers[].securityContext.privileged", equals: "true"},
                                {field: requestObject.spec.hostNetwork, equals: "true"} ]},
                        {not: {field: objectRef.namespace, startsWith: kube-}} ]}"""));
        var engine = new DetectionEngine(rules);
        var privileged = EventCodec.mapper().readTree("""
                {"verb":"create","objectRef":{"namespace":"default"},
                 "requestObject":{"spec":{"containers":[{"name":"a"},{"name":"b","securityContext":{"privileged":true}}]}}}""");
        var inKubeSystem = EventCodec.mapper().readTree("""
                {"verb":"create","objectRef":{"namespace":"kube-system"},"requestObject":{"spec":{"hostNetwork":true}}}""");
        assertEquals(1, engine.evaluate(privileged).size());
        assertEquals(0, engine.evaluate(inKubeSystem).size());
    }

    @Test
    void allMatchesHoldsWhenTheFieldHasValuesAndEveryOneMatches() throws Exception {
        var engine = new DetectionEngine(load(RULE.formatted("""
                { field: "requestObject.spec.containers[].image",
                        allMatches: '^(?:registry\\.k8s\\.io/|quay\\.io/cilium/)' }""")));
        var trusted = EventCodec.mapper().readTree("""
                {"requestObject":{"spec":{"containers":[{"image":"registry.k8s.io/pause:3.10"},
                                                        {"image":"quay.io/cilium/cilium:v1.16.1"}]}}}""");
        var lookAlike = EventCodec.mapper().readTree("""
                {"requestObject":{"spec":{"containers":[{"image":"registry.k8s.io/pause:3.10"},
                                                        {"image":"registry.k8s.io.evil.example/pause:3.10"}]}}}""");
        var noImages = EventCodec.mapper().readTree("""
                {"requestObject":{"spec":{"containers":[]}}}""");
        var mapping = EventCodec.mapper().readTree("""
                {"requestObject":{"spec":{"containers":[{"image":{"name":"registry.k8s.io/pause"}}]}}}""");
        assertEquals(1, engine.evaluate(trusted).size(), "every image matches");
        assertEquals(0, engine.evaluate(lookAlike).size(), "one image does not match");
        assertEquals(0, engine.evaluate(noImages).size(), "no value: nothing to hold for");
        assertEquals(0, engine.evaluate(mapping).size(), "a mapping is not a value that can match");
        var any = new DetectionEngine(load(RULE.formatted("""
                { field: "requestObject.spec.containers[].image", matches: '^registry\\.k8s\\.io/' }""")));
        assertEquals(1, any.evaluate(lookAlike).size(), "matches holds when any one value matches");
    }

    @Test
    void regexOperatorsTakeOneValidPattern() {
        var invalid = assertThrows(RuleDefinitionException.class,
                () -> load(RULE.formatted("{ field: userAgent, allMatches: '^(kubectl' }")));
        assertTrue(invalid.getMessage().contains("rule 'r1'") && invalid.getMessage().contains("invalid pattern")
                && invalid.getMessage().contains("userAgent"), invalid.getMessage());
        for (String op : List.of("matches", "allMatches")) {
            var list = assertThrows(RuleDefinitionException.class,
                    () -> load(RULE.formatted("{ field: userAgent, " + op + ": ['^kubectl', '^helm'] }")));
            assertTrue(list.getMessage().contains("one regular expression"), list.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------- types, strictly

    /** A custom rule as the API receives it, valid as it is. */
    static final String CUSTOM = """
            {"id":"r1","alertType":"K8S_Test","displayName":"Test","description":"A test rule","severity":"Low",
             "condition":{"field":"verb","equals":"get"}}""";

    static JsonNode json(String text) {
        try {
            return EventCodec.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The custom rule with {@code attribute} set to the JSON {@code value}. */
    static ObjectNode with(String attribute, String value) {
        ObjectNode rule = (ObjectNode) json(CUSTOM);
        rule.set(attribute, json(value));
        return rule;
    }

    static DetectionRule custom(JsonNode definition) {
        return new RuleLoader(new IpLists()).rule(definition, "custom rule");
    }

    /** Asserts that the definition is refused with a message naming the rule and holding every fragment. */
    static void refused(JsonNode definition, String... fragments) {
        var e = assertThrows(RuleDefinitionException.class, () -> custom(definition), definition::toString);
        assertTrue(e.getMessage().startsWith("custom rule: rule 'r1'"), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        }
    }

    @Test
    void theValidCustomRuleLoadsAndOptionalAttributesMayBeNull() {
        assertEquals("r1", custom(json(CUSTOM)).id());
        ObjectNode nulls = (ObjectNode) json(CUSTOM);
        for (String optional : List.of("intent", "techniques", "exceptions", "remediationSteps", "properties",
                "entity", "baseline", "falcoRules")) {
            nulls.putNull(optional);
        }
        DetectionRule rule = custom(nulls);
        assertTrue(rule.intent().isEmpty() && rule.properties().isEmpty() && rule.exceptions().isEmpty());
        assertEquals(DetectionRule.DEFAULT_ENTITY, rule.entity().stream().map(FieldCatalogue.FieldPath::name).toList());
        assertNull(rule.baseline());
    }

    @Test
    void propertiesAreAMappingOfNameToFieldAndNotOnesTheAlertSetsItself() {
        refused(with("properties", "[\"user.username\"]"), "'properties'", "mapping of property name to field",
                "not a list");
        refused(with("properties", "\"x\""), "'properties'", "mapping of property name to field", "not a string");
        refused(with("properties", "{\"user\": 5}"), "property 'user'", "must name a field (a string)", "a number");
        refused(with("properties", "{\"user\": \"user.nme\"}"), "property 'user'", "unknown field 'user.nme'");
        for (String reserved : List.of("count", "auditId", "ruleId", "falcoRule")) {
            refused(with("properties", "{\"" + reserved + "\": \"verb\"}"), "property '" + reserved + "'",
                    "the alert sets itself");
        }
        var rule = custom(with("properties", "{\"user\": \"user.username\", \"verb\": \"verb\"}"));
        assertEquals(List.of("user", "verb"), List.copyOf(rule.properties().keySet()), "kept in order");
    }

    @Test
    void listAttributesAreListsOfStrings() {
        refused(with("entity", "{\"a\": \"verb\"}"), "'entity'", "must be a list of field names", "a mapping");
        refused(with("entity", "[\"verb\", 5]"), "'entity'", "list of field names", "item 2 is a number");
        refused(with("entity", "[]"), "'entity' needs at least one field");
        refused(with("intent", "\"Impact\""), "'intent'", "must be a list of strings", "not a string ('Impact')");
        refused(with("intent", "[\"Impact\", null]"), "'intent'", "item 2 is null");
        refused(with("techniques", "\"T1609\""), "'techniques'", "must be a list of strings", "a string");
        refused(with("remediationSteps", "\"Do it.\""), "'remediationSteps'", "must be a list of strings");
        refused(with("remediationSteps", "[\"Do it.\", {\"step\": 2}]"), "'remediationSteps'",
                "item 2 is a mapping");
        refused(with("remediationSteps", "[\" \"]"), "'remediationSteps'", "item 1 is blank");
        refused(with("falcoRules", "[true]"), "'falcoRules'", "must be a list of strings", "item 1 is a boolean");
        refused(with("falcoRules", "{}"), "'falcoRules'", "a mapping");
    }

    @Test
    void intentNamesTacticsAsDefenderDoesAndTechniquesAreAttackIds() {
        refused(with("intent", "[\"Lateral Movement\"]"), "'intent'", "'Lateral Movement'", "not a tactic",
                "LateralMovement");
        refused(with("intent", "[\"impact\"]"), "'intent'", "not a tactic");
        for (String technique : List.of("T12", "t1609", "T1609.1", "T1609.0001", "TA0001", "T1609 ", "1609")) {
            refused(with("techniques", "[\"" + technique + "\"]"), "'techniques'", "'" + technique + "'",
                    "T1234 or T1234.001");
        }
        var rule = custom(with("intent", "[\"InitialAccess\", \"Execution\", \"Persistence\", "
                + "\"PrivilegeEscalation\", \"DefenseEvasion\", \"CredentialAccess\", \"Discovery\", "
                + "\"LateralMovement\", \"Collection\", \"CommandAndControl\", \"Exfiltration\", \"Impact\", "
                + "\"PreAttack\", \"Exploitation\", \"Probing\", \"Reconnaissance\", \"ResourceDevelopment\"]")
                .set("techniques", json("[\"T1609\", \"T1552.007\"]")));
        assertEquals(17, rule.intent().size());
        assertEquals(List.of("T1609", "T1552.007"), rule.techniques());
    }

    @Test
    void exceptionsAreAListOfNamedConditions() {
        refused(with("exceptions", "\"x\""), "'exceptions'", "must be a list", "a string");
        refused(with("exceptions", "{\"name\": \"n\"}"), "'exceptions'", "must be a list", "a mapping");
        refused(with("exceptions", "[\"x\"]"), "exception #1", "must be a mapping", "a string");
        refused(with("exceptions", "[{\"condition\": {\"field\": \"verb\", \"equals\": \"x\"}}]"),
                "exception #1", "'name' is required");
        refused(with("exceptions", "[{\"name\": \"n\"}]"), "exception 'n'", "has no 'condition'");
        refused(with("exceptions", "[{\"name\": \"n\", \"when\": \"always\", "
                + "\"condition\": {\"field\": \"verb\", \"equals\": \"x\"}}]"), "exception 'n'",
                "unknown attribute 'when'");
        refused(with("exceptions", "[{\"name\": \"n\", \"condition\": {\"field\": \"verb\", "
                + "\"equals\": null}}]"), "exception 'n'", "condition on 'verb'", "'equals'", "null");
    }

    @Test
    void aConditionIsExactlyOneCombinatorOrOneTest() {
        refused(with("condition", "{\"all\": [{\"field\": \"verb\", \"equals\": \"get\"}], "
                + "\"any\": [{\"field\": \"verb\", \"equals\": \"list\"}]}"),
                "a condition with 'all' can have no other key (found [any])");
        refused(with("condition", "{\"not\": {\"field\": \"verb\", \"equals\": \"get\"}, "
                + "\"field\": \"verb\", \"equals\": \"list\"}"), "a condition with 'not' can have no other key",
                "[equals, field]");
        refused(with("condition", "{\"any\": [{\"field\": \"verb\", \"equals\": \"get\"}], "
                + "\"name\": \"x\"}"), "a condition with 'any' can have no other key (found [name])");
        refused(with("condition", "{\"all\": {\"field\": \"verb\", \"equals\": \"get\"}}"),
                "'all' needs a non-empty list of conditions", "a mapping");
        refused(with("condition", "{\"any\": []}"), "'any' needs a non-empty list");
        refused(with("condition", "{\"not\": [{\"field\": \"verb\", \"equals\": \"get\"}]}"),
                "a condition must be a mapping, not a list");
        refused(with("condition", "\"verb == get\""), "a condition must be a mapping", "a string");
        refused(with("condition", "{\"field\": [\"verb\"], \"equals\": \"get\"}"),
                "'field' must be a field name (a string), not a list");
        refused(with("condition", "{\"equals\": \"get\"}"), "a condition needs 'field' and one operator");
        refused(with("condition", "{\"field\": \"verb\", \"equals\": \"get\", \"in\": [\"list\"]}"),
                "condition on 'verb' must have exactly one operator");
        refused(with("condition", "{\"field\": \"verb\", \"like\": \"get\"}"), "unknown operator [like]");
    }

    @Test
    void operandsAreStringsOrListsOfStrings() {
        refused(with("condition", "{\"field\": \"verb\", \"equals\": null}"), "condition on 'verb'",
                "'equals' takes a string or a list of strings", "not null");
        refused(with("condition", "{\"field\": \"verb\", \"in\": {\"a\": \"get\"}}"), "'in'",
                "a string or a list of strings", "not a mapping");
        refused(with("condition", "{\"field\": \"verb\", \"in\": [\"get\", {\"a\": 1}]}"), "'in'",
                "item 2 is a mapping");
        refused(with("condition", "{\"field\": \"verb\", \"in\": [\"get\", null]}"), "'in'",
                "item 2 is null");
        refused(with("condition", "{\"field\": \"verb\", \"in\": []}"), "'in' needs at least one value");
        refused(with("condition", "{\"field\": \"responseStatus.code\", \"equals\": 403}"), "'equals'",
                "quote numbers and booleans", "not a number (403)");
        refused(with("condition", "{\"field\": \"podSpec.hostPID\", \"equals\": true}"), "'equals'",
                "not a boolean (true)");
        refused(with("condition", "{\"field\": \"verb\", \"startsWith\": [\"ge\", [\"x\"]]}"),
                "'startsWith'", "item 2 is a list");
        refused(with("condition", "{\"field\": \"userAgent\", \"matches\": 5}"),
                "'matches' takes one regular expression (a string), not a number");
        refused(with("condition", "{\"field\": \"userAgent\", \"allMatches\": null}"),
                "'allMatches' takes one regular expression (a string), not null");
        refused(with("condition", "{\"field\": \"verb\", \"in\": [\"@no-such-list\"]}"),
                "unknown list 'no-such-list'");
    }

    @Test
    void existsTakesABoolean() {
        for (String value : List.of("\"no\"", "\"false\"", "5", "0", "null", "[true]")) {
            refused(with("condition", "{\"field\": \"verb\", \"exists\": " + value + "}"),
                    "condition on 'verb'", "'exists' takes a boolean (true or false)");
        }
        var event = json("{\"verb\": \"get\"}");
        assertTrue(custom(with("condition", "{\"field\": \"verb\", \"exists\": true}")).matches(event));
        assertFalse(custom(with("condition", "{\"field\": \"verb\", \"exists\": false}")).matches(event));
    }

    @Test
    void inIpListTakesAWellFormedListNameThatMayNotExistYet() {
        for (String value : List.of("5", "[\"proxy\"]", "null", "\"Proxy\"", "\"-proxy\"", "\"tor_exit\"",
                "\"\"", "\"" + "a".repeat(81) + "\"")) {
            refused(with("condition", "{\"field\": \"sourceIPs\", \"inIpList\": " + value + "}"),
                    "condition on 'sourceIPs'", "'inIpList' takes the name of an IP list");
        }
        IpLists ipLists = new IpLists();
        DetectionRule rule = new RuleLoader(ipLists).rule(with("condition",
                "{\"field\": \"sourceIPs\", \"inIpList\": \"tor-exits-2\"}"), "custom rule");
        JsonNode event = json("{\"sourceIPs\": [\"203.0.113.9\"]}");
        assertFalse(rule.matches(event), "a list not created yet is empty");
        ipLists.replace("tor-exits-2", List.of("203.0.113.0/24"));
        assertTrue(rule.matches(event), "the list takes effect once created through the API");
    }

    @Test
    void baselineIsAMappingWithAListOfOperationFields() {
        refused(with("baseline", "\"user.username\""), "'baseline' must be a mapping", "a string");
        refused(with("baseline", "{\"subject\": \"user.username\", \"operation\": \"verb\", "
                + "\"learningPeriod\": \"P7D\"}"), "baseline: 'operation'", "must be a list of field names",
                "a string");
        refused(with("baseline", "{\"subject\": \"user.username\", \"operation\": [\"verb\", 1], "
                + "\"learningPeriod\": \"P7D\"}"), "baseline: 'operation'", "item 2 is a number");
        refused(with("baseline", "{\"subject\": \"user.username\", \"learningPeriod\": \"P7D\"}"),
                "baseline: 'operation' is required");
        refused(with("baseline", "{\"subject\": [\"user.username\"], \"operation\": [\"verb\"], "
                + "\"learningPeriod\": \"P7D\"}"), "baseline: 'subject' must be a non-empty string, not a list");
        refused(with("baseline", "{\"subject\": \"user.username\", \"operation\": [\"verb\"], "
                + "\"learningPeriod\": 7}"), "baseline: 'learningPeriod' must be a non-empty string");
        refused(with("baseline", "{\"subject\": \"user.username\", \"operation\": [\"verb\"], "
                + "\"learningPeriod\": \"-P7D\"}"), "learningPeriod must not be negative");
        var rule = custom(with("baseline", "{\"subject\": \"user.username\", \"operation\": [\"verb\", "
                + "\"objectRef.resource\"], \"learningPeriod\": \"P7D\"}"));
        assertEquals(2, rule.baseline().operation().size());
    }

    @Test
    void textAttributesAreStrings() {
        refused(with("displayName", "[\"Test\"]"), "'displayName' must be a non-empty string, not a list");
        refused(with("description", "5"), "'description' must be a non-empty string, not a number");
        refused(with("severity", "3"), "'severity' must be a non-empty string");
        var id = assertThrows(RuleDefinitionException.class, () -> custom(with("id", "7")));
        assertTrue(id.getMessage().contains("'id' must be a non-empty string, not a number"), id.getMessage());
    }

    @Test
    void catalogueFilesRepeatNoKeyAndListsAreMappingsOfStringLists() {
        var repeated = assertThrows(RuleDefinitionException.class,
                () -> load(RULE.formatted("{ field: verb, equals: get }") + "    condition: { field: verb, equals: list }\n"));
        assertTrue(repeated.getMessage().contains("condition"), repeated.getMessage());
        var notMapping = assertThrows(RuleDefinitionException.class,
                () -> load("lists: [a, b]\n" + RULE.formatted("{ field: verb, equals: get }")));
        assertTrue(notMapping.getMessage().contains("'lists' must be a mapping"), notMapping.getMessage());
        var notStrings = assertThrows(RuleDefinitionException.class,
                () -> load("lists:\n  ports: [\"443\", {port: 80}]\n" + RULE.formatted("{ field: verb, equals: get }")));
        assertTrue(notStrings.getMessage().contains("list 'ports' must be a list of strings; item 2 is a mapping"),
                notStrings.getMessage());
        var scalar = assertThrows(RuleDefinitionException.class,
                () -> load("lists:\n  ports: \"443\"\n" + RULE.formatted("{ field: verb, equals: get }")));
        assertTrue(scalar.getMessage().contains("list 'ports' must be a list of strings, not a string"),
                scalar.getMessage());
    }

    @Test
    void everyMessageNamesTheRuleWhereverTheProblemIs() {
        List<String> messages = new ArrayList<>();
        for (String condition : List.of("{\"not\": {\"all\": [{\"field\": \"verb\", \"exists\": \"yes\"}]}}",
                "{\"any\": [{\"field\": \"verb\", \"equals\": \"get\"}, {\"field\": \"verb\", \"in\": {}}]}")) {
            messages.add(assertThrows(RuleDefinitionException.class, () -> custom(with("condition", condition)))
                    .getMessage());
        }
        assertTrue(messages.stream().allMatch(m -> m.startsWith("custom rule: rule 'r1', condition")), messages::toString);
    }

    @Test
    void theFieldCatalogueIsDocumented() {
        assertTrue(FieldCatalogue.FIELDS.values().stream().noneMatch(String::isBlank));
        assertTrue(FieldCatalogue.FIELDS.containsKey("user.username"));
    }
}
