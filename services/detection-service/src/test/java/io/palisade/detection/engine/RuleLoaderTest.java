package io.palisade.detection.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

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

    @Test
    void theFieldCatalogueIsDocumented() {
        assertTrue(FieldCatalogue.FIELDS.values().stream().noneMatch(String::isBlank));
        assertTrue(FieldCatalogue.FIELDS.containsKey("user.username"));
    }
}
