package io.palisade.detection.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The engine skips the rules an event's verb and resource rule out; that must never change what fires. Every rule
 * fixture's event, as written and with its verb or resource made absent, an array or a mapping, fires exactly the
 * rules that testing every rule in full fires.
 */
class DetectionEngineIndexTest {

    @Test
    void skippingRulesByVerbAndResourceNeverChangesWhatFires() throws IOException {
        List<DetectionRule> rules = RuleFixtures.catalogue();
        DetectionEngine engine = new DetectionEngine(rules);
        List<UnaryOperator<JsonNode>> variants = List.of(
                e -> e,
                e -> without(e, "verb"),
                e -> with(e, "verb", e.path("verb").isMissingNode() ? null : arrayOf(e.get("verb"))),
                e -> with(e, "verb", ((ObjectNode) e).objectNode().put("value", e.path("verb").asText())),
                e -> withResource(e, null),
                e -> withResource(e, e.path("objectRef").path("resource").isMissingNode() ? null
                        : arrayOf(e.path("objectRef").get("resource"))));
        int compared = 0;
        int fired = 0;
        for (RuleFixtures.FixtureFile file : RuleFixtures.load().values()) {
            List<RuleFixtures.Case> cases = new ArrayList<>(file.fire());
            cases.addAll(file.quiet());
            for (RuleFixtures.Case c : cases) {
                for (UnaryOperator<JsonNode> variant : variants) {
                    JsonNode event = variant.apply(c.event().deepCopy());
                    List<String> expected = rules.stream().filter(r -> r.baseline() == null && r.matches(event))
                            .map(DetectionRule::id).toList();
                    List<String> actual = engine.evaluate(event).stream().map(DetectionRule::id).toList();
                    assertEquals(expected, actual, file.ruleId() + ": " + c.name() + " as " + event);
                    compared++;
                    fired += actual.size();
                }
            }
        }
        assertTrue(compared > 1000 && fired > 100, compared + " events compared, " + fired + " alerts");
    }

    @Test
    void verbsAndResourcesBeyondThoseRememberedAreJudgedAlike() throws IOException {
        List<DetectionRule> rules = RuleFixtures.catalogue();
        DetectionEngine engine = new DetectionEngine(rules);
        List<JsonNode> events = new ArrayList<>();
        for (RuleFixtures.FixtureFile file : RuleFixtures.load().values()) {
            file.fire().forEach(c -> events.add(c.event()));
        }
        // more pairs than the engine remembers (a cluster sending resources no one has heard of), then the
        // fixtures' own pairs again, which must still fire as the rules' own tests say
        for (int i = 0; i < 5000; i++) {
            JsonNode event = withResource(events.get(i % events.size()).deepCopy(),
                    ((ObjectNode) events.get(0)).textNode("unheard-of-" + i));
            assertFiresAsItsRules(rules, engine, event);
        }
        for (JsonNode event : events) {
            assertFiresAsItsRules(rules, engine, event);
        }
    }

    private static void assertFiresAsItsRules(List<DetectionRule> rules, DetectionEngine engine, JsonNode event) {
        List<String> expected = rules.stream().filter(r -> r.baseline() == null && r.matches(event))
                .map(DetectionRule::id).toList();
        assertEquals(expected, engine.evaluate(event).stream().map(DetectionRule::id).toList(), event.toString());
    }

    @Test
    void aRuleRequiresTheVerbsAndResourcesOfItsTopLevelTests() throws IOException {
        DetectionRule clusterAdmin = RuleFixtures.catalogue().stream().filter(r -> r.id().equals("cluster-admin-binding"))
                .findFirst().orElseThrow();
        assertTrue(DetectionEngine.required(clusterAdmin.condition(), "verb") != null, "cluster-admin-binding names its verbs");
        assertTrue(DetectionEngine.required(clusterAdmin.condition(), "objectRef.resource").contains("clusterrolebindings"));
    }

    private static JsonNode without(JsonNode event, String field) {
        ((ObjectNode) event).remove(field);
        return event;
    }

    private static JsonNode with(JsonNode event, String field, JsonNode value) {
        if (value == null) {
            return event;
        }
        ((ObjectNode) event).set(field, value);
        return event;
    }

    private static JsonNode withResource(JsonNode event, JsonNode value) {
        JsonNode objectRef = event.get("objectRef");
        if (objectRef instanceof ObjectNode ref) {
            if (value == null) {
                ref.remove("resource");
            } else {
                ref.set("resource", value);
            }
        }
        return event;
    }

    private static JsonNode arrayOf(JsonNode value) {
        return RuleFixtures.JSON.createArrayNode().add(value);
    }
}
