package io.palisade.detection.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.detection.engine.BoundedRegex.Outcome;

/**
 * The bound on {@code matches}/{@code allMatches}: catastrophic patterns on hostile values give up within the budget
 * (and are counted), while the shipped patterns on long legitimate values (100 KiB of JSON text, configuration,
 * headers) find exactly what java.util.regex finds, with a wide margin below the budget.
 */
class BoundedRegexTest {
    static final Duration BOUND = Duration.ofSeconds(5);
    static final int KIB_100 = 100 * 1024;

    static List<BoundedRegex> shipped;
    static DetectionEngine engine;

    @BeforeAll
    static void loadShipped() throws IOException {
        List<DetectionRule> rules;
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream(RuleFixturesTest.CATALOGUE)) {
            assertNotNull(in);
            rules = new RuleLoader(new IpLists()).loadFile(in, RuleFixturesTest.CATALOGUE);
        }
        engine = new DetectionEngine(rules);
        Map<String, BoundedRegex> patterns = new LinkedHashMap<>();
        for (DetectionRule rule : rules) {
            collect(rule.condition(), patterns);
            rule.exceptions().forEach(e -> collect(e.condition(), patterns));
        }
        shipped = List.copyOf(patterns.values());
        assertTrue(shipped.size() >= 15, "the shipped catalogue has its patterns: " + shipped.size());
    }

    static void collect(Condition condition, Map<String, BoundedRegex> patterns) {
        if (condition instanceof Condition.All all) {
            all.conditions().forEach(c -> collect(c, patterns));
        } else if (condition instanceof Condition.Any any) {
            any.conditions().forEach(c -> collect(c, patterns));
        } else if (condition instanceof Condition.Not not) {
            collect(not.condition(), patterns);
        } else if (condition instanceof Condition.Match match && match.regex() != null) {
            patterns.putIfAbsent(match.regex().pattern().pattern(), match.regex());
        }
    }

    // ------------------------------------------------------------------------------------------- hostile input

    /**
     * Patterns that backtrack exponentially (or polynomially with a high degree) in java.util.regex of Java 17, with
     * their evil input. ({@code ^(\w+\s?)*$} itself is not among them: since Java 9 the engine remembers failed
     * positions of a greedy group loop, which makes it polynomial; the bounded repetition, a back reference or a
     * repeated {@code .*} switch that off.)
     */
    static final Map<String, String> EVIL = Map.of(
            "^(\\w+\\s?){1,1000}$", "a".repeat(40) + "!",
            "^(\\w+\\s?)*\\1$", "a".repeat(40) + "!",
            "^(.*a){12}$", "a".repeat(40) + "!",
            // an x before the a's: the search runs (a value without any x is known not to match, RequiredLiterals)
            "(.*a){3}x", "x" + "a".repeat(10_000),
            "(\\w+\\s?)*$", "a".repeat(BoundedRegex.MAX_TESTED_CHARS + 10_000) + "!");

    @Test
    void catastrophicPatternsGiveUpWithinTheBoundAndAreCounted() {
        EVIL.forEach((regex, input) -> {
            BoundedRegex pattern = new BoundedRegex(Pattern.compile(regex), "test: rule 'evil'");
            long before = BoundedRegex.abortedMatches();
            long start = System.nanoTime();
            BoundedRegex.Budget budget = BoundedRegex.budget();
            Outcome outcome = assertTimeoutPreemptively(BOUND, () -> pattern.search(input, budget), regex);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("evil %-22s on %7d chars: %s after %,d reads in %d ms%n", regex, input.length(),
                    outcome, budget.used(), millis);
            assertEquals(Outcome.ABORTED, outcome, regex);
            long searched = Math.min(input.length(), BoundedRegex.MAX_TESTED_CHARS);
            assertEquals(BoundedRegex.BASE_BUDGET + BoundedRegex.BUDGET_PER_CHAR * searched + 1, budget.used(),
                    "gave up exactly past its budget");
            assertTrue(BoundedRegex.abortedMatches() > before, "an aborted search is counted");
        });
    }

    @Test
    void aShortValueSearchedAgainIsAnsweredFromMemoryButALongOneAndAnAbortedOneAreSearchedAgain() {
        BoundedRegex pattern = new BoundedRegex(Pattern.compile("(?i)kube-hunter|peirates"), "test");
        String agent = "kube-hunter/0.6.8 (linux/amd64)";
        BoundedRegex.Budget first = BoundedRegex.budget();
        assertEquals(Outcome.FOUND, pattern.search(agent, first));
        assertTrue(first.used() > 0, "the first search reads the value");
        BoundedRegex.Budget again = BoundedRegex.budget();
        assertEquals(Outcome.FOUND, pattern.search(new String(agent), again), "the same text, another String");
        assertEquals(0, again.used(), "answered from memory");
        assertEquals(Outcome.NOT_FOUND, pattern.search("kubectl/v1.32.0 (linux/amd64)"));
        BoundedRegex.Budget quiet = BoundedRegex.budget();
        assertEquals(Outcome.NOT_FOUND, pattern.search("kubectl/v1.32.0 (linux/amd64)", quiet));
        assertEquals(0, quiet.used(), "a miss is remembered too");

        String longValue = "x".repeat(BoundedRegex.MEMO_MAX_CHARS + 1) + " peirates";
        assertEquals(Outcome.FOUND, pattern.search(longValue));
        BoundedRegex.Budget longAgain = BoundedRegex.budget();
        pattern.search(longValue, longAgain);
        assertTrue(longAgain.used() > 0, "a long value is searched every time");

        BoundedRegex evil = new BoundedRegex(Pattern.compile("^(\\w+\\s?){1,1000}$"), "test: evil");
        String input = "a".repeat(40) + "!";
        assertTrue(input.length() <= BoundedRegex.MEMO_MAX_CHARS);
        long before = BoundedRegex.abortedMatches();
        assertEquals(Outcome.ABORTED, evil.search(input));
        assertEquals(Outcome.ABORTED, evil.search(input), "an aborted search is not remembered as a miss");
        assertEquals(before + 2, BoundedRegex.abortedMatches());
    }

    @Test
    void theMemoryOfAPatternStaysBounded() {
        BoundedRegex pattern = new BoundedRegex(Pattern.compile("z"), "test");
        for (int i = 0; i < BoundedRegex.MEMO_MAX_ENTRIES * 3; i++) {
            pattern.search("value-" + i);
            assertTrue(pattern.memorySize() <= BoundedRegex.MEMO_MAX_ENTRIES, "at most " + BoundedRegex.MEMO_MAX_ENTRIES);
        }
    }

    @Test
    void theReviewersExampleAnswersQuicklyOnJava17() {
        BoundedRegex pattern = new BoundedRegex(Pattern.compile("^(\\w+\\s?)*$"), "test");
        Outcome outcome = assertTimeoutPreemptively(BOUND, () -> pattern.search("a".repeat(40) + "!"));
        assertNotEquals(Outcome.FOUND, outcome);
    }

    @Test
    void aCustomRuleWithACatastrophicPatternDoesNotPinTheDetector() {
        DetectionRule rule = RuleLoaderTest.custom(RuleLoaderTest.with("condition",
                "{\"field\": \"userAgent\", \"matches\": \"^(\\\\w+\\\\s?){1,1000}$\"}"));
        DetectionEngine custom = new DetectionEngine(List.of(rule));
        ObjectNode event = event();
        event.put("userAgent", "a".repeat(40) + "!");
        long before = BoundedRegex.abortedMatches();
        List<DetectionRule> fired = assertTimeoutPreemptively(BOUND, () -> custom.evaluate(event));
        assertTrue(fired.isEmpty(), "an aborted search is no match");
        assertEquals(before + 1, BoundedRegex.abortedMatches(), "and counted once");

        // In an exception, an aborted search means the exception does not apply: the alert is raised.
        ObjectNode withException = RuleLoaderTest.with("condition", "{\"field\": \"verb\", \"equals\": \"get\"}");
        withException.set("exceptions", RuleLoaderTest.json("[{\"name\": \"quiet agents\", \"condition\": "
                + "{\"field\": \"userAgent\", \"matches\": \"^(.*a){12}$\"}}]"));
        event.put("verb", "get");
        List<DetectionRule> raised = assertTimeoutPreemptively(BOUND,
                () -> new DetectionEngine(List.of(RuleLoaderTest.custom(withException))).evaluate(event));
        assertEquals(1, raised.size());
    }

    @Test
    void manyValuesShareOneBudgetPerConditionAndEvent() {
        DetectionRule rule = RuleLoaderTest.custom(RuleLoaderTest.with("condition",
                "{\"field\": \"requestObject.data.*\", \"matches\": \"^(\\\\w+\\\\s?){1,1000}$\"}"));
        ObjectNode event = event();
        ObjectNode data = event.putObject("requestObject").putObject("data");
        for (int i = 0; i < 2_000; i++) {
            data.put("k" + i, "a".repeat(30) + "!");
        }
        long start = System.nanoTime();
        assertTrue(assertTimeoutPreemptively(BOUND, () -> new DetectionEngine(List.of(rule)).evaluate(event))
                .isEmpty());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("2,000 evil values of one field: %d ms%n", millis);
    }

    @Test
    void recursionThatWouldOverflowTheStackIsAnAbortedSearch() {
        // A group repeated per path segment recurses once per repetition: a long path of short segments overflows
        // the regex engine's stack. That is an aborted search (no match, counted), never an error at the consumer.
        DetectionRule rule = RuleLoaderTest.custom(RuleLoaderTest.with("condition",
                "{\"field\": \"requestURI\", \"matches\": \"^/(?:healthz|livez)(?:/[A-Za-z0-9_-]*)*$\"}"));
        ObjectNode event = event();
        event.put("verb", "get").put("requestURI", "/healthz" + "/a".repeat(100_000));
        long before = BoundedRegex.abortedMatches();
        assertTrue(assertTimeoutPreemptively(BOUND, () -> new DetectionEngine(List.of(rule)).evaluate(event))
                .isEmpty());
        assertTrue(BoundedRegex.abortedMatches() > before);
        event.put("requestURI", "/healthz" + "/a".repeat(100));
        assertEquals(1, new DetectionEngine(List.of(rule)).evaluate(event).size());
    }

    @Test
    void theShippedHealthEndpointExceptionIsPossessiveAndHandlesLongPaths() {
        // anonymous-request-allowed's exception uses possessive repetition, which does not recurse per segment.
        ObjectNode event = event();
        event.put("verb", "get").put("requestURI", "/healthz" + "/a".repeat(100_000));
        event.putObject("user").put("username", "system:anonymous");
        long before = BoundedRegex.abortedMatches();
        List<String> fired = assertTimeoutPreemptively(BOUND, () -> engine.evaluate(event)).stream()
                .map(DetectionRule::id).toList();
        assertFalse(fired.contains("anonymous-request-allowed"), fired::toString);
        assertEquals(before, BoundedRegex.abortedMatches());
        event.put("requestURI", "/api/v1/secrets" + "/a".repeat(100_000));
        assertTrue(engine.evaluate(event).stream().anyMatch(r -> r.id().equals("anonymous-request-allowed")),
                "the same event on another path is an anonymous request allowed");
    }

    // ------------------------------------------------------------------------------------------- legitimate input

    /** Long legitimate values: JSON text of objects, multi-line configuration, headers; with and without needles. */
    static Map<String, String> longInputs() {
        Map<String, String> inputs = new LinkedHashMap<>();
        String labels = jsonObject(KIB_100, 1);
        String needles = "\"app.kubernetes.io/part-of\":\"kubeflow\",\"app\":\"kubernetes-dashboard\","
                + "\"db\":\"postgres-primary\",\"cache\":\"redis\",\"ui\":\"ml-pipeline-ui\",\"tool\":\"jupyter\","
                + "\"AWS_ACCESS_KEY_ID\":\"x\",\"db_password\":\"x\",\"cmd\":\"stratum+tcp://pool:3333\","
                + "\"name\":\"POSTGRES_HOST_AUTH_METHOD\",\"value\":\"trust\",\"image\":\"xmrig/xmrig\"}";
        inputs.put("100 KiB JSON text", labels);
        inputs.put("100 KiB JSON text, needles at the end", labels.substring(0, labels.length() - 1) + "," + needles);
        inputs.put("100 KiB JSON text, needles first", "{" + needles.substring(0, needles.length() - 1) + ","
                + labels.substring(1));
        StringBuilder hba = new StringBuilder();
        Random random = new Random(7);
        while (hba.length() < KIB_100) {
            hba.append("host").append(random.nextBoolean() ? "ssl" : "").append("  all\tapp_").append(random.nextInt(999))
                    .append(" 10.").append(random.nextInt(255)).append(".0.0/16 scram-sha-256\n")
                    .append("# a comment about trust and passwords\n");
        }
        inputs.put("100 KiB pg_hba.conf", hba.toString());
        inputs.put("100 KiB pg_hba.conf, trust at the end", hba + "hostssl all all 0.0.0.0 255.255.255.255 trust\n");
        inputs.put("100 KiB user agent", "Mozilla/5.0 " + "(X11; Linux x86_64) AppleWebKit/537.36 ".repeat(2_700)
                + "kube-hunter");
        inputs.put("100 KiB request URI", "/api/v1/namespaces/default/pods?labelSelector="
                + "app%3Dweb%2Ctier%3Dfront".repeat(4_300));
        inputs.put("100 KiB host path", "/var/lib/kubelet/pods/" + "x".repeat(KIB_100));
        inputs.put("100 KiB of slashes and dots", "/" + "./".repeat(KIB_100 / 2));
        return inputs;
    }

    /** A JSON object of about {@code size} characters, labels and annotations like Kubernetes objects carry. */
    static String jsonObject(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder json = new StringBuilder("{");
        int i = 0;
        while (json.length() < size) {
            if (i > 0) {
                json.append(',');
            }
            json.append("\"example.com/key-").append(i++).append("\":\"");
            int words = 1 + random.nextInt(12);
            for (int w = 0; w < words; w++) {
                json.append(w == 0 ? "" : random.nextBoolean() ? " " : "-")
                        .append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
            }
            json.append('"');
        }
        return json.append('}').toString();
    }

    @Test
    void shippedPatternsFindWhatJavaFindsOnLongValuesWellWithinTheBudget() {
        Map<String, String> inputs = longInputs();
        double worst = 0;
        String worstCase = "";
        List<String> problems = new ArrayList<>();
        Map<String, Double> perPattern = new LinkedHashMap<>();
        for (BoundedRegex pattern : shipped) {
            for (Map.Entry<String, String> input : inputs.entrySet()) {
                String text = input.getValue();
                boolean expected;
                try {
                    expected = pattern.pattern().matcher(text).find();
                } catch (StackOverflowError e) {
                    // Unbounded, java.util.regex cannot answer either (see the recursion test).
                    System.out.printf("java.util.regex overflows the stack: %s on %s%n", pattern.origin(),
                            input.getKey());
                    continue;
                }
                BoundedRegex.Budget budget = BoundedRegex.budget();
                Outcome outcome = assertTimeoutPreemptively(BOUND, () -> pattern.search(text, budget));
                if (outcome != (expected ? Outcome.FOUND : Outcome.NOT_FOUND)) {
                    problems.add(pattern.origin() + " on " + input.getKey() + ": " + outcome + ", java finds "
                            + expected);
                }
                double perChar = (double) budget.used() / text.length();
                perPattern.merge(pattern.origin(), perChar, Math::max);
                if (perChar > worst) {
                    worst = perChar;
                    worstCase = pattern.pattern().pattern() + " on " + input.getKey();
                }
            }
        }
        perPattern.forEach((origin, perChar) -> System.out.printf("%6.2f reads/char at most: %s%n", perChar, origin));
        System.out.printf("shipped patterns: %d; most characters read per character of input: %.2f (%s)%n",
                shipped.size(), worst, worstCase);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(worst * 5 < BoundedRegex.BUDGET_PER_CHAR, "shipped patterns keep a margin of 5 below the "
                + "budget per character; worst " + worst + " for " + worstCase);
    }

    @Test
    void shippedRulesFireOnLongObjectsThroughTheEngine() {
        String labels = jsonObject(KIB_100, 3);
        // configmap-with-credentials: the JSON text of the data (100 KiB), the credential at its end.
        ObjectNode configMap = event();
        configMap.putObject("objectRef").put("resource", "configmaps").put("namespace", "app").put("name", "cfg");
        ObjectNode data = (ObjectNode) RuleLoaderTest.json(labels);
        configMap.putObject("requestObject").set("data", data);
        assertFalse(fired(configMap).contains("configmap-with-credentials"), "no credentials in 100 KiB");
        data.put("DB_PASSWORD", "hunter2");
        assertTrue(fired(configMap).contains("configmap-with-credentials"), "credential at the end of 100 KiB");

        // exposed-postgres-trust-auth: a 100 KiB pg_hba.conf with a trust line at its end.
        ObjectNode hba = event();
        hba.putObject("objectRef").put("resource", "configmaps").put("namespace", "db").put("name", "pg-hba");
        ObjectNode hbaData = hba.putObject("requestObject").putObject("data");
        String conf = longInputs().get("100 KiB pg_hba.conf");
        hbaData.put("pg_hba.conf", conf);
        assertFalse(fired(hba).contains("exposed-postgres-trust-auth"));
        hbaData.put("pg_hba.conf", conf + "host all all 0.0.0.0/0 trust\n");
        assertTrue(fired(hba).contains("exposed-postgres-trust-auth"));

        // exposed-kubeflow: the Istio gateway's labels (JSON text of 100 KiB) mention Kubeflow at their end.
        ObjectNode gateway = event();
        gateway.putObject("objectRef").put("resource", "services").put("namespace", "istio-system")
                .put("name", "istio-ingressgateway");
        ObjectNode service = gateway.putObject("requestObject");
        ObjectNode gatewayLabels = (ObjectNode) RuleLoaderTest.json(labels);
        service.putObject("metadata").put("name", "istio-ingressgateway").set("labels", gatewayLabels);
        service.putObject("spec").put("type", "LoadBalancer");
        assertFalse(fired(gateway).contains("exposed-kubeflow"));
        gatewayLabels.put("kubeflow.org/gateway", "true"); // a key: only the JSON text of the labels shows it
        assertTrue(fired(gateway).contains("exposed-kubeflow"));
    }

    // ------------------------------------------------------------------------------------------- the cap

    @Test
    void onlyTheFirst256KiBAreSearchedAndTheCutIsNoEnd() {
        int over = BoundedRegex.MAX_TESTED_CHARS + 1_000;
        String as = "a".repeat(over);
        assertEquals(Outcome.FOUND, search("^a+", as));
        assertEquals(Outcome.NOT_FOUND, search("^a+$", as), "$ does not match at the cut");
        assertEquals(Outcome.NOT_FOUND, search("a\\b", as), "\\b sees the character after the cut");
        assertEquals(Outcome.FOUND, search("^a+$", "a".repeat(BoundedRegex.MAX_TESTED_CHARS)), "up to the cap");
        assertEquals(Outcome.NOT_FOUND, search("needle", as + "needle"), "beyond the cap");
        assertEquals(Outcome.FOUND, search("needle", "needle" + as));
        assertEquals(Outcome.FOUND, search("a(?=b)", "a".repeat(BoundedRegex.MAX_TESTED_CHARS - 1) + "ab"),
                "lookahead reads past the cut");
    }

    static Outcome search(String regex, String text) {
        return assertTimeoutPreemptively(BOUND, () -> new BoundedRegex(Pattern.compile(regex), "test").search(text));
    }

    @Test
    void abortsAreLoggedAtMostOnceAMinutePerRuleAndPattern() {
        long now = 1_000_000_000_000L;
        String key = "test: rule 'r'\n^(a+)+$";
        assertTrue(BoundedRegex.shouldLog(key, now));
        assertFalse(BoundedRegex.shouldLog(key, now + TimeUnit.SECONDS.toNanos(59)));
        assertTrue(BoundedRegex.shouldLog("test: rule 'other'\n^(a+)+$", now + 1));
        assertTrue(BoundedRegex.shouldLog(key, now + TimeUnit.SECONDS.toNanos(60)));
    }

    static ObjectNode event() {
        ObjectNode event = (ObjectNode) RuleLoaderTest.json(RuleFixturesTest.BASE_EVENT);
        event.put("auditID", "a-1");
        return event;
    }

    static List<String> fired(JsonNode event) {
        return assertTimeoutPreemptively(BOUND, () -> engine.evaluate(event)).stream().map(DetectionRule::id).toList();
    }
}
