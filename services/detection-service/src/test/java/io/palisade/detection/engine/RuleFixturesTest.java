package io.palisade.detection.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Every rule of the shipped catalogue against its fixtures ({@code src/test/resources/rule-fixtures/<rule-id>.yaml}):
 * the events that must fire it and the near misses that must not.
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
    static final String CATALOGUE = "rules/control-plane.yaml";
    static final String FIXTURES = "rule-fixtures";
    static final String FALCO_FIXTURES = "falco-k8saudit-fixtures";
    /** Where the Falco fixtures are when they cannot be found next to the repository. */
    static final String FALCO_FIXTURES_PROPERTY = "palisade.falcoFixtures";
    static final List<String> PROXY_LIST = List.of("203.0.113.0/24", "2001:db8::/32", "192.0.2.10");
    /** Workload kinds whose pod template must be shown to fire at least one rule. */
    static final Set<String> WORKLOAD_KINDS = Set.of("deployments", "daemonsets", "statefulsets", "jobs", "cronjobs",
            "replicasets");
    static final Set<String> FILE_KEYS = Set.of("fire", "quiet", "history");
    static final Set<String> CASE_KEYS = Set.of("name", "event", "falco", "line");

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static final String BASE_EVENT = """
            {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","stage":"ResponseComplete",
             "verb":"create","user":{"username":"jane@example.com","groups":["system:authenticated"]},
             "sourceIPs":["198.51.100.7"],"userAgent":"kubectl/v1.32.0","responseStatus":{"code":201},
             "requestReceivedTimestamp":"2026-11-01T10:00:00.000000Z",
             "stageTimestamp":"2026-11-01T10:00:00.100000Z",
             "annotations":{"authorization.k8s.io/decision":"allow"}}""";

    static DetectionEngine engine;
    static Map<String, DetectionRule> rulesById;
    static Map<String, FixtureFile> fixtures;

    /** One fixture file, its cases already turned into audit events. */
    record FixtureFile(String ruleId, List<Case> fire, List<Case> quiet, List<JsonNode> history) {
    }

    record Case(String name, JsonNode event) {
    }

    @BeforeAll
    static void load() throws IOException {
        IpLists ipLists = new IpLists();
        List<DetectionRule> rules;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(CATALOGUE)) {
            assertNotNull(in, CATALOGUE + " is not on the classpath");
            rules = new RuleLoader(ipLists).loadFile(in, CATALOGUE);
        }
        ipLists.replace("proxy", PROXY_LIST);
        engine = new DetectionEngine(rules);
        rulesById = new TreeMap<>();
        rules.forEach(r -> rulesById.put(r.id(), r));

        Path falcoDir = falcoFixturesDir();
        fixtures = new TreeMap<>();
        try (Stream<Path> files = Files.list(fixturesDir())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                assertTrue(name.endsWith(".yaml"), FIXTURES + "/" + name + ": fixture files are named <rule-id>.yaml");
                String ruleId = name.substring(0, name.length() - ".yaml".length());
                fixtures.put(ruleId, parse(ruleId, file, falcoDir));
            }
        }
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

    /**
     * The baseline as the service keeps it, in memory: a subject is first seen at the earliest event time seen for
     * it, and each (subject, operation) remembers the decision {@link BaselineDecision} took for it.
     */
    static final class InMemoryBaseline implements DetectionEngine.BaselineJudge {
        private final Map<String, Instant> subjectFirstSeen = new HashMap<>();
        private final Map<String, BaselineDecision.KnownOperation> operations = new HashMap<>();

        @Override
        public boolean isRare(DetectionRule rule, JsonNode event) {
            DetectionRule.Baseline baseline = rule.baseline();
            List<JsonNode> subjects = baseline.subject().values(event);
            if (subjects.isEmpty()) {
                return false;
            }
            String subject = rule.id() + '\u0000' + subjects.get(0).asText();
            Instant time = eventTime(event);
            Instant firstSeen = subjectFirstSeen.merge(subject, time, (a, b) -> a.isBefore(b) ? a : b);
            String operation = subject + '\u0000' + BaselineDecision.operationKey(baseline, event);
            BaselineDecision.Outcome outcome = BaselineDecision.decide(firstSeen, operations.get(operation), time,
                    event.path("auditID").asText(), baseline.learningPeriod());
            if (outcome.remember() != null) {
                operations.put(operation, outcome.remember());
            }
            return outcome.rare();
        }
    }

    /** When the activity happened: the stage timestamp, else when the request was received. */
    static Instant eventTime(JsonNode event) {
        for (String field : List.of("stageTimestamp", "requestReceivedTimestamp")) {
            JsonNode value = event.get(field);
            if (value != null && value.isTextual()) {
                try {
                    return OffsetDateTime.parse(value.asText()).toInstant();
                } catch (DateTimeParseException e) {
                    fail("event time '" + value.asText() + "' is not an RFC 3339 time");
                }
            }
        }
        return fail("event without stageTimestamp or requestReceivedTimestamp: " + event);
    }

    // ------------------------------------------------------------------------------------------- reading fixtures

    static FixtureFile parse(String ruleId, Path file, Path falcoDir) throws IOException {
        String where = FIXTURES + "/" + file.getFileName();
        JsonNode root = YAML.readTree(file.toFile());
        if (root == null || !root.isObject()) {
            return fail(where + ": expected a mapping with 'fire' and 'quiet'");
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            assertTrue(FILE_KEYS.contains(key), where + ": unknown key '" + key + "'; allowed: " + FILE_KEYS);
        }
        List<Case> fire = cases(root.path("fire"), where + ", fire", falcoDir);
        List<Case> quiet = cases(root.path("quiet"), where + ", quiet", falcoDir);
        List<JsonNode> history = new ArrayList<>();
        for (Case c : cases(root.path("history"), where + ", history", falcoDir)) {
            history.add(c.event());
        }
        return new FixtureFile(ruleId, fire, quiet, history);
    }

    private static List<Case> cases(JsonNode list, String where, Path falcoDir) throws IOException {
        List<Case> cases = new ArrayList<>();
        if (list.isMissingNode() || list.isNull()) {
            return cases;
        }
        assertTrue(list.isArray(), where + " must be a list");
        int index = 0;
        for (JsonNode node : list) {
            index++;
            String at = where + " #" + index;
            assertTrue(node.isObject(), at + " must be a mapping");
            for (Iterator<String> keys = node.fieldNames(); keys.hasNext();) {
                String key = keys.next();
                assertTrue(CASE_KEYS.contains(key), at + ": unknown key '" + key + "'; allowed: " + CASE_KEYS);
            }
            boolean history = where.endsWith("history");
            String name = node.path("name").asText("");
            assertTrue(history || !name.isBlank(), at + ": every case needs a name");
            JsonNode overrides = node.get("event");
            assertTrue(overrides == null || overrides.isObject(), at + ": 'event' must be a mapping");
            ObjectNode event;
            if (node.hasNonNull("falco")) {
                int line = node.path("line").asInt(1);
                event = falcoEvent(falcoDir, node.get("falco").asText(), line, at);
            } else {
                assertNotNull(overrides, at + ": a case needs 'event' or 'falco'");
                assertFalse(node.has("line"), at + ": 'line' only goes with 'falco'");
                event = (ObjectNode) JSON.readTree(BASE_EVENT);
                event.put("auditID", UUID.randomUUID().toString());
            }
            if (overrides != null) {
                merge(event, (ObjectNode) overrides);
            }
            cases.add(new Case(history ? "history #" + index : name, event));
        }
        return cases;
    }

    /** Deep merge: mappings key by key, arrays and scalars replace, a null removes the key. */
    static void merge(ObjectNode target, ObjectNode overrides) {
        for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(field.getKey());
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, (ObjectNode) value);
            } else {
                target.set(field.getKey(), withoutNulls(value.deepCopy()));
            }
        }
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> nulls = new ArrayList<>();
            object.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                }
            });
            object.remove(nulls);
            object.forEach(RuleFixturesTest::withoutNulls);
        } else if (node instanceof ArrayNode array) {
            array.forEach(RuleFixturesTest::withoutNulls);
        }
        return node;
    }

    private static ObjectNode falcoEvent(Path falcoDir, String file, int line, String at) throws IOException {
        Path path = falcoDir.resolve(file);
        assertTrue(Files.isRegularFile(path), at + ": no Falco fixture " + path);
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).toList();
        assertTrue(line >= 1 && line <= lines.size(), at + ": " + file + " has " + lines.size() + " events, not "
                + line);
        JsonNode event = JSON.readTree(lines.get(line - 1));
        assertTrue(event.isObject(), at + ": line " + line + " of " + file + " is not a JSON object");
        return (ObjectNode) event;
    }

    static Path fixturesDir() {
        URL url = Thread.currentThread().getContextClassLoader().getResource(FIXTURES);
        assertNotNull(url, FIXTURES + " is not on the test classpath");
        try {
            Path dir = Path.of(url.toURI());
            assertTrue(Files.isDirectory(dir), FIXTURES + " is not a directory: " + dir);
            return dir;
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return fail(FIXTURES + " must be a directory on the test classpath, not " + url);
        }
    }

    /**
     * Falco's fixtures live in {@code shared/falco-k8saudit-fixtures} beside the repository (or inside it): walk up
     * from the module directory until {@code ../shared/...} or {@code shared/...} exists.
     */
    static Path falcoFixturesDir() {
        String configured = System.getProperty(FALCO_FIXTURES_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath().normalize();
            assertTrue(Files.isDirectory(dir), "-D" + FALCO_FIXTURES_PROPERTY + "=" + configured + " is not a directory");
            return dir;
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            List<Path> candidates = new ArrayList<>();
            if (dir.getParent() != null) {
                candidates.add(dir.getParent().resolve("shared").resolve(FALCO_FIXTURES));
            }
            candidates.add(dir.resolve("shared").resolve(FALCO_FIXTURES));
            for (Path candidate : candidates) {
                if (Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        return fail("Falco's k8s-audit fixtures not found: no shared/" + FALCO_FIXTURES + " or ../shared/"
                + FALCO_FIXTURES + " in " + start + " or any of its parents (set -D" + FALCO_FIXTURES_PROPERTY
                + "=<dir> to point at them)");
    }

    @Test
    void mergeReplacesArraysAndScalarsMergesMappingsAndDeletesNulls() throws IOException {
        ObjectNode base = (ObjectNode) JSON.readTree(BASE_EVENT);
        merge(base, (ObjectNode) YAML.readTree("""
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
