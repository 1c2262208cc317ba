package io.palisade.detection.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.palisade.detection.engine.RuleFixtures.Case;
import io.palisade.detection.engine.RuleFixtures.FixtureFile;
import io.palisade.detection.engine.RuleFixtures.InMemoryBaseline;

/**
 * Every rule of the shipped catalogue against its fixtures ({@code src/test/resources/rule-fixtures/<rule-id>.yaml}):
 * the events that must fire it and the near misses that must not. {@link RuleFixtures} reads them (the benchmark in
 * {@code benchmarks/} reuses it through this module's test-jar).
 *
 * <pre>
 * # &lt;alertType&gt;: what the cases show
 * fire:
 *   - name: privileged container in a Deployment's pod template
 *     event: { verb: create, objectRef: {...}, requestObject: {...} }   # deep-merged onto BASE_EVENT
 *   - name: Falco's fixture
 *     falco: create_nginx_pod_privileged.json    # first line of that file in shared/falco-k8saudit-fixtures
 *     line: 1                                    # optional: another line (1-based) of a multi-event file
 *     event: { responseStatus: {code: 403} }     # optional with falco: deep-merged onto the Falco event
 * quiet:
 *   - name: ...
 * history:                                       # only for baseline rules: events fed to the baseline first
 *   - event: {...}
 * </pre>
 *
 * Merging: mappings merge key by key, arrays and scalars replace, a null removes the key. A case without an
 * {@code auditID} gets a random one. Every case is evaluated by the whole engine with a fresh in-memory baseline that
 * has seen the file's {@code history} first, and passes when the rule (by id) is, or is not, among the rules fired.
 */
class RuleFixturesTest {
    static final String CATALOGUE = RuleFixtures.CATALOGUE;
    static final String FIXTURES = RuleFixtures.FIXTURES;
    static final String BASE_EVENT = RuleFixtures.BASE_EVENT;
    /** Workload kinds whose pod template must be shown to fire at least one rule. */
    static final Set<String> WORKLOAD_KINDS = Set.of("deployments", "daemonsets", "statefulsets", "jobs", "cronjobs",
            "replicasets");

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static DetectionEngine engine;
    static Map<String, DetectionRule> rulesById;
    static Map<String, FixtureFile> fixtures;

    @BeforeAll
    static void load() throws IOException {
        List<DetectionRule> rules = RuleFixtures.catalogue();
        engine = new DetectionEngine(rules);
        rulesById = new TreeMap<>();
        rules.forEach(r -> rulesById.put(r.id(), r));
        fixtures = RuleFixtures.load();
    }

    // ------------------------------------------------------------------------------------------- the catalogue

    @Test
    void everyRuleHasFixturesAndEveryFixtureARule() {
        Set<String> withoutFixtures = new TreeSet<>(rulesById.keySet());
        withoutFixtures.removeAll(fixtures.keySet());
        Set<String> unknown = new TreeSet<>(fixtures.keySet());
        unknown.removeAll(rulesById.keySet());
        assertTrue(withoutFixtures.isEmpty(), "rules without a fixture file in " + FIXTURES + ": " + withoutFixtures);
        assertTrue(unknown.isEmpty(), "fixture files naming no rule of " + CATALOGUE + ": " + unknown);
    }

    @Test
    void everyRuleHasAtLeastTwoFireAndTwoQuietCases() {
        List<String> problems = new ArrayList<>();
        fixtures.forEach((id, f) -> {
            if (f.fire().size() < 2 || f.quiet().size() < 2) {
                problems.add(id + " (fire " + f.fire().size() + ", quiet " + f.quiet().size() + ")");
            }
        });
        assertTrue(problems.isEmpty(), "rules need at least 2 fire and 2 quiet cases: " + problems);
    }

    @Test
    void historyOnlyForBaselineRules() {
        fixtures.forEach((id, f) -> {
            DetectionRule rule = rulesById.get(id);
            if (rule != null && rule.baseline() == null) {
                assertTrue(f.history().isEmpty(), id + ": 'history' is only for rules with a baseline");
            }
        });
    }

    @Test
    void podTemplatesOfEveryWorkloadKindFireSomeRule() {
        Set<String> seen = fixtures.values().stream().flatMap(f -> f.fire().stream())
                .map(c -> c.event().path("objectRef").path("resource").asText())
                .filter(WORKLOAD_KINDS::contains).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(WORKLOAD_KINDS);
        missing.removeAll(seen);
        assertTrue(missing.isEmpty(), "no fire case creates a workload of kind " + missing);
    }

