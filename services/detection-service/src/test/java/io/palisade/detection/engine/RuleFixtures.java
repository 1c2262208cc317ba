package io.palisade.detection.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.palisade.detection.ingest.EventTimes;

/**
 * The shipped catalogue and its rule fixtures ({@code src/test/resources/rule-fixtures/<rule-id>.yaml}) turned into
 * audit events, for {@link RuleFixturesTest} and for the engine benchmark ({@code benchmarks/}), which gets this class
 * and the fixtures through detection-service's test-jar. The fixture format is documented on
 * {@link RuleFixturesTest}. A malformed fixture is an {@link IllegalStateException} naming the file and the case.
 */
public final class RuleFixtures {
    public static final String CATALOGUE = "rules/control-plane.yaml";
    public static final String FIXTURES = "rule-fixtures";
    public static final String FALCO_FIXTURES = "falco-k8saudit-fixtures";
    /** Where the Falco fixtures are when they cannot be found next to the repository. */
    public static final String FALCO_FIXTURES_PROPERTY = "palisade.falcoFixtures";
    /** The threat-intelligence list of proxy addresses the fixtures of {@code proxy-ip-request} rely on. */
    public static final List<String> PROXY_LIST = List.of("203.0.113.0/24", "2001:db8::/32", "192.0.2.10");
    static final Set<String> FILE_KEYS = Set.of("fire", "quiet", "history");
    static final Set<String> CASE_KEYS = Set.of("name", "event", "falco", "line");

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static final String BASE_EVENT = """
            {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","stage":"ResponseComplete",
             "verb":"create","user":{"username":"jane@example.com","groups":["system:authenticated"]},
             "sourceIPs":["198.51.100.7"],"userAgent":"kubectl/v1.32.0","responseStatus":{"code":201},
             "requestReceivedTimestamp":"2026-11-01T10:00:00.000000Z",
             "stageTimestamp":"2026-11-01T10:00:00.100000Z",
             "annotations":{"authorization.k8s.io/decision":"allow"}}""";

    private RuleFixtures() {
    }

    /** One fixture file, its cases already turned into audit events. */
    public record FixtureFile(String ruleId, List<Case> fire, List<Case> quiet, List<JsonNode> history) {
    }

    public record Case(String name, JsonNode event) {
    }

