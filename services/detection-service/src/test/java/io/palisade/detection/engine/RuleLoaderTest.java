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
    void theFieldCatalogueIsDocumented() {
        assertTrue(FieldCatalogue.FIELDS.values().stream().noneMatch(String::isBlank));
        assertTrue(FieldCatalogue.FIELDS.containsKey("user.username"));
    }
}