    // ------------------------------------------------------------------------------------------- the cases

    @TestFactory
    Stream<DynamicNode> ruleFixtures() {
        return fixtures.values().stream().filter(f -> rulesById.containsKey(f.ruleId())).map(f -> {
            List<DynamicNode> tests = new ArrayList<>();
            for (Case c : f.fire()) {
                tests.add(DynamicTest.dynamicTest("fires: " + c.name(), () -> {
                    List<String> fired = fired(f, c);
                    assertTrue(fired.contains(f.ruleId()), f.ruleId() + " must fire for '" + c.name()
                            + "' but did not (fired: " + fired + ")\nevent: " + c.event());
                }));
            }
            for (Case c : f.quiet()) {
                tests.add(DynamicTest.dynamicTest("quiet: " + c.name(), () -> {
                    List<String> fired = fired(f, c);
                    assertFalse(fired.contains(f.ruleId()), f.ruleId() + " must stay quiet for '" + c.name()
                            + "' but fired (fired: " + fired + ")\nevent: " + c.event());
                }));
            }
            return DynamicContainer.dynamicContainer(f.ruleId(), tests);
        });
    }

    /** The ids of the rules the engine fires for the case, after feeding the file's history to a fresh baseline. */
    static List<String> fired(FixtureFile file, Case c) {
        InMemoryBaseline judge = new InMemoryBaseline();
        for (JsonNode event : file.history()) {
            engine.evaluate(event, judge);
        }
        return engine.evaluate(c.event(), judge).stream().map(DetectionRule::id).toList();
    }

    @Test
    void baselineLearnsPerSubjectAndFiresOnceAfterTheLearningPeriod() {
        DetectionRule rule = engine.rules().stream().filter(r -> r.baseline() != null).findFirst().orElseThrow();
        InMemoryBaseline judge = new InMemoryBaseline();
        ObjectNode first = event("system:serviceaccount:a:x", "get", "configmaps", "2026-10-01T00:00:00Z");
        ObjectNode late = event("system:serviceaccount:a:x", "list", "secrets", "2026-10-09T00:00:00Z");
        ObjectNode other = event("system:serviceaccount:b:y", "list", "secrets", "2026-10-09T00:00:00Z");
        assertFalse(judge.isRare(rule, first), "the first event of a subject is learnt");
        assertTrue(judge.isRare(rule, late), "a new operation after the learning period is rare");
        assertTrue(judge.isRare(rule, late), "the same event redelivered gets the same answer");
        ObjectNode again = late.deepCopy().put("auditID", UUID.randomUUID().toString());
        assertFalse(judge.isRare(rule, again), "the operation is known once it was seen");
        assertFalse(judge.isRare(rule, other), "another subject learns on its own");
    }

    private static ObjectNode event(String user, String verb, String resource, String time) {
        ObjectNode event = JSON.createObjectNode();
        event.put("auditID", UUID.randomUUID().toString()).put("stage", "ResponseComplete").put("verb", verb)
                .put("stageTimestamp", time);
        event.putObject("user").put("username", user);
        event.putObject("objectRef").put("resource", resource);
        return event;
    }

    static Path fixturesDir() {
        return RuleFixtures.fixturesDir();
    }

    @Test
    void mergeReplacesArraysAndScalarsMergesMappingsAndDeletesNulls() throws IOException {
        ObjectNode base = (ObjectNode) JSON.readTree(BASE_EVENT);
        RuleFixtures.merge(base, (ObjectNode) YAML.readTree("""
                stage: RequestReceived
                responseStatus: null
                sourceIPs: [203.0.113.1]
                user: {username: bob}
                annotations: {authorization.k8s.io/reason: x, gone: null}
                """));
        assertEquals("RequestReceived", base.path("stage").asText());
        assertFalse(base.has("responseStatus"));
        assertEquals("[\"203.0.113.1\"]", base.get("sourceIPs").toString());
        assertEquals("bob", base.path("user").path("username").asText());
        assertEquals("[\"system:authenticated\"]", base.path("user").path("groups").toString());
        assertEquals("allow", base.path("annotations").path("authorization.k8s.io/decision").asText());
        assertFalse(base.path("annotations").has("gone"));
    }
}