    /** The shipped catalogue with its proxy list filled in as the fixtures expect. */
    public static List<DetectionRule> catalogue() throws IOException {
        IpLists ipLists = new IpLists();
        List<DetectionRule> rules;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(CATALOGUE)) {
            check(in != null, CATALOGUE + " is not on the classpath");
            rules = new RuleLoader(ipLists).loadFile(in, CATALOGUE);
        }
        ipLists.replace("proxy", PROXY_LIST);
        return rules;
    }

    /** Every fixture file on the classpath (a directory or inside a jar), by rule id. */
    public static Map<String, FixtureFile> load() throws IOException {
        Path falcoDir = falcoFixturesDir();
        Map<String, FixtureFile> fixtures = new TreeMap<>();
        try (Stream<Path> files = Files.list(fixturesDir())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                check(name.endsWith(".yaml"), FIXTURES + "/" + name + ": fixture files are named <rule-id>.yaml");
                String ruleId = name.substring(0, name.length() - ".yaml".length());
                fixtures.put(ruleId, parse(ruleId, file, falcoDir));
            }
        }
        return fixtures;
    }

    static FixtureFile parse(String ruleId, Path file, Path falcoDir) throws IOException {
        String where = FIXTURES + "/" + file.getFileName();
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = YAML.readTree(in);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalStateException(where + ": expected a mapping with 'fire' and 'quiet'");
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            check(FILE_KEYS.contains(key), where + ": unknown key '" + key + "'; allowed: " + FILE_KEYS);
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
        check(list.isArray(), where + " must be a list");
        int index = 0;
        for (JsonNode node : list) {
            index++;
            String at = where + " #" + index;
            check(node.isObject(), at + " must be a mapping");
            for (Iterator<String> keys = node.fieldNames(); keys.hasNext();) {
                String key = keys.next();
                check(CASE_KEYS.contains(key), at + ": unknown key '" + key + "'; allowed: " + CASE_KEYS);
            }
            boolean history = where.endsWith("history");
            String name = node.path("name").asText("");
            check(history || !name.isBlank(), at + ": every case needs a name");
            JsonNode overrides = node.get("event");
            check(overrides == null || overrides.isObject(), at + ": 'event' must be a mapping");
            ObjectNode event;
            if (node.hasNonNull("falco")) {
                int line = node.path("line").asInt(1);
                event = falcoEvent(falcoDir, node.get("falco").asText(), line, at);
            } else {
                check(overrides != null, at + ": a case needs 'event' or 'falco'");
                check(!node.has("line"), at + ": 'line' only goes with 'falco'");
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
    public static void merge(ObjectNode target, ObjectNode overrides) {
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
            object.forEach(RuleFixtures::withoutNulls);
        } else if (node instanceof ArrayNode array) {
            array.forEach(RuleFixtures::withoutNulls);
        }
        return node;
    }

    private static ObjectNode falcoEvent(Path falcoDir, String file, int line, String at) throws IOException {
        Path path = falcoDir.resolve(file);
        check(Files.isRegularFile(path), at + ": no Falco fixture " + path);
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).toList();
        check(line >= 1 && line <= lines.size(), at + ": " + file + " has " + lines.size() + " events, not " + line);
        JsonNode event = JSON.readTree(lines.get(line - 1));
        check(event.isObject(), at + ": line " + line + " of " + file + " is not a JSON object");
        return (ObjectNode) event;
    }

    /** The fixtures' directory: on the test classpath, or inside the test-jar (read through a zip file system). */
    static Path fixturesDir() {
        URL url = Thread.currentThread().getContextClassLoader().getResource(FIXTURES);
        check(url != null, FIXTURES + " is not on the test classpath");
        try {
            URI uri = url.toURI();
            Path dir;
            if ("jar".equals(uri.getScheme())) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    // opened by an earlier load: Path.of finds it
                }
                dir = Path.of(uri);
            } else {
                dir = Path.of(uri);
            }
            check(Files.isDirectory(dir), FIXTURES + " is not a directory: " + dir);
            return dir;
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException | IOException e) {
            throw new IllegalStateException(FIXTURES + " must be a directory on the test classpath, not " + url, e);
        }
    }

    /**
     * Falco's fixtures live in {@code shared/falco-k8saudit-fixtures} beside the repository (or inside it): walk up
     * from the working directory until {@code ../shared/...} or {@code shared/...} exists.
     */
    public static Path falcoFixturesDir() {
        String configured = System.getProperty(FALCO_FIXTURES_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath().normalize();
            check(Files.isDirectory(dir), "-D" + FALCO_FIXTURES_PROPERTY + "=" + configured + " is not a directory");
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
        throw new IllegalStateException("Falco's k8s-audit fixtures not found: no shared/" + FALCO_FIXTURES
                + " or ../shared/" + FALCO_FIXTURES + " in " + start + " or any of its parents (set -D"
                + FALCO_FIXTURES_PROPERTY + "=<dir> to point at them)");
    }

    /**
     * The baseline as the service keeps it, in memory: a subject is first seen at the earliest event time seen for
     * it, and each (subject, operation) remembers the decision {@link BaselineDecision} took for it.
     */
    public static final class InMemoryBaseline implements DetectionEngine.BaselineJudge {
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
    public static Instant eventTime(JsonNode event) {
        for (String field : List.of("stageTimestamp", "requestReceivedTimestamp")) {
            JsonNode value = event.get(field);
            if (value != null && value.isTextual()) {
                Instant time = EventTimes.parseOrNull(value.asText()); // as the service reads it
                if (time == null) {
                    throw new IllegalStateException("event time '" + value.asText() + "' is not an RFC 3339 time");
                }
                return time;
            }
        }
        throw new IllegalStateException("event without stageTimestamp or requestReceivedTimestamp: " + event);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
