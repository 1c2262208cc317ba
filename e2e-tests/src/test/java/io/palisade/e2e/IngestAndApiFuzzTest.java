package io.palisade.e2e;

import static io.palisade.e2e.Stack.as;
import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Fuzzing of every ingest format and of the public API, through the gateway, on a running stack, with real Keycloak
 * tokens (issue 9).
 *
 * <p>For each target (the four ingest formats and eleven API operations) the test builds a valid request and applies
 * one seeded random mutation: fields dropped, duplicated, renamed, retyped or set to edge values; 1 MiB strings,
 * 100,000-element arrays and 10,000 levels of nesting; bodies truncated at a random byte, random bytes, invalid UTF-8
 * (0xC3 0x28, 0xFF, surrogates, overlong forms), other encodings; wrong or no Content-Type; wrong credentials; and
 * per target mutations (for Firehose: invalid base64, base64 of data that is not gzip, truncated and corrupt gzip and
 * two gzip bombs, one of 1 GiB of zeros and one just under the decompression budget). Case 0 of every target is the
 * unmutated request and must succeed, so the fuzzing starts from requests the service really accepts.
 *
 * <p>Every answer must be below 500. Every 4xx (413 and 429 included) must be explained: Problem JSON
 * ({@code application/problem+json}) with a non-blank {@code detail} or {@code title}, or, on {@code /ingest/eks},
 * Firehose's JSON answer with an {@code errorMessage}. 429 is honoured (Retry-After, then sent again; counted once).
 * Whatever a mutation makes (connectors, clusters, rules, suppression rules, exports) is deleted at once. After all
 * cases every service must be ready, and a fresh cluster-admin binding sent to the fuzzed cluster must still become
 * exactly one alert and reach the audit archive: ingest's consumers did not crash on what was accepted.
 *
 * <p>Not yet part of {@code ./palisade test} (tagged {@code fuzz}, excluded by default): it still finds the product
 * bugs listed in docs/reliability.md, and a red test cannot guard the suite. Once they are fixed, the short mode (120
 * cases per target, 1,800 cases, 1 to 2 minutes on two cores) joins the end-to-end run. Against a running stack:
 *
 * <pre>
 * ./mvnw -o -B -Pe2e -pl e2e-tests test -Dgroups=fuzz -Dpalisade.e2e.excludedGroups=none -Dtest=IngestAndApiFuzzTest
 * </pre>
 *
 * The long mode adds {@code -Dpalisade.fuzz.cases=5000} (75,000 cases, about an hour).
 *
 * Other properties: {@code palisade.fuzz.seed} (printed at the start; the same seed makes the same mutations),
 * {@code palisade.fuzz.targets} (comma-separated target names, e.g. {@code eks,rules-post}) and
 * {@code palisade.fuzz.case} (one case index: replays a reported failure). The summary table is printed and written
 * to {@code target/fuzz/summary.md}; every failing request is written to {@code target/fuzz/failures/} as it was
 * sent (tokens redacted).
 */
@Tag("fuzz")
class IngestAndApiFuzzTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final long SEED = Long.getLong("palisade.fuzz.seed", new SecureRandom().nextLong());
    private static final int CASES = Integer.getInteger("palisade.fuzz.cases", 120);
    private static final Integer ONLY_CASE = Integer.getInteger("palisade.fuzz.case");
    private static final Set<String> ONLY_TARGETS = Arrays.stream(System.getProperty("palisade.fuzz.targets", "")
            .split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    /** Per run, so that names made by an earlier run (whose clean-up failed) never collide; fixed length. */
    private static final String NONCE = hex(new SecureRandom(), 8);
    private static final Path OUT = Path.of("target", "fuzz");
    private static final int MIB = 1 << 20;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** Bodies exactly as given: no charset appended to the Content-Type, nothing re-encoded; never a hang. */
    private static final RestAssuredConfig RAW_CONFIG = RestAssured.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false))
            .httpClient(HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 120_000)
                    .setParam("http.connection.timeout", 10_000));

    static String connectorId;
    static String clusterId;
    static String ingestToken;
    /** The connector the API is fuzzed on: its settings, plan and clusters change; the fuzzed cluster's never do. */
    static String sandboxId;

    private final List<Finding> findings = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    @BeforeAll
    static void aliceProtectsAClusterAndMakesASandbox() throws IOException {
        connectorId = as("alice").contentType(ContentType.JSON)
                .body("{\"environment\":\"OnPrem\",\"displayName\":\"e2e fuzz " + Instant.now() + "\"}")
                .when().post("/api/connectors").then().statusCode(201).extract().path("id");
        var cluster = as("alice").contentType(ContentType.JSON).body("{\"name\":\"e2e-fuzz\",\"kind\":\"OnPrem\"}")
                .when().post("/api/connectors/" + connectorId + "/clusters")
                .then().statusCode(201).body("ingestToken", startsWith("pit_")).extract();
        clusterId = cluster.path("id");
        ingestToken = cluster.path("ingestToken");
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                as("alice").contentType(ContentType.JSON).body("{\"pricingTier\":\"Standard\"}")
                        .when().put("/api/plans/" + connectorId + "/Containers").then().statusCode(200));
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                given().baseUri(Stack.GATEWAY).auth().oauth2(ingestToken).contentType(ContentType.JSON)
                        .body("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":[]}")
                        .when().post("/ingest/k8s-audit").then().statusCode(200));
        sandboxId = as("alice").contentType(ContentType.JSON)
                .body("{\"environment\":\"OnPrem\",\"displayName\":\"e2e fuzz sandbox " + NONCE
                        + "\",\"hierarchyIdentifier\":\"dc-fuzz\"}")
                .when().post("/api/connectors").then().statusCode(201).extract().path("id");
        // plan-service learns of the sandbox over Kafka: wait, so that the plans' first (valid) case is accepted
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                as("alice").when().get("/api/plans/" + sandboxId).then().statusCode(200));
        Files.createDirectories(OUT.resolve("failures"));
        try (var old = Files.list(OUT.resolve("failures"))) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
    }

    @AfterAll
    static void removeTheSandbox() {
        if (sandboxId != null) {
            try {
                user("alice").when().delete("/api/connectors/" + sandboxId);
            } catch (Exception e) {
                System.out.println("The fuzz sandbox connector " + sandboxId + " could not be deleted: " + e);
            }
        }
    }

    @Test
    void fuzzEveryIngestFormatAndThePublicApi() throws Exception {
        List<Target> targets = targets();
        System.out.printf("%nFuzzing with seed %d (replay: -Dpalisade.fuzz.seed=%d), %d cases per target%s%n", SEED,
                SEED, CASES, ONLY_CASE == null ? "" : ", only case " + ONLY_CASE);
        Map<String, Double> deadLettersBefore = deadLetterMetrics();
        Map<Target, Stats> stats = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (int t = 0; t < targets.size(); t++) {
            Target target = targets.get(t);
            if (!ONLY_TARGETS.isEmpty() && !ONLY_TARGETS.contains(target.name)) {
                continue;
            }
            Stats s = new Stats();
            stats.put(target, s);
            long targetStarted = System.nanoTime();
            int failuresInARow = 0;
            for (int i = 0; i < CASES; i++) {
                if (ONLY_CASE != null && ONLY_CASE != i) {
                    continue;
                }
                int before = findings.size();
                runCase(target, t, i, s);
                failuresInARow = findings.size() > before && findings.get(findings.size() - 1).serverSide()
                        ? failuresInARow + 1 : 0;
                if (failuresInARow >= 25) {
                    warnings.add(target.name + ": stopped after 25 failing cases in a row (is a service down?)");
                    break;
                }
            }
            s.millis = (System.nanoTime() - targetStarted) / 1_000_000;
        }
        long fuzzSeconds = (System.nanoTime() - started) / 1_000_000_000;

        stackIsStillHealthy();
        aFreshAttackStillBecomesExactlyOneAlert();
        List<String> deadLettered = deadLettered(deadLettersBefore, deadLetterMetrics());
        String summary = summary(stats, fuzzSeconds, deadLettered);
        System.out.println(summary);
        Files.writeString(OUT.resolve("summary.md"), summary);

        String report = findings.stream().limit(30).map(Finding::toString).collect(Collectors.joining("\n\n"));
        assertTrue(findings.isEmpty(), findings.size() + " fuzz case(s) failed (seed " + SEED + "); the first:\n\n"
                + report);
        // every record here came through an HTTP answer: what was accepted (2xx) must be handled, not dead-lettered
        assertTrue(deadLettered.isEmpty(), () -> "accepted, then dead-lettered while fuzzing (seed " + SEED + "): "
                + deadLettered + "; the last reasons: " + lastDeadLetterReasons());
    }

    // ------------------------------------------------------------------------------------------ one case

    private void runCase(Target target, int targetIndex, int index, Stats stats) {
        Random r = new Random(SEED ^ (0x9E3779B97F4A7C15L * (targetIndex + 1)) ^ (0xC2B2AE3D27D4EB4FL * (index + 1)));
        Draft d;
        Kind kind = Kind.BASELINE;
        try {
            d = target.base(r, index);
            kind = kind(r, index, target);
            mutate(r, target, d, kind);
        } catch (RuntimeException e) {
            throw new IllegalStateException("building case " + index + " of " + target.name + " failed (seed " + SEED
                    + ")", e);
        }
        stats.cases++;
        Answer answer = new Answer(-1, null, null, null, null, "not sent");
        String phase = "sending";
        try {
            answer = send(d, stats);
            stats.count(answer.status);
            phase = "judging the answer";
            String problem = judge(target, kind, answer);
            if (problem != null) {
                record(target, index, kind, d, answer, problem, answer.status < 0 || answer.status >= 500);
            } else if (answer.status / 100 == 2 && d.cleanup != null) {
                phase = "deleting what it created";
                cleanUp(target, index, kind, d, answer);
            }
        } catch (Exception | StackOverflowError e) {
            // RestAssured throws connection errors unchecked-style; a stack gone away shows as a failing case
            record(target, index, kind, d, answer, "the test failed while " + phase + ": " + e,
                    !(e instanceof StackOverflowError));
        }
        if (answer.status / 100 == 4 && answer.bodyText().contains("\tat ")) {
            warnings.add(target.name + " case " + index + ": the " + answer.status + " answer shows a stack trace");
        }
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    private static String judge(Target target, Kind kind, Answer answer) {
        if (answer.status < 0) {
            return "no HTTP answer: " + answer.error;
        }
        if (answer.status >= 500) {
            return "server error " + answer.status;
        }
        if (kind == Kind.BASELINE && answer.status / 100 != 2) {
            return "the valid, unmutated request was refused (" + answer.status + "): the fuzzing would start from a "
                    + "request the service does not accept";
        }
        if (answer.status >= 400) {
            return unexplained(target, answer);
        }
        if (answer.status >= 300) {
            return "unexpected redirect " + answer.status;
        }
        return null;
    }

    /** Null when a 4xx says why (Problem JSON with detail or title; Firehose's errorMessage on /ingest/eks). */
    private static String unexplained(Target target, Answer answer) {
        String type = answer.contentType == null ? "" : answer.contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        boolean firehoseAnswer = target.firehose && type.equals("application/json");
        if (!type.equals("application/problem+json") && !firehoseAnswer) {
            return "a " + answer.status + " without Problem JSON (Content-Type '" + answer.contentType + "')";
        }
        Object root = parseJson(answer.bodyText());
        if (root == null) {
            return "a " + answer.status + " whose body is not JSON (or nested too deep to be a Problem)";
        }
        if (!(root instanceof Map<?, ?> problem)) {
            return "a " + answer.status + " whose body is not a JSON object";
        }
        boolean explained = !blank(problem.get("detail")) || !blank(problem.get("title"))
                || firehoseAnswer && !blank(problem.get("errorMessage"));
        if (!explained) {
            return "a " + answer.status + " without detail or title";
        }
        if (problem.get("status") instanceof Number n && n.intValue() != answer.status) {
            return "a " + answer.status + " whose Problem says status " + n;
        }
        return null;
    }

    /** The JSON document, or null if it is not JSON or nests deeper than a Problem or a created resource would. */
    static Object parseJson(String text) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                max = Math.max(max, ++depth);
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        if (max > 64) {
            return null;
        }
        try {
            return new JsonPath(text).get("$");
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    private static boolean blank(Object value) {
        return value == null || String.valueOf(value).isBlank();
    }

    /** Deletes what a request made (connectors, clusters, rules...) so that fuzzing leaves nothing in force. */
    private void cleanUp(Target target, int index, Kind kind, Draft d, Answer answer) {
        String id = null;
        Object root = parseJson(answer.bodyText());
        if (root instanceof Map<?, ?> created && created.get("id") != null) {
            id = String.valueOf(created.get("id"));
        }
        if (id == null && root == null) {
            // too deep for the parser (a rule echoing a deeply nested condition): the first "id" is the resource's
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\{\\s*\"id\"\\s*:\\s*\"([^\"]+)\"")
                    .matcher(answer.bodyText());
            id = m.find() ? m.group(1) : null;
        }
        if (id == null && answer.location != null) {
            id = answer.location.substring(answer.location.lastIndexOf('/') + 1);
        }
        if (id == null) {
            record(target, index, kind, d, answer, "created something (" + answer.status + ") but named no id", false);
            return;
        }
        Response deleted = given().config(RAW_CONFIG).baseUri(Stack.GATEWAY).urlEncodingEnabled(false)
                .auth().oauth2(Tokens.of("alice")).when().delete(d.cleanup + encode(id));
        if (deleted.statusCode() / 100 != 2) {
            record(target, index, kind, d, new Answer(deleted.statusCode(), deleted.contentType(),
                    deleted.asByteArray(), null, null, null), "what it created could not be deleted: DELETE "
                            + d.cleanup + encode(id) + " answered " + deleted.statusCode(),
                    deleted.statusCode() >= 500);
        }
    }

    private void record(Target target, int index, Kind kind, Draft d, Answer answer, String problem,
            boolean serverSide) {
        String file = target.name + "-" + index + ".http";
        try {
            Files.write(OUT.resolve("failures").resolve(file), d.asSent());
        } catch (IOException e) {
            file = "(not written: " + e.getMessage() + ")";
        }
        Finding finding = new Finding(target.name, index, kind, String.join("; ", d.notes), problem, d.describe(),
                answer.describe(), "target/fuzz/failures/" + file, serverSide);
        findings.add(finding);
        System.out.println("FUZZ FAILURE " + finding);
    }

    record Finding(String target, int index, Kind kind, String mutation, String problem, String request,
            String answer, String file, boolean serverSide) {
        @Override
        public String toString() {
            return target + " case " + index + " [" + kind + ": " + truncate(mutation, 300) + "]: " + problem
                    + "\n  request: " + request + "\n  answer:  " + answer + "\n  replay:  -Dpalisade.fuzz.seed="
                    + SEED + " -Dpalisade.fuzz.targets=" + target + " -Dpalisade.fuzz.case=" + index + " (" + file
                    + ")";
        }
    }

    /** What a target's cases got: statuses, retries after 429, time. */
    static final class Stats {
        int cases;
        int retries;
        long millis;
        final TreeMap<Integer, Integer> statuses = new TreeMap<>();

        void count(int status) {
            statuses.merge(status, 1, Integer::sum);
        }

        int within(int from, int to) {
            return statuses.entrySet().stream().filter(e -> e.getKey() >= from && e.getKey() < to)
                    .mapToInt(Map.Entry::getValue).sum();
        }

        String byStatus(int from, int to) {
            String s = statuses.entrySet().stream().filter(e -> e.getKey() >= from && e.getKey() < to)
                    .map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(", "));
            return s.isEmpty() ? "–" : s;
        }
    }

    // ------------------------------------------------------------------------------------------ after the fuzzing

    private void stackIsStillHealthy() {
        for (String service : Stack.SERVICES) {
            try {
                Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                        given().baseUri(service).when().get("/q/health/ready").statusCode() == 200);
            } catch (RuntimeException e) {
                findings.add(new Finding("stack", -1, Kind.BASELINE, "after all cases", service
                        + "/q/health/ready is not 200 within " + WITHIN.toSeconds() + " s", "GET " + service
                        + "/q/health/ready", String.valueOf(e.getMessage()), "-", true));
            }
        }
    }

    /** The consumers of what ingest accepted still work: detection alerts once, the archive stores the event. */
    private void aFreshAttackStillBecomesExactlyOneAlert() {
        String attackAuditId = UUID.randomUUID().toString();
        Instant at = Instant.now();
        String attack = attackEventList(at, attackAuditId);
        try {
            Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    given().baseUri(Stack.GATEWAY).auth().oauth2(ingestToken).contentType(ContentType.JSON)
                            .body(attack).when().post("/ingest/k8s-audit").then().statusCode(200)
                            .body("accepted", equalTo(4)));
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> clusterAdminBindingAlerts().size() == 1);
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(500)).until(() -> clusterAdminBindingAlerts().size() == 1);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    user("bob").queryParam("clusterId", clusterId).queryParam("user", "mallory@example.com")
                            .queryParam("from", at.minusSeconds(3600).toString()).queryParam("top", 500)
                            .when().get("/api/audit-logs").then().statusCode(200).extract()
                            .<List<String>>path("value.auditId").contains(attackAuditId));
        } catch (Exception | AssertionError | StackOverflowError e) {
            String alerts;
            try {
                alerts = String.valueOf(clusterAdminBindingAlerts().size());
            } catch (Exception | AssertionError | StackOverflowError again) {
                alerts = "unknown: " + again;
            }
            findings.add(new Finding("consumers", -1, Kind.BASELINE, "after all cases", "a fresh cluster-admin "
                    + "binding did not become exactly one K8S_ClusterAdminBinding alert (now " + alerts
                    + ") and an archived audit event on cluster " + clusterId + ": " + e.getMessage(),
                    "POST /ingest/k8s-audit " + attack, "-", "-", true));
        }
    }

    private static List<String> clusterAdminBindingAlerts() {
        return user("bob").queryParam("clusterId", clusterId).queryParam("alertType", "K8S_ClusterAdminBinding")
                .queryParam("simulated", "false").when().get("/api/alerts").then().statusCode(200).extract()
                .path("value.name");
    }

    /** WalkingSkeletonTest's attack: benign requests around a ClusterRoleBinding to cluster-admin. */
    static String attackEventList(Instant at, String bindingAuditId) {
        return "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
                + String.join(",",
                        WalkingSkeletonTest.event(at, UUID.randomUUID().toString(), "get", "pods", "default", null),
                        WalkingSkeletonTest.event(at, bindingAuditId, "create", "clusterrolebindings", null,
                                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\","
                                        + "\"metadata\":{\"name\":\"backdoor\"},\"roleRef\":{\"apiGroup\":"
                                        + "\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":"
                                        + "\"cluster-admin\"},\"subjects\":[{\"kind\":\"User\",\"name\":"
                                        + "\"mallory@example.com\"}]}"),
                        WalkingSkeletonTest.event(at, UUID.randomUUID().toString(), "list", "namespaces", null, null),
                        WalkingSkeletonTest.event(at, UUID.randomUUID().toString(), "watch", "configmaps", "kube-system", null))
                + "]}";
    }

    private static final java.util.regex.Pattern DEAD_LETTERS = java.util.regex.Pattern.compile(
            "kafka_producer_topic_record_send_total\\{.*topic=\"([^\"]+\\.dlq)\".*} (\\S+)");

    /**
     * Records each service has sent to a dead-letter topic ({@code <topic>.dlq}), from its Kafka producer metrics. A
     * consumer may dead-letter a record it cannot read, but every record of this test came through ingest or the API,
     * which answered for it: none may be dead-lettered.
     */
    private static Map<String, Double> deadLetterMetrics() {
        Map<String, Double> metrics = new TreeMap<>();
        for (String service : Stack.SERVICES) {
            try {
                String text = given().baseUri(service).when().get("/q/metrics").asString();
                for (String line : text.split("\n")) {
                    java.util.regex.Matcher m = DEAD_LETTERS.matcher(line);
                    if (m.matches()) {
                        metrics.merge(m.group(1) + " (from " + service + ")", Double.parseDouble(m.group(2)),
                                Double::sum);
                    }
                }
            } catch (RuntimeException e) {
                // metrics are informative only
            }
        }
        return metrics;
    }

    /** The {@code dead-letter-reason} of the last records of every dead-letter topic (Kafka as CredentialsNeverLeakTest). */
    private static List<String> lastDeadLetterReasons() {
        java.util.Properties config = new java.util.Properties();
        config.put("bootstrap.servers", CredentialsNeverLeakTest.KAFKA);
        config.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        config.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        config.put("enable.auto.commit", "false");
        List<String> reasons = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(config)) {
            var partitions = consumer.listTopics(java.time.Duration.ofSeconds(10)).values().stream()
                    .flatMap(List::stream).filter(p -> p.topic().endsWith(".dlq"))
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            var ends = consumer.endOffsets(partitions);
            partitions.forEach(p -> consumer.seek(p, Math.max(0, ends.get(p) - 5)));
            for (int poll = 0; poll < 10; poll++) {
                for (var r : consumer.poll(java.time.Duration.ofMillis(500))) {
                    var reason = r.headers().lastHeader("dead-letter-reason");
                    reasons.add(r.topic() + "@" + r.offset() + ": "
                            + (reason == null ? "?" : truncate(new String(reason.value(), UTF_8), 300)));
                }
            }
        } catch (RuntimeException e) {
            reasons.add("(could not read them: " + e + ")");
        }
        return reasons;
    }

    /** "topic (from service): n more" for each dead-letter topic that received records between the two readings. */
    private static List<String> deadLettered(Map<String, Double> deadBefore, Map<String, Double> deadAfter) {
        Set<String> keys = new java.util.TreeSet<>(deadAfter.keySet());
        keys.addAll(deadBefore.keySet());
        return keys.stream().filter(k -> !deadAfter.getOrDefault(k, 0.0)
                .equals(deadBefore.getOrDefault(k, 0.0)))
                .map(k -> k + ": " + Math.round(deadAfter.getOrDefault(k, 0.0) - deadBefore.getOrDefault(k, 0.0))
                        + " more").toList();
    }

    private String summary(Map<Target, Stats> stats, long seconds, List<String> deadLettered) {
        StringBuilder s = new StringBuilder();
        int cases = stats.values().stream().mapToInt(x -> x.cases).sum();
        s.append("\nFuzz summary: seed ").append(SEED).append(", ").append(CASES).append(" cases per target")
                .append(CASES <= 150 ? " (short mode; long mode: -Dpalisade.fuzz.cases=5000)" : "").append(", ")
                .append(cases).append(" cases in ").append(seconds).append(" s, ").append(findings.size())
                .append(" failing\n\n");
        s.append("| target | request | cases | 2xx | 4xx | 4xx by status | 5xx | no answer | 429 retries | time |\n");
        s.append("|---|---|---:|---:|---:|---|---:|---:|---:|---:|\n");
        Stats total = new Stats();
        for (Map.Entry<Target, Stats> e : stats.entrySet()) {
            Stats x = e.getValue();
            s.append(row(e.getKey().name, e.getKey().label, x));
            total.cases += x.cases;
            total.retries += x.retries;
            total.millis += x.millis;
            x.statuses.forEach((status, n) -> total.statuses.merge(status, n, Integer::sum));
        }
        s.append(row("all", "", total));
        s.append("\nRecords sent to dead-letter topics meanwhile: ").append(deadLettered.isEmpty() ? "none"
                : String.join("; ", deadLettered)).append('\n');
        if (!warnings.isEmpty()) {
            s.append("\nWarnings:\n");
            warnings.stream().distinct().limit(50).forEach(w -> s.append("- ").append(w).append('\n'));
        }
        if (!findings.isEmpty()) {
            s.append("\nFailures:\n\n");
            findings.forEach(f -> s.append(f).append("\n\n"));
        }
        return s.toString();
    }

    private static String row(String name, String label, Stats x) {
        return "| " + name + " | " + label + " | " + x.cases + " | " + x.within(200, 300) + " | " + x.within(400, 500)
                + " | " + x.byStatus(400, 500) + " | " + x.within(500, 600) + " | " + x.within(-1000, 100) + " | "
                + x.retries + " | " + String.format(Locale.ROOT, "%.1f s", x.millis / 1000.0) + " |\n";
    }

    // ------------------------------------------------------------------------------------------ sending

    /** A request being built. */
    static final class Draft {
        String method = "POST";
        String path;
        final Map<String, String> headers = new LinkedHashMap<>();
        /** The Content-Type; null sends none. */
        String contentType = "application/json";
        /** The JSON body, if the request has one. */
        Box root;
        /** The body as sent; made from {@link #root} unless a mutation wrote it. */
        byte[] body;
        /** Query parameters of a GET: {name, value, "raw" if already encoded}. */
        List<String[]> query;
        /** Sent by {@link #sendRaw} (what RestAssured cannot send: no Content-Type, malformed query...). */
        boolean raw;
        /** Where to DELETE what a 2xx made, the id appended. */
        String cleanup;
        final List<String> notes = new ArrayList<>();
        /** The parts a target's own mutations reach. */
        final List<Obj> events = new ArrayList<>();
        final List<Obj> records = new ArrayList<>();
        final List<Obj> payloads = new ArrayList<>();

        String queryString() {
            if (query == null || query.isEmpty()) {
                return "";
            }
            return query.stream().map(p -> "raw".equals(p[2]) ? p[0] + (p[1] == null ? "" : "=" + p[1])
                    : encode(p[0]) + "=" + encode(p[1])).collect(Collectors.joining("&"));
        }

        String target() {
            String q = queryString();
            return path + (q.isEmpty() ? "" : "?" + q);
        }

        /** The request line, headers (tokens redacted) and body, as sent. */
        byte[] asSent() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder(method + " " + target() + " HTTP/1.1\r\n");
            headers.forEach((k, v) -> {
                if (v != null) {
                    head.append(k).append(": ").append(redact(v)).append("\r\n");
                }
            });
            if (body != null && contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(ISO_8859_1));
            if (body != null) {
                out.writeBytes(body);
            }
            return out.toByteArray();
        }

        String describe() {
            String headerText = headers.entrySet().stream().filter(e -> e.getValue() != null)
                    .map(e -> e.getKey() + ": " + truncate(redact(e.getValue()), 80)).collect(Collectors.joining(", "));
            return method + " " + truncate(target(), 400) + " [" + headerText + (body == null ? ""
                    : ", Content-Type: " + (contentType == null ? "(none)" : "'" + contentType + "'") + "] body "
                            + body.length + " bytes: " + preview(body, 300));
        }
    }

    private static String redact(String value) {
        String v = value;
        if (ingestToken != null) {
            v = v.replace(ingestToken, "<cluster ingest token>");
        }
        return v.replaceAll("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*", "<Keycloak token>");
    }

    /** An HTTP answer, or status -1 and the error when there was none. */
    record Answer(int status, String contentType, byte[] body, String retryAfter, String location, String error) {
        String bodyText() {
            return body == null ? "" : new String(body, UTF_8);
        }

        String describe() {
            return status < 0 ? "none: " + error : status + " (" + contentType + ") " + preview(body, 400);
        }
    }

    private Answer send(Draft d, Stats stats) {
        for (int attempt = 0;; attempt++) {
            Answer answer = sendOnce(d);
            if (answer.status != 429 || attempt >= 5) {
                return answer;
            }
            // a rate-limit answer must be explained too; then wait as told and send again (counted once)
            String why = unexplained(new Target("-", "-"), answer);
            if (why != null) {
                return answer;
            }
            stats.retries++;
            long seconds = 1;
            try {
                seconds = Math.max(1, Math.min(10, Long.parseLong(String.valueOf(answer.retryAfter).trim())));
            } catch (NumberFormatException e) {
                warnings.add("a 429 without a numeric Retry-After: " + answer.retryAfter);
            }
            Stack.sleep(seconds * 1000);
        }
    }

    private static Answer sendOnce(Draft d) {
        boolean raw = d.raw || d.contentType == null || d.contentType.isBlank()
                || d.contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                || (d.body != null && "GET".equals(d.method)) || !restAssuredCanSend(d.queryString());
        try {
            if (raw) {
                return sendRaw(d);
            }
            RequestSpecification spec = given().config(RAW_CONFIG).baseUri(Stack.GATEWAY).urlEncodingEnabled(false);
            d.headers.forEach((k, v) -> {
                if (v != null) {
                    spec.header(k, v);
                }
            });
            if (d.body != null) {
                spec.contentType(d.contentType).body(d.body);
            }
            Response response = spec.when().request(d.method, d.target());
            return new Answer(response.statusCode(), response.contentType(), response.asByteArray(),
                    response.header("Retry-After"), response.header("Location"), null);
        } catch (Exception e) {
            return new Answer(-1, null, null, null, null, e.toString());
        }
    }

    /** RestAssured re-parses the query: only plain name=value pairs with well-formed escapes go through it. */
    private static boolean restAssuredCanSend(String query) {
        if (query.isEmpty()) {
            return true;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || pair.indexOf('=', eq + 1) >= 0 || !pair.matches("[A-Za-z0-9._~%+=-]*")) {
                return false;
            }
        }
        for (int i = query.indexOf('%'); i >= 0; i = query.indexOf('%', i + 1)) {
            if (i + 2 >= query.length() || !isHex(query.charAt(i + 1)) || !isHex(query.charAt(i + 2))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    /** HTTP/1.1 over a socket, byte for byte: for requests no client library sends as they are. */
    static Answer sendRaw(Draft d) throws IOException {
        URI gateway = URI.create(Stack.GATEWAY);
        int port = gateway.getPort() < 0 ? 80 : gateway.getPort();
        try (Socket socket = new Socket(gateway.getHost(), port)) {
            socket.setSoTimeout(120_000);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            StringBuilder head = new StringBuilder(d.method).append(' ').append(d.target()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(gateway.getHost()).append(':').append(port).append("\r\n")
                    .append("Connection: close\r\nAccept: */*\r\n");
            d.headers.forEach((k, v) -> {
                if (v != null) {
                    head.append(k).append(": ").append(v).append("\r\n");
                }
            });
            if (d.body != null) {
                if (d.contentType != null) {
                    head.append("Content-Type: ").append(d.contentType).append("\r\n");
                }
                head.append("Content-Length: ").append(d.body.length).append("\r\n");
            } else if (!"GET".equals(d.method)) {
                head.append("Content-Length: 0\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(ISO_8859_1));
            if (d.body != null) {
                out.write(d.body);
            }
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String statusLine = line(in);
            if (statusLine == null || !statusLine.startsWith("HTTP/")) {
                throw new IOException("no HTTP status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new HashMap<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
            }
            byte[] body;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream chunks = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    chunks.writeBytes(in.readNBytes(size));
                    line(in);
                }
                body = chunks.toByteArray();
            } else if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else {
                body = in.readAllBytes();
            }
            return new Answer(status, headers.get("content-type"), body, headers.get("retry-after"),
                    headers.get("location"), null);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(ISO_8859_1);
    }

    /** Like {@link Stack#as}, with a token that has not expired (the long mode runs longer than a token lives). */
    static RequestSpecification user(String name) {
        return given().baseUri(Stack.GATEWAY).auth().oauth2(Tokens.of(name));
    }

    /** Keycloak tokens fetched again before they expire (the long mode runs for an hour). */
    static final class Tokens {
        private static final Map<String, String> TOKENS = new HashMap<>();
        private static final Map<String, Long> FETCHED = new HashMap<>();

        static synchronized String of(String user) {
            Long fetched = FETCHED.get(user);
            if (fetched == null || System.nanoTime() - fetched > Duration.ofMinutes(4).toNanos()) {
                TOKENS.put(user, given().formParam("grant_type", "password").formParam("client_id", "palisade-cli")
                        .formParam("username", user).formParam("password", Stack.password(user))
                        .when().post(Stack.KEYCLOAK + "/realms/palisade/protocol/openid-connect/token")
                        .then().statusCode(200).extract().path("access_token"));
                FETCHED.put(user, System.nanoTime());
            }
            return TOKENS.get(user);
        }
    }

    // ------------------------------------------------------------------------------------------ mutations

    enum Kind {
        BASELINE, TREE, TREE_MULTI, BYTES, CONTENT_TYPE, AUTH, SPECIFIC, HUGE_STRING, HUGE_ARRAY, DEEP_NESTING,
        GZIP_BOMB, GZIP_BOMB_UNDER_BUDGET
    }

    /** Case 0 is valid; the heavy cases are a fixed few (3 in every 100, 2 gzip bombs a run); the rest weighted. */
    static Kind kind(Random r, int index, Target target) {
        if (index == 0) {
            return Kind.BASELINE;
        }
        switch (index % 100) {
            case 1:
                return Kind.HUGE_STRING;
            case 2:
                return Kind.HUGE_ARRAY;
            case 3:
                return Kind.DEEP_NESTING;
            default:
                break;
        }
        if (target.firehose && index == 4) {
            return Kind.GZIP_BOMB;
        }
        if (target.firehose && index == 5) {
            return Kind.GZIP_BOMB_UNDER_BUDGET;
        }
        int p = r.nextInt(100);
        return p < 36 ? Kind.TREE : p < 46 ? Kind.TREE_MULTI : p < 70 ? Kind.BYTES : p < 78 ? Kind.CONTENT_TYPE
                : p < 83 ? Kind.AUTH : Kind.SPECIFIC;
    }

    static void mutate(Random r, Target target, Draft d, Kind kind) {
        switch (kind) {
            case BASELINE -> d.notes.add("valid, unmutated");
            case TREE -> d.notes.add(mutateTree(r, d));
            case TREE_MULTI -> {
                int n = 2 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    d.notes.add(mutateTree(r, d));
                }
            }
            case HUGE_STRING, HUGE_ARRAY, DEEP_NESTING -> d.notes.add(heavy(r, d, kind));
            case SPECIFIC, GZIP_BOMB, GZIP_BOMB_UNDER_BUDGET -> d.notes.add(target.specific(r, d, kind));
            default -> {
            }
        }
        if (d.body == null && d.root != null) {
            d.body = json(d.root.value);
        }
        switch (kind) {
            case BYTES -> d.notes.add(d.query != null ? garbleQuery(r, d) : mutateBytes(r, d));
            case CONTENT_TYPE -> d.notes.add(mutateContentType(r, d));
            case AUTH -> d.notes.add(target.auth(r, d));
            default -> {
            }
        }
    }

    static String mutateTree(Random r, Draft d) {
        if (d.query != null) {
            return mutateQuery(r, d);
        }
        List<Slot> all = slots(d.root);
        List<Slot> inner = all.size() > 1 ? all.subList(1, all.size()) : all;
        List<Slot> objects = filter(all, s -> s.get() instanceof Obj o && !o.keys.isEmpty());
        List<Slot> arrays = filter(all, s -> s.get() instanceof List<?>);
        List<Slot> leaves = filter(inner, s -> isLeaf(s.get()));
        int op = r.nextInt(100);
        if (op < 14 && !objects.isEmpty()) {
            Slot s = pick(r, objects);
            Obj o = (Obj) s.get();
            int i = r.nextInt(o.keys.size());
            String key = o.keys.remove(i);
            o.values.remove(i);
            return "dropped " + s.path() + "." + shortKey(key);
        }
        if (op < 24 && !objects.isEmpty()) {
            Slot s = pick(r, objects);
            Obj o = (Obj) s.get();
            int i = r.nextInt(o.keys.size());
            Object value = r.nextBoolean() ? o.values.get(i) : randomValue(r, 0);
            int at = r.nextInt(o.keys.size() + 1);
            o.keys.add(at, o.keys.get(i));
            o.values.add(at, value);
            return "duplicated field " + s.path() + "." + shortKey(o.keys.get(at)) + " = " + brief(value);
        }
        if (op < 34 && !objects.isEmpty()) {
            Slot s = pick(r, objects);
            Obj o = (Obj) s.get();
            int i = r.nextInt(o.keys.size());
            String old = o.keys.get(i);
            String renamed = weirdKey(r, old);
            o.keys.set(i, renamed);
            return "renamed " + s.path() + "." + shortKey(old) + " to \"" + shortKey(renamed) + "\"";
        }
        if (op < 74 && op >= 54 && !leaves.isEmpty()) {
            Slot s = pick(r, leaves);
            Object value = s.get() instanceof String && r.nextInt(10) < 7
                    ? (r.nextBoolean() ? copy(pick(r, EDGE_STRINGS)) : pick(r, EDGE_TIMES)) : edgeNumber(r);
            s.set(value);
            return "edge value at " + s.path() + ": " + brief(value);
        }
        if (op < 82 && op >= 74 && !objects.isEmpty()) {
            Slot s = pick(r, objects);
            Obj o = (Obj) s.get();
            String key = r.nextBoolean() ? pick(r, o.keys) + "_" : weirdKey(r, "extra");
            Object value = randomValue(r, 0);
            o.put(key, value);
            return "added field " + s.path() + "." + shortKey(key) + " = " + brief(value);
        }
        if (op < 92 && op >= 82 && !arrays.isEmpty()) {
            Slot s = pick(r, arrays);
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) s.get();
            switch (r.nextInt(5)) {
                case 0:
                    list.clear();
                    return "emptied array " + s.path();
                case 1:
                    if (!list.isEmpty()) {
                        list.remove(r.nextInt(list.size()));
                        return "removed an element of " + s.path();
                    }
                    break;
                case 2:
                    if (!list.isEmpty()) {
                        Object element = list.get(r.nextInt(list.size()));
                        int copies = 1 + r.nextInt(50);
                        for (int i = 0; i < copies; i++) {
                            list.add(element);
                        }
                        return "repeated an element of " + s.path() + " " + copies + " times";
                    }
                    break;
                case 3:
                    Object inserted = randomValue(r, 0);
                    list.add(list.isEmpty() ? 0 : r.nextInt(list.size() + 1), inserted);
                    return "inserted " + brief(inserted) + " into " + s.path();
                default:
                    java.util.Collections.reverse(list);
                    return "reversed " + s.path();
            }
        }
        if (op >= 92 && op < 96) {
            Slot s = pick(r, inner);
            s.set(null);
            return "null at " + s.path();
        }
        if (op >= 96 && inner.size() > 2) {
            Slot a = pick(r, inner);
            Slot b = pick(r, inner);
            if (a.get() != b.get() && !contains(a.get(), b.get()) && !contains(b.get(), a.get())) {
                Object va = a.get();
                a.set(b.get());
                b.set(va);
                return "swapped " + a.path() + " and " + b.path();
            }
        }
        Slot s = pick(r, inner);
        Object old = s.get();
        Object value = otherType(r, old);
        s.set(value);
        return "type of " + s.path() + ": " + typeOf(old) + " → " + brief(value);
    }

    /** Whether {@code needle} is {@code haystack} or inside it (by identity): a swap must not make a cycle. */
    static boolean contains(Object haystack, Object needle) {
        if (haystack == needle) {
            return true;
        }
        if (haystack instanceof Obj o) {
            return o.values.stream().anyMatch(v -> contains(v, needle));
        }
        if (haystack instanceof List<?> l) {
            return l.stream().anyMatch(v -> contains(v, needle));
        }
        return haystack instanceof Box b && contains(b.value, needle);
    }

    static String heavy(Random r, Draft d, Kind kind) {
        if (d.query != null) {
            return heavyQuery(r, d, kind);
        }
        List<Slot> all = slots(d.root);
        List<Slot> inner = all.size() > 1 ? all.subList(1, all.size()) : all;
        switch (kind) {
            case HUGE_STRING: {
                List<Slot> strings = filter(inner, s -> s.get() instanceof String);
                Slot s = pick(r, strings.isEmpty() ? inner : strings);
                String[] fillers = { "A", "é", "\"", "\u0001", "\uD83D\uDE00" };
                String filler = pick(r, fillers);
                int bytesEach = switch (filler) {
                    case "é", "\"" -> 2;
                    case "\u0001" -> 6;
                    case "\uD83D\uDE00" -> 4;
                    default -> 1;
                };
                s.set(filler.repeat(MIB / bytesEach));
                return "1 MiB string of " + brief(filler) + " at " + s.path();
            }
            case HUGE_ARRAY: {
                List<Slot> arrays = filter(inner, s -> s.get() instanceof List<?> l && !(l instanceof Lines));
                Slot s = pick(r, arrays.isEmpty() || r.nextInt(3) == 0 ? inner : arrays);
                String element = pick(r, new String[] { "0", "\"x\"", "{}", "null", "[]", "true" });
                if (s.get() instanceof List<?> l && !l.isEmpty() && json(l.get(0)).length <= 24 && r.nextBoolean()) {
                    element = new String(json(l.get(0)), UTF_8);
                }
                StringBuilder b = new StringBuilder(100_000 * (element.length() + 1) + 2).append('[');
                for (int i = 0; i < 100_000; i++) {
                    b.append(i == 0 ? "" : ",").append(element);
                }
                s.set(Raw.of(b.append(']').toString()));
                return "array of 100,000 × " + element + " at " + s.path();
            }
            default: {
                Slot s = pick(r, all);
                int depth = 10_000;
                String how;
                String nested;
                switch (r.nextInt(4)) {
                    case 0 -> {
                        nested = "[".repeat(depth) + "]".repeat(depth);
                        how = "arrays";
                    }
                    case 1 -> {
                        nested = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
                        how = "objects";
                    }
                    case 2 -> {
                        nested = "[{\"a\":".repeat(depth / 2) + "0" + "}]".repeat(depth / 2);
                        how = "arrays and objects";
                    }
                    default -> {
                        nested = "[".repeat(depth);
                        how = "unclosed arrays";
                    }
                }
                s.set(Raw.of(nested));
                return "10,000 levels of " + how + " at " + s.path();
            }
        }
    }

    private static final byte[][] INVALID_UTF8 = { { (byte) 0xC3, 0x28 }, { (byte) 0xFF }, { (byte) 0xFE },
            { (byte) 0xC0, (byte) 0xAF }, { (byte) 0xE0, (byte) 0x80, (byte) 0x80 },
            { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 },
            { (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80 }, { (byte) 0x80 }, { (byte) 0xC3 },
            { (byte) 0xE2, (byte) 0x82 }, { 0x00 } };
    private static final String[] LITERAL_BODIES = { "", " ", "\n", "null", "true", "0", "-1", "\"\"", "[]", "{}",
            "[[]]", "[{}]", "{\"\":\"\"}", "[null]", "{\"items\":null}", "{\"records\":{}}", "\"{}\"", "1e999999" };

    static String mutateBytes(Random r, Draft d) {
        byte[] b = d.body;
        switch (r.nextInt(9)) {
            case 0, 1: {
                int at = b.length == 0 ? 0 : r.nextInt(b.length);
                d.body = Arrays.copyOf(b, at);
                return "truncated at byte " + at + " of " + b.length;
            }
            case 2: {
                int n = 1 + r.nextInt(8);
                byte[] flipped = b.clone();
                for (int i = 0; i < n && flipped.length > 0; i++) {
                    flipped[r.nextInt(flipped.length)] = (byte) r.nextInt(256);
                }
                d.body = flipped;
                return n + " random bytes overwritten";
            }
            case 3, 4: {
                byte[] sequence = INVALID_UTF8[r.nextInt(INVALID_UTF8.length)];
                List<Integer> quotes = new ArrayList<>();
                for (int i = 0; i < b.length; i++) {
                    if (b[i] == '"') {
                        quotes.add(i + 1);
                    }
                }
                boolean inString = !quotes.isEmpty() && r.nextInt(10) < 7;
                int at = inString ? pick(r, quotes) : b.length == 0 ? 0 : r.nextInt(b.length + 1);
                ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + sequence.length);
                out.write(b, 0, at);
                out.writeBytes(sequence);
                out.write(b, at, b.length - at);
                d.body = out.toByteArray();
                return "invalid UTF-8 " + hexBytes(sequence) + " at byte " + at + (inString ? " (in a string)" : "");
            }
            case 5: {
                int length = 1 + r.nextInt(2048);
                byte[] random = new byte[length];
                switch (r.nextInt(3)) {
                    case 0 -> r.nextBytes(random);
                    case 1 -> {
                        for (int i = 0; i < length; i++) {
                            random[i] = (byte) (32 + r.nextInt(95));
                        }
                    }
                    default -> {
                        String[] tokens = { "{", "}", "[", "]", ":", ",", "\"a\"", "1", "true", "null", " ", "\"",
                                "\\", "-", "e", "." };
                        StringBuilder soup = new StringBuilder();
                        while (soup.length() < length) {
                            soup.append(pick(r, tokens));
                        }
                        random = soup.toString().getBytes(UTF_8);
                    }
                }
                d.body = random;
                return random.length + " random bytes: " + preview(random, 60);
            }
            case 6: {
                String literal = pick(r, LITERAL_BODIES);
                d.body = literal.getBytes(UTF_8);
                return "body replaced by '" + literal + "'";
            }
            case 7: {
                String text = new String(b, UTF_8);
                switch (r.nextInt(6)) {
                    case 0 -> d.body = concat(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF }, b);
                    case 1 -> d.body = concat(b, " trailing garbage".getBytes(UTF_8));
                    case 2 -> d.body = concat(b, b);
                    case 3 -> d.body = concat(concat(b, "\r\n".getBytes(UTF_8)), b);
                    case 4 -> d.body = concat("{".getBytes(UTF_8), b);
                    default -> d.body = (text + "\n\n\n").getBytes(UTF_8);
                }
                return "framing: " + preview(d.body, 40) + "… (" + d.body.length + " bytes)";
            }
            default: {
                String[] charsets = { "UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32", "ISO-8859-1" };
                String charset = pick(r, charsets);
                d.body = new String(b, UTF_8).getBytes(Charset.forName(charset));
                if (r.nextBoolean() && d.contentType != null) {
                    d.contentType = d.contentType + "; charset=" + charset.toLowerCase(Locale.ROOT);
                }
                return "body re-encoded as " + charset;
            }
        }
    }

    private static final String[] CONTENT_TYPES = { "text/plain", "application/xml", null,
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=fuzz", "application/octet-stream",
            "application/json; charset=utf-16", "application/json; charset=bogus-charset", "application/x-ndjson",
            "text/html; charset=utf-8", "::::", "application/json, text/plain", "", "application/vnd.palisade+json",
            "APPLICATION/JSON; CHARSET=UTF-8", "application/json; charset=\"utf-8\"; boundary", "*/*",
            "application/problem+json", "image/png" };

    static String mutateContentType(Random r, Draft d) {
        if (d.body == null) {
            // a GET with a body of some type
            d.body = r.nextBoolean() ? "{\"top\":1}".getBytes(UTF_8) : randomAscii(r, 1 + r.nextInt(200));
            d.contentType = pick(r, CONTENT_TYPES);
            d.raw = true;
            return "GET with a body, Content-Type " + (d.contentType == null ? "(none)" : "'" + d.contentType + "'");
        }
        d.contentType = pick(r, CONTENT_TYPES);
        return "Content-Type " + (d.contentType == null ? "(none)" : "'" + d.contentType + "'");
    }

    // ------------------------------------------------------------------------------------------ query mutations

    static String mutateQuery(Random r, Draft d) {
        List<String[]> q = d.query;
        int op = r.nextInt(100);
        if (q.isEmpty() || op >= 90) {
            String[] added = { queryName(r, "filter"), String.valueOf(randomScalar(r)), null };
            q.add(r.nextInt(q.size() + 1), added);
            return "added parameter " + brief(added[0]) + "=" + brief(added[1]);
        }
        String[] p = pick(r, q);
        if (op < 15) {
            q.remove(p);
            return "dropped parameter " + p[0];
        }
        if (op < 25) {
            String[] copy = { p[0], r.nextBoolean() ? p[1] : String.valueOf(randomScalar(r)), p[2] };
            q.add(r.nextInt(q.size() + 1), copy);
            return "parameter " + p[0] + " twice, also = " + brief(copy[1]);
        }
        if (op < 35) {
            String old = p[0];
            p[0] = queryName(r, old);
            return "renamed parameter " + old + " to " + brief(p[0]);
        }
        if (op < 80) {
            String old = p[1];
            p[1] = String.valueOf(randomScalar(r));
            return "parameter " + p[0] + " = " + brief(p[1]) + " (was " + brief(old) + ")";
        }
        p[1] = "";
        return "parameter " + p[0] + " empty";
    }

    /** A parameter name: a weird key, short enough that the request line stays under 4 KiB. */
    static String queryName(Random r, String old) {
        String name = weirdKey(r, old);
        return name.length() > 100 ? name.substring(0, 100) : name;
    }

    /** Escapes that do not decode, percent-encoded invalid UTF-8, malformed pairs: raw in the query string. */
    static String garbleQuery(Random r, Draft d) {
        String[] garbage = { "%", "%zz", "%C3%28", "%FF", "%00", "%u0041", "+", "%2B", "%%", "%E2%80%AE", "%ED%A0%80",
                "%C0%AF", "%F4%90%80%80", "%0D%0A", "%25", "a%2", ";", "%3B%3D" };
        String g = pick(r, garbage);
        switch (r.nextInt(4)) {
            case 0, 1 -> {
                if (d.query.isEmpty()) {
                    d.query.add(new String[] { "q", g, "raw" });
                    return "parameter q=" + g;
                }
                String[] p = pick(r, d.query);
                p[0] = encode(p[0]);
                p[1] = r.nextBoolean() ? g : encode(p[1]) + g;
                p[2] = "raw";
                return "parameter " + p[0] + " = " + p[1] + " (raw)";
            }
            case 2 -> {
                String[] structure = { "&&", "=x", "top", "a=b=c", "&", "==", "top=1=2", "%26=%3D" };
                String s = pick(r, structure);
                d.query.add(r.nextInt(d.query.size() + 1), new String[] { s, null, "raw" });
                return "malformed pair '" + s + "'";
            }
            default -> {
                String[] p = d.query.isEmpty() ? addParam(d, "q") : pick(r, d.query);
                p[0] = g + encode(p[0]);
                p[1] = p[1] == null ? null : encode(p[1]);
                p[2] = "raw";
                return "parameter name " + p[0] + " (raw)";
            }
        }
    }

    static String heavyQuery(Random r, Draft d, Kind kind) {
        switch (kind) {
            case HUGE_STRING -> {
                String[] p = d.query.isEmpty() ? addParam(d, "q") : pick(r, d.query);
                p[1] = "a".repeat(2800);
                return "parameter " + p[0] + " of 2,800 characters (the request line stays under 4 KiB)";
            }
            case HUGE_ARRAY -> {
                String[] p = d.query.isEmpty() ? addParam(d, "status") : pick(r, d.query);
                int times = Math.min(150, 2500 / (encode(p[0]).length() + encode(p[1]).length() + 2));
                for (int i = 0; i < times; i++) {
                    d.query.add(new String[] { p[0], p[1], p[2] });
                }
                return "parameter " + p[0] + " " + times + " more times";
            }
            default -> {
                String[] p = d.query.isEmpty() ? addParam(d, "q") : pick(r, d.query);
                p[0] = encode(p[0]);
                p[1] = "[".repeat(1200) + "]".repeat(1200);
                p[2] = "raw";
                return "parameter " + p[0] + " nested 1,200 brackets deep (raw)";
            }
        }
    }

    private static String[] addParam(Draft d, String name) {
        String[] p = { name, "", null };
        d.query.add(p);
        return p;
    }

    // ------------------------------------------------------------------------------------------ edge values

    private static final List<Object> EDGE_STRINGS = values("", " ", "\u0000", "a\u0000b", "\t\r\n",
            "\u001b[31mred", "null", "undefined", "true", "0", "-1", "NaN", "Infinity", "\u202eevil", "\uD83D\uDE00",
            "\uD800", "\uDFFF\uD800", "ＡＢＣ", "<script>alert(1)</script>", "' OR '1'='1' --",
            "\"; DROP TABLE alerts; --", "../../../../etc/passwd", "${jndi:ldap://127.0.0.1:1/a}", "%s%s%s%n",
            "{{7*7}}", "\\", "*", "@allowed-users", "(a+)+$", "[", "system:anonymous", "system:masters",
            "cluster-admin", "file:///etc/passwd", "javascript:alert(1)", "a".repeat(4096), "é".repeat(3000),
            "\uFEFF", "e2e fuzz ✓", "x".repeat(70_000), " leading and trailing ", "UPPER", "0x7FFFFFFF",
            "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "not-a-uuid", "K8S_*",
            "K8S.NODE_", "kube-system", "default", "stream", "summary", "..", ".", "/", "?", "#", "&", "=");
    private static final List<Object> EDGE_TIMES = values("2026-02-30T00:00:00Z", "2026-01-01T00:00:00",
            "2026-01-01 00:00:00Z", "2026-01-01T00:00:00.1234567891234Z", "+10000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z", "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
            "2026-06-30T23:59:60Z", "2026-01-01t00:00:00z", "2026-01-01T00:00:00+18:00", "2026-01-01T00:00:00-18:00",
            "2026-01-01T00:00:00+25:00", "", " ", "now", "1700000000", "2100-01-01T00:00:00Z", "1900-01-01T00:00:00Z");
    private static final String[] EDGE_NUMBERS = { "0", "-0", "-1", "1", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e308", "1e309", "-1e309", "1.5",
            "1e-400", "123456789012345678901234567890", "1E2", "4.9e-324", "0.0000001", "-0.0", "1e2147483648" };
    private static final String[] INVALID_NUMBERS = { "NaN", "Infinity", "-Infinity", "01", ".5", "+1", "0x10", "1.",
            "1e", "--1" };

    static Object edgeNumber(Random r) {
        return Raw.of(r.nextInt(8) == 0 ? pick(r, INVALID_NUMBERS) : pick(r, EDGE_NUMBERS));
    }

    static Object randomScalar(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> pick(r, EDGE_TIMES);
            case 1 -> pick(r, new String[] { "-1", "0", "501", "2147483648", "99999999999999999999", "1e3", " 10",
                    "0x10", "1.5", "٣", "+5", "NaN" });
            default -> {
                Object s = pick(r, EDGE_STRINGS);
                // short enough that the request line stays under 4 KiB once percent-encoded
                yield s instanceof String str && str.length() > 300 ? str.substring(0, 300) : s;
            }
        };
    }

    static Object randomValue(Random r, int depth) {
        switch (r.nextInt(depth > 1 ? 6 : 8)) {
            case 0:
                return copy(pick(r, EDGE_STRINGS));
            case 1:
                return edgeNumber(r);
            case 2:
                return r.nextBoolean();
            case 3:
                return null;
            case 4:
                return new ArrayList<>();
            case 5:
                return new Obj();
            case 6: {
                List<Object> list = new ArrayList<>();
                for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                    list.add(randomValue(r, depth + 1));
                }
                return list;
            }
            default:
                return obj(weirdKey(r, "k"), randomValue(r, depth + 1));
        }
    }

    static Object otherType(Random r, Object old) {
        for (int i = 0; i < 20; i++) {
            Object candidate = randomValue(r, 0);
            if (!typeOf(candidate).equals(typeOf(old))) {
                return candidate;
            }
        }
        return old == null ? "null" : null;
    }

    static String weirdKey(Random r, String old) {
        String[] keys = { "", " ", "__proto__", "constructor", "$ref", "@type", "\u0000", "k".repeat(10_000),
                "\uD83D\uDE00", "a.b", "items", "records", "kind", "id" };
        return switch (r.nextInt(5)) {
            case 0 -> old.toUpperCase(Locale.ROOT);
            case 1 -> old + "\u200B";
            case 2 -> " " + old;
            default -> pick(r, keys);
        };
    }

    static String typeOf(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String || v instanceof Embedded || v instanceof Gzipped) {
            return "string";
        }
        if (v instanceof Number || v instanceof Raw) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        return v instanceof List<?> ? "array" : "object";
    }

    static boolean isLeaf(Object v) {
        return v == null || v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Raw;
    }

    /** Sets one named field (a path with / between names) of a JSON object to an edge value from {@code edges}. */
    static String edgeField(Random r, Obj target, Map<String, List<Object>> edges) {
        List<String> fields = new ArrayList<>(edges.keySet());
        java.util.Collections.sort(fields);
        String field = pick(r, fields);
        Object value = copy(pick(r, edges.get(field)));
        Obj at = target;
        String[] parts = field.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (!(at.get(parts[i]) instanceof Obj)) {
                at.set(parts[i], new Obj());
            }
            at = (Obj) at.get(parts[i]);
        }
        at.set(parts[parts.length - 1], value);
        return field + " = " + brief(value);
    }

    // ------------------------------------------------------------------------------------------ JSON values

    /** A JSON object: keys in order; a key may appear twice (the duplicate-field mutation). */
    static final class Obj {
        final List<String> keys = new ArrayList<>();
        final List<Object> values = new ArrayList<>();

        Obj put(String key, Object value) {
            keys.add(key);
            values.add(value);
            return this;
        }

        Object get(String key) {
            int i = keys.indexOf(key);
            return i < 0 ? null : values.get(i);
        }

        void set(String key, Object value) {
            int i = keys.indexOf(key);
            if (i < 0) {
                put(key, value);
            } else {
                values.set(i, value);
            }
        }
    }

    /** One value: the body's root, or a value written inside a string. */
    static class Box {
        Object value;

        Box(Object value) {
            this.value = value;
        }
    }

    /** Written as a JSON string holding the value's JSON (AKS properties.log, a CloudWatch log event's message). */
    static final class Embedded extends Box {
        Embedded(Object value) {
            super(value);
        }
    }

    /** Written as base64 of the gzip-compressed JSON of the value (a Firehose record's data). */
    static final class Gzipped extends Box {
        Gzipped(Object value) {
            super(value);
        }
    }

    /** Several JSON values, one per line (JSON Lines). */
    static final class Lines extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;

        Lines(Collection<?> values) {
            super(values);
        }
    }

    /** Written as it is: numbers JSON cannot hold, huge arrays, deep nesting. */
    record Raw(byte[] bytes) {
        static Raw of(String text) {
            return new Raw(text.getBytes(UTF_8));
        }
    }

    /** Where a value sits, with its path for the description. */
    record Slot(Object container, int index, String path) {
        Object get() {
            if (container instanceof Obj o) {
                return o.values.get(index);
            }
            if (container instanceof Box b) {
                return b.value;
            }
            return ((List<?>) container).get(index);
        }

        @SuppressWarnings("unchecked")
        void set(Object value) {
            if (container instanceof Obj o) {
                o.values.set(index, value);
            } else if (container instanceof Box b) {
                b.value = value;
            } else {
                ((List<Object>) container).set(index, value);
            }
        }
    }

    static List<Slot> slots(Box root) {
        List<Slot> out = new ArrayList<>();
        collect(root, 0, root.value, "$", out);
        return out;
    }

    private static void collect(Object container, int index, Object value, String path, List<Slot> out) {
        out.add(new Slot(container, index, path));
        if (value instanceof Obj o) {
            for (int i = 0; i < o.keys.size(); i++) {
                collect(o, i, o.values.get(i), path + "." + shortKey(o.keys.get(i)), out);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collect(list, i, list.get(i), path + "[" + i + "]", out);
            }
        } else if (value instanceof Box box) {
            collect(box, 0, box.value, path + (box instanceof Gzipped ? "<gzip>" : "<json>"), out);
        }
    }

    static byte[] json(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(value, out);
        return out.toByteArray();
    }

    private static void write(Object v, ByteArrayOutputStream out) {
        if (v == null) {
            out.writeBytes("null".getBytes(US_ASCII));
        } else if (v instanceof Raw raw) {
            out.writeBytes(raw.bytes());
        } else if (v instanceof String s) {
            writeString(s, out);
        } else if (v instanceof Boolean || v instanceof Number) {
            out.writeBytes(v.toString().getBytes(US_ASCII));
        } else if (v instanceof Obj o) {
            out.write('{');
            for (int i = 0; i < o.keys.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                writeString(o.keys.get(i), out);
                out.write(':');
                write(o.values.get(i), out);
            }
            out.write('}');
        } else if (v instanceof Lines lines) {
            for (int i = 0; i < lines.size(); i++) {
                if (i > 0) {
                    out.write('\n');
                }
                write(lines.get(i), out);
            }
        } else if (v instanceof List<?> list) {
            out.write('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                write(list.get(i), out);
            }
            out.write(']');
        } else if (v instanceof Gzipped g) {
            writeString(Base64.getEncoder().encodeToString(gzip(json(g.value))), out);
        } else if (v instanceof Embedded e) {
            // the inner JSON's bytes as they are (invalid UTF-8 stays invalid), escaped for a JSON string
            out.write('"');
            for (byte b : json(e.value)) {
                if (b == '"' || b == '\\') {
                    out.write('\\');
                    out.write(b);
                } else if (b >= 0 && b < 0x20) {
                    out.writeBytes(String.format("\\u%04x", (int) b).getBytes(US_ASCII));
                } else {
                    out.write(b);
                }
            }
            out.write('"');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass());
        }
    }

    /** A JSON string; lone surrogates are written as \\u escapes (valid JSON, invalid Unicode). */
    private static void writeString(String s, ByteArrayOutputStream out) {
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.write('\\');
                out.write(c);
            } else if (c < 0x20) {
                out.writeBytes(String.format("\\u%04x", (int) c).getBytes(US_ASCII));
            } else if (c < 0x80) {
                out.write(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.writeBytes(s.substring(i, i + 2).getBytes(UTF_8));
                i++;
            } else if (Character.isSurrogate(c)) {
                out.writeBytes(String.format("\\u%04x", (int) c).getBytes(US_ASCII));
            } else {
                out.writeBytes(String.valueOf(c).getBytes(UTF_8));
            }
        }
        out.write('"');
    }

    static Object copy(Object v) {
        if (v instanceof Obj o) {
            Obj c = new Obj();
            for (int i = 0; i < o.keys.size(); i++) {
                c.put(o.keys.get(i), copy(o.values.get(i)));
            }
            return c;
        }
        if (v instanceof Lines l) {
            return new Lines(l.stream().map(IngestAndApiFuzzTest::copy).toList());
        }
        if (v instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(x -> c.add(copy(x)));
            return c;
        }
        if (v instanceof Embedded e) {
            return new Embedded(copy(e.value));
        }
        if (v instanceof Gzipped g) {
            return new Gzipped(copy(g.value));
        }
        return v;
    }

    static Obj obj(Object... keysAndValues) {
        Obj o = new Obj();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            o.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return o;
    }

    static List<Object> values(Object... values) {
        return Arrays.asList(values);
    }

    static List<Object> list(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }

    // ------------------------------------------------------------------------------------------ targets

    /** What is fuzzed: how its valid request is made, and its own mutations. */
    static class Target {
        final String name;
        final String label;
        boolean ingest;
        boolean firehose;

        Target(String name, String label) {
            this.name = name;
            this.label = label;
        }

        Draft base(Random r, int index) {
            throw new UnsupportedOperationException();
        }

        String specific(Random r, Draft d, Kind kind) {
            return mutateTree(r, d);
        }

        /** Wrong or odd credentials. */
        String auth(Random r, Draft d) {
            String alice = Tokens.of("alice");
            String[] variants = { null, "Bearer", "Bearer garbage", "Bearer " + tamper(alice),
                    "Basic YWxpY2U6bm90LXRoZS1wYXNzd29yZA==", "Bearer " + Tokens.of("bob"),
                    "Bearer " + Tokens.of("carol"), "Bearer " + ingestToken, "Bearer " + alice + ", Bearer " + alice,
                    "bearer " + alice, "Bearer " + "x".repeat(6000), "Negotiate " + alice };
            String value = pick(r, variants);
            d.headers.put("Authorization", value);
            return "Authorization: " + (value == null ? "(none)" : truncate(redact(value), 60));
        }
    }

    static String tamper(String jwt) {
        char last = jwt.charAt(jwt.length() - 2);
        return jwt.substring(0, jwt.length() - 2) + (last == 'A' ? 'B' : 'A') + jwt.charAt(jwt.length() - 1);
    }

    /** An ingest target: the cluster's ingest token. */
    abstract static class IngestTarget extends Target {
        IngestTarget(String name, String path) {
            super(name, "POST " + path);
            this.ingest = true;
        }

        Draft draft(String path) {
            Draft d = new Draft();
            d.path = path;
            d.headers.put("Authorization", "Bearer " + ingestToken);
            return d;
        }

        @Override
        String auth(Random r, Draft d) {
            String[] variants = { null, "Bearer", "Bearer    ", "Bearer pit_" + hex(r, 32),
                    "Bearer " + ingestToken.toUpperCase(Locale.ROOT), "bearer " + ingestToken,
                    "Basic " + Base64.getEncoder().encodeToString(("cluster:" + ingestToken).getBytes(UTF_8)),
                    "Bearer " + Tokens.of("alice"), "Bearer " + ingestToken + " extra",
                    "Bearer " + "x".repeat(6000), "Token " + ingestToken,
                    "Bearer " + ingestToken.substring(0, ingestToken.length() - 1),
                    "Bearer " + ingestToken + "," + ingestToken };
            String value = pick(r, variants);
            d.headers.put("Authorization", value);
            return "Authorization: " + (value == null ? "(none)" : truncate(redact(value), 60));
        }
    }

    private static final Map<String, List<Object>> AUDIT_EDGES = Map.ofEntries(
            Map.entry("stageTimestamp", EDGE_TIMES), Map.entry("requestReceivedTimestamp", EDGE_TIMES),
            Map.entry("auditID", values("", " ", "a".repeat(129), "a".repeat(100_000), "\u0000",
                    "\uD800", "../x", "id with spaces", "\uD83D\uDE00", Raw.of("123"), null, list())),
            Map.entry("verb", values("", "GET", "*", "impersonate", "escalate", "bind", "x".repeat(5000),
                    "\u0000", Raw.of("1"), list("get"))),
            Map.entry("stage", values("", "Panic", "RequestReceived", "ResponseStarted", "responsecomplete",
                    Raw.of("0"))),
            Map.entry("level", values("", "None", "Metadata", "Request", "RequestResponse", "Everything")),
            Map.entry("apiVersion", values("audit.k8s.io/v1beta1", "audit.k8s.io/v2", "v1", "", null,
                    Raw.of("1"))),
            Map.entry("kind", values("Event", "EventList", "Pod", "", null, Raw.of("1"))),
            Map.entry("sourceIPs", values(list("not-an-ip"), list("::ffff:203.0.113.9"), list("1.2.3.4/33"),
                    "1.2.3.4", list(), list((Object) null), list(Raw.of("1")), list("999.1.1.1"),
                    list("fe80::1%eth0"), list("0.0.0.0"), list("2001:db8::1", "198.51.100.1", "x".repeat(300)))),
            Map.entry("user", values(new Obj(), "alice", list(), obj("username", null),
                    obj("username", list("a", "b")), obj("groups", "system:masters"))),
            Map.entry("user/username", EDGE_STRINGS),
            Map.entry("user/groups", values("system:masters", list(Raw.of("1")), list(list()),
                    list("system:masters", "system:authenticated"), new Obj())),
            Map.entry("user/extra", values(list(), "x", obj("a", "b"), obj("a", list(new Obj())))),
            Map.entry("impersonatedUser", values(obj("username", "system:admin"), "x", list())),
            Map.entry("objectRef", values(null, "pods", list(), new Obj())),
            Map.entry("objectRef/resource", EDGE_STRINGS), Map.entry("objectRef/namespace", EDGE_STRINGS),
            Map.entry("objectRef/name", EDGE_STRINGS),
            Map.entry("objectRef/subresource", values("exec", "attach", "portforward", "proxy", "", list())),
            Map.entry("responseStatus", values("200", list(), null, obj("code", obj()))),
            Map.entry("responseStatus/code", values(Raw.of("-1"), Raw.of("0"), Raw.of("99999999999"),
                    "200", Raw.of("1.5"), null, Raw.of("1e309"), Raw.of("2.0E2"))),
            Map.entry("requestObject", values("string", list(), obj("spec", "x"),
                    obj("spec", obj("containers", "x")),
                    obj("kind", "Pod", "spec", obj("containers", list(null, Raw.of("1"), "x",
                            obj("securityContext", "privileged")))),
                    obj("kind", "Pod", "spec", obj("containers", list(obj("image", list(), "securityContext",
                            obj("privileged", "true", "capabilities", obj("add", "SYS_ADMIN")))))),
                    obj("kind", "Pod", "spec", obj("volumes", list(obj("hostPath", obj("path", list()))),
                            "hostNetwork", "yes", "hostPID", Raw.of("1"))),
                    obj("kind", "ClusterRole", "rules", list(obj("verbs", "*", "resources", Raw.of("7")))),
                    obj("kind", "RoleBinding", "roleRef", "cluster-admin", "subjects", obj()),
                    obj("kind", "Deployment", "spec", obj("template", list())))),
            Map.entry("responseObject", values("x", list(), obj("status", obj("phase", list())))),
            Map.entry("userAgent", EDGE_STRINGS), Map.entry("requestURI", EDGE_STRINGS),
            Map.entry("annotations", values(list(), "x", obj("a", new Obj()),
                    obj("authorization.k8s.io/decision", "forbid", "authorization.k8s.io/reason", Raw.of("1")))));

    /** An audit event as an API server writes it; one of a few kinds of request, none a cluster-admin binding. */
    static Obj auditEvent(Random r, Instant t) {
        String ns = "fuzz-" + hex(r, 6);
        int variant = r.nextInt(4);
        String user = variant == 1 ? "fuzz-user@example.com" : "system:serviceaccount:" + ns + ":fuzzer";
        String verb = variant < 2 ? "get" : "create";
        String resource = variant == 1 ? "secrets" : "pods";
        String name = variant == 1 ? "db-credentials" : "web-" + r.nextInt(10);
        int code = variant == 3 ? 101 : variant == 2 ? 201 : 200;
        Obj objectRef = obj("resource", resource, "namespace", ns, "name", name, "apiVersion", "v1");
        if (variant == 3) {
            objectRef.put("subresource", "exec");
        }
        Obj event = obj("kind", "Event", "apiVersion", "audit.k8s.io/v1",
                "level", variant == 2 ? "RequestResponse" : "Metadata", "auditID", uuid(r).toString(),
                "stage", "ResponseComplete",
                "requestURI", "/api/v1/namespaces/" + ns + "/" + resource + "/" + name + (variant == 3
                        ? "/exec?command=sh&stdin=true&tty=true" : ""),
                "verb", verb,
                "user", obj("username", user, "uid", uuid(r).toString(), "groups",
                        list("system:serviceaccounts", "system:authenticated"),
                        "extra", obj("authentication.kubernetes.io/pod-name", list("fuzz-pod"))),
                "sourceIPs", list("198.51.100." + (1 + r.nextInt(250))), "userAgent", "kubectl/v1.32.0 (linux/amd64)",
                "objectRef", objectRef, "responseStatus", obj("metadata", new Obj(), "code", code));
        if (variant == 2) {
            event.put("requestObject", obj("apiVersion", "v1", "kind", "Pod",
                    "metadata", obj("name", name, "namespace", ns, "labels", obj("app", "fuzz")),
                    "spec", obj("containers", list(obj("name", "app", "image", "registry.example.com/fuzz/app:1.0",
                            "securityContext", obj("privileged", false, "runAsNonRoot", true),
                            "volumeMounts", list(obj("name", "data", "mountPath", "/data")),
                            "ports", list(obj("containerPort", 8080)))),
                            "volumes", list(obj("name", "data", "emptyDir", new Obj())), "hostNetwork", false,
                            "serviceAccountName", "default")));
        }
        event.put("requestReceivedTimestamp", TIME.format(t));
        event.put("stageTimestamp", TIME.format(t.plusMillis(3)));
        event.put("annotations", obj("authorization.k8s.io/decision", "allow", "authorization.k8s.io/reason", ""));
        return event;
    }

    static List<Obj> auditEvents(Random r, Draft d, int n) {
        Instant now = Instant.now();
        List<Obj> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(auditEvent(r, now));
        }
        d.events.addAll(events);
        return events;
    }

    static final class AuditWebhook extends IngestTarget {
        AuditWebhook() {
            super("k8s-audit", "/ingest/k8s-audit");
        }

        @Override
        Draft base(Random r, int index) {
            Draft d = draft("/ingest/k8s-audit");
            List<Obj> events = auditEvents(r, d, 1 + r.nextInt(3));
            int form = r.nextInt(100);
            Object body = form < 60 ? eventList(events) : form < 75 ? events.get(0)
                    : form < 90 ? new ArrayList<Object>(events) : new Lines(events);
            d.root = new Box(body);
            return d;
        }

        static Obj eventList(List<?> events) {
            return obj("kind", "EventList", "apiVersion", "audit.k8s.io/v1", "metadata", new Obj(), "items",
                    new ArrayList<Object>(events));
        }

        @Override
        String specific(Random r, Draft d, Kind kind) {
            switch (r.nextInt(10)) {
                case 0, 1, 2, 3:
                    return "event field " + edgeField(r, pick(r, d.events), AUDIT_EDGES);
                case 4: {
                    List<Obj> many = auditEvents(r, d, 200);
                    d.root.value = eventList(many);
                    return "an EventList of 200 events";
                }
                case 5: {
                    // more events than one request may carry (5000): refused whole, with a 413
                    StringBuilder b = new StringBuilder("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\","
                            + "\"items\":[");
                    String at = TIME.format(Instant.now());
                    for (int i = 0; i < 5001; i++) {
                        b.append(i == 0 ? "" : ",").append("{\"auditID\":\"fuzz-").append(NONCE).append('-')
                                .append(i).append("\",\"verb\":\"get\",\"stage\":\"ResponseComplete\","
                                        + "\"stageTimestamp\":\"").append(at).append("\"}");
                    }
                    d.body = b.append("]}").toString().getBytes(UTF_8);
                    return "5,001 minimal events (the limit is 5,000)";
                }
                case 6: {
                    String line = new String(json(d.events.get(0)), UTF_8);
                    String[] forms = { line + "\r\n" + line, "\n\n" + line + "\n\n", line + "\n{", "\uFEFF" + line
                            + "\n\uFEFF" + line, line + "\n[]\n" + line, line + " " + line, line + "\nnull" };
                    d.body = pick(r, forms).getBytes(UTF_8);
                    return "JSON Lines oddity: " + preview(d.body, 20);
                }
                case 7: {
                    Object[] items = { null, new Obj(), "x", list(), list(list()), list(eventList(d.events)),
                            list(obj("kind", "Event")), Raw.of("1") };
                    Object items0 = copy(pick(r, items));
                    d.root.value = obj("kind", "EventList", "apiVersion", "audit.k8s.io/v1", "items", items0);
                    return "EventList items = " + brief(items0);
                }
                case 8: {
                    Obj e = d.events.get(0);
                    d.root.value = eventList(list(e, e, e));
                    return "the same event three times";
                }
                default: {
                    List<Object> items = new ArrayList<>(d.events);
                    items.add(r.nextInt(items.size() + 1), obj("kind", "Event", "auditID", "half", "verb", "get"));
                    d.root.value = eventList(items);
                    return "valid events and one without stage and time";
                }
            }
        }
    }

    static final class Firehose extends IngestTarget {
        private static String bomb;

        Firehose() {
            super("eks", "/ingest/eks");
            this.firehose = true;
        }

        @Override
        Draft base(Random r, int index) {
            Draft d = new Draft();
            d.path = "/ingest/eks";
            String requestId = uuid(r).toString();
            d.headers.put("X-Amz-Firehose-Access-Key", ingestToken);
            d.headers.put("X-Amz-Firehose-Request-Id", requestId);
            d.headers.put("X-Amz-Firehose-Protocol-Version", "1.0");
            List<Object> records = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                Obj payload = payload(r, d, 1 + r.nextInt(3));
                d.payloads.add(payload);
                Obj record = obj("data", new Gzipped(payload));
                d.records.add(record);
                records.add(record);
            }
            d.root = new Box(obj("requestId", requestId, "timestamp", System.currentTimeMillis(), "records", records));
            return d;
        }

        static Obj payload(Random r, Draft d, int events) {
            List<Object> logEvents = new ArrayList<>();
            for (Obj event : auditEvents(r, d, events)) {
                logEvents.add(obj("id", String.valueOf(Math.abs(r.nextLong())), "timestamp",
                        System.currentTimeMillis(), "message", new Embedded(event)));
            }
            return obj("messageType", "DATA_MESSAGE", "owner", "123456789012", "logGroup", "/aws/eks/fuzz/cluster",
                    "logStream", "kube-apiserver-audit-" + hex(r, 32), "subscriptionFilters", list("palisade"),
                    "logEvents", logEvents);
        }

        @Override
        String specific(Random r, Draft d, Kind kind) {
            Obj record = pick(r, d.records);
            if (kind == Kind.GZIP_BOMB) {
                record.set("data", bomb());
                return "gzip bomb: 1 GiB of zeros in ~1 MiB (the decompression budget is 64 MiB)";
            }
            if (kind == Kind.GZIP_BOMB_UNDER_BUDGET) {
                // four records of a valid payload padded to 15 MiB each: 60 MiB decompressed, just under the budget
                byte[] padded = concat(json(d.payloads.get(0)), " ".repeat(15 * MIB).getBytes(US_ASCII));
                String data = Base64.getEncoder().encodeToString(gzip(padded));
                List<Object> records = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    records.add(obj("data", data));
                }
                ((Obj) d.root.value).set("records", records);
                return "4 records of 15 MiB each once decompressed (60 MiB, under the 64 MiB budget)";
            }
            byte[] payload = json(d.payloads.get(0));
            switch (r.nextInt(16)) {
                case 0: {
                    String[] invalid = { "!!!!", "YWJj=", "YWJj====", "YWJ", "-_-_", "H4sI\nAAAA", "", "=",
                            "ä", "H4sIAAAAAAAA/%%%", " H4sI ", "\u0000" };
                    String data = pick(r, invalid);
                    record.set("data", data);
                    return "data is not base64: " + brief(data);
                }
                case 1: {
                    byte[][] notGzip = { payload, new byte[0], randomBytes(r, 1 + r.nextInt(500)),
                            "H4sI".getBytes(US_ASCII), { 0x1f, (byte) 0x8b } };
                    byte[] data = notGzip[r.nextInt(notGzip.length)];
                    record.set("data", Base64.getEncoder().encodeToString(data));
                    return "data is base64 of " + data.length + " bytes that are not gzip";
                }
                case 2: {
                    byte[][] notJson = { randomBytes(r, 1 + r.nextInt(500)), new byte[0],
                            Arrays.copyOf(payload, r.nextInt(payload.length)), concat(payload, new byte[] { (byte) 0xFF }),
                            "   ".getBytes(US_ASCII), "null".getBytes(US_ASCII), "[1,2]".getBytes(US_ASCII) };
                    byte[] data = notJson[r.nextInt(notJson.length)];
                    record.set("data", Base64.getEncoder().encodeToString(gzip(data)));
                    return "data is gzip of " + data.length + " bytes that are not a CloudWatch Logs payload: "
                            + preview(data, 30);
                }
                case 3: {
                    byte[] gz = gzip(payload);
                    int at = r.nextInt(gz.length);
                    record.set("data", Base64.getEncoder().encodeToString(Arrays.copyOf(gz, at)));
                    return "gzip truncated at byte " + at + " of " + gz.length;
                }
                case 4: {
                    byte[] gz = gzip(payload);
                    gz[10 + r.nextInt(gz.length - 10)] ^= (byte) (1 + r.nextInt(255));
                    record.set("data", Base64.getEncoder().encodeToString(gz));
                    return "gzip with a corrupted byte";
                }
                case 5: {
                    byte[] gz = gzip(payload);
                    boolean twoMembers = r.nextBoolean();
                    record.set("data", Base64.getEncoder().encodeToString(twoMembers ? concat(gz, gzip(payload))
                            : concat(gz, "garbage".getBytes(US_ASCII))));
                    return twoMembers ? "two gzip members in one record" : "gzip followed by garbage";
                }
                case 6:
                    d.payloads.get(0).set("messageType", "CONTROL_MESSAGE");
                    return "a CloudWatch CONTROL_MESSAGE";
                case 7:
                    d.payloads.get(0).set("logStream", pick(r, new String[] { "authenticator-0f1e", "", "kube-apiserver-",
                            "KUBE-APISERVER-AUDIT-1" }));
                    return "logStream not an audit stream";
                case 8: {
                    Obj logEvent = (Obj) ((List<?>) d.payloads.get(0).get("logEvents")).get(0);
                    Object[] messages = { new String(json(d.events.get(0)), UTF_8) + "[Truncated...]",
                            d.events.get(0), Raw.of("1"), null, "", "{", list() };
                    Object message = pick(r, messages);
                    logEvent.set("message", message);
                    return "log event message = " + brief(message);
                }
                case 9: {
                    List<Object> records = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        records.add(obj("data", new Gzipped(payload(r, d, 1))));
                    }
                    ((Obj) d.root.value).set("records", records);
                    return "200 records";
                }
                case 10: {
                    Object[] ids = { null, Raw.of("1"), "", " ", "x".repeat(100_000), list(), "\u0000" };
                    Object id = pick(r, ids);
                    ((Obj) d.root.value).set("requestId", id);
                    return "requestId = " + brief(id);
                }
                case 11: {
                    Object[] records = { null, new Obj(), "x", list(), list((Object) null), list("x"),
                            list(obj("data", Raw.of("1"))), list(obj()) };
                    Object value = copy(pick(r, records));
                    ((Obj) d.root.value).set("records", value);
                    return "records = " + brief(value);
                }
                default:
                    return "audit event field " + edgeField(r, pick(r, d.events), AUDIT_EDGES);
            }
        }

        /** 1 GiB of zeros as one gzip member of ~1 MiB: a block of 1 MiB of zeros repeated (zeros refer to zeros). */
        static synchronized String bomb() {
            if (bomb == null) {
                Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
                deflater.setInput(new byte[MIB]);
                ByteArrayOutputStream block = new ByteArrayOutputStream();
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
                    block.write(buffer, 0, n);
                }
                deflater.finish();
                ByteArrayOutputStream end = new ByteArrayOutputStream();
                while (!deflater.finished()) {
                    end.write(buffer, 0, deflater.deflate(buffer));
                }
                deflater.end();
                CRC32 crc = new CRC32();
                byte[] zeros = new byte[MIB];
                ByteArrayOutputStream gz = new ByteArrayOutputStream(1_200_000);
                gz.writeBytes(new byte[] { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff });
                for (int i = 0; i < 1024; i++) {
                    gz.writeBytes(block.toByteArray());
                    crc.update(zeros);
                }
                gz.writeBytes(end.toByteArray());
                long c = crc.getValue();
                long size = 1L << 30;
                for (int i = 0; i < 4; i++) {
                    gz.write((int) (c >>> (8 * i)) & 0xff);
                }
                for (int i = 0; i < 4; i++) {
                    gz.write((int) (size >>> (8 * i)) & 0xff);
                }
                bomb = Base64.getEncoder().encodeToString(gz.toByteArray());
            }
            return bomb;
        }

        @Override
        String auth(Random r, Draft d) {
            switch (r.nextInt(6)) {
                case 0:
                    d.headers.put("X-Amz-Firehose-Access-Key", null);
                    return "no access key, no Authorization";
                case 1:
                    d.headers.put("X-Amz-Firehose-Access-Key", null);
                    d.headers.put("Authorization", "Bearer " + ingestToken);
                    return "the token as Authorization instead of the access key";
                case 2:
                    d.headers.put("X-Amz-Firehose-Access-Key", "pit_" + hex(r, 32));
                    d.headers.put("Authorization", "Bearer " + ingestToken);
                    return "a wrong access key beside the right Authorization";
                case 3:
                    d.headers.put("X-Amz-Firehose-Access-Key", Tokens.of("alice"));
                    return "a user token as access key";
                case 4:
                    d.headers.put("X-Amz-Firehose-Access-Key", " ");
                    return "a blank access key";
                default:
                    d.headers.put("X-Amz-Firehose-Access-Key", ingestToken + "\t");
                    return "the access key with a trailing tab";
            }
        }
    }

    static final class AksRecords extends IngestTarget {
        AksRecords() {
            super("aks", "/ingest/aks");
        }

        @Override
        Draft base(Random r, int index) {
            Draft d = draft("/ingest/aks");
            List<Object> records = new ArrayList<>();
            for (Obj event : auditEvents(r, d, 1 + r.nextInt(3))) {
                Obj record = obj("time", TIME.format(Instant.now()),
                        "resourceId", "/SUBSCRIPTIONS/" + uuid(r).toString().toUpperCase(Locale.ROOT)
                                + "/RESOURCEGROUPS/FUZZ-RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/FUZZ-AKS",
                        "category", r.nextInt(4) == 0 ? "kube-audit-admin" : "kube-audit",
                        "operationName", "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
                        "properties", obj("log", r.nextInt(4) == 0 ? event : new Embedded(event), "stream", "stdout",
                                "pod", "kube-apiserver-" + hex(r, 6), "containerID", hex(r, 64)));
                d.records.add(record);
                records.add(record);
            }
            d.root = new Box(r.nextInt(100) < 85 ? obj("records", records) : new Lines(records));
            return d;
        }

        @Override
        String specific(Random r, Draft d, Kind kind) {
            Obj record = pick(r, d.records);
            switch (r.nextInt(8)) {
                case 0: {
                    Object[] logs = { null, Raw.of("1"), "", "{", list(), new Embedded(new Embedded(d.events.get(0))),
                            "null", "[]", new Embedded("just a string") };
                    Object log = copy(pick(r, logs));
                    ((Obj) record.get("properties")).set("log", log);
                    return "properties.log = " + brief(log);
                }
                case 1: {
                    Object[] categories = { "kube-apiserver", "guard", "KUBE-AUDIT", "", null, Raw.of("1"), list(),
                            "kube-audit ", "cluster-autoscaler" };
                    Object category = pick(r, categories);
                    record.set("category", category);
                    return "category = " + brief(category);
                }
                case 2: {
                    Object[] envelopes = { obj("records", null), obj("records", new Obj()), obj("records", list()),
                            obj("records", "x"), obj("records", list(Raw.of("1"))), obj("value", list(record)),
                            obj("records", list(record), "category", "kube-audit") };
                    Object envelope = pick(r, envelopes);
                    d.root.value = envelope;
                    return "envelope " + brief(envelope);
                }
                case 3: {
                    Object[] ids = { null, Raw.of("1"), "", "x".repeat(10_000), "/subscriptions/x", list() };
                    Object id = pick(r, ids);
                    record.set("resourceId", id);
                    return "resourceId = " + brief(id);
                }
                case 4: {
                    List<Object> records = new ArrayList<>();
                    for (Obj event : auditEvents(r, d, 200)) {
                        records.add(obj("category", "kube-audit", "properties", obj("log", new Embedded(event))));
                    }
                    d.root.value = obj("records", records);
                    return "200 records";
                }
                case 5:
                    record.set("properties", pick(r, new Object[] { null, "x", list(), new Obj() }));
                    return "properties = " + brief(record.get("properties"));
                default:
                    return "audit event field " + edgeField(r, pick(r, d.events), AUDIT_EDGES);
            }
        }
    }

    private static final Map<String, List<Object>> FALCO_EDGES = Map.ofEntries(
            Map.entry("priority", values("notice", "INFO", "", "Emergency ", "Critical\u0000", "Urgent",
                    Raw.of("5"), null, list("Notice"))),
            Map.entry("time", EDGE_TIMES), Map.entry("rule", EDGE_STRINGS), Map.entry("output", EDGE_STRINGS),
            Map.entry("output_fields", values("x", list(), null, Raw.of("1"),
                    obj("k8s.ns.name", list(), "k8s.pod.name", new Obj(), "container.id", Raw.of("1")),
                    obj("proc.cmdline", "x".repeat(100_000)))),
            Map.entry("output_fields/k8s.ns.name", EDGE_STRINGS),
            Map.entry("output_fields/container.image.repository", EDGE_STRINGS),
            Map.entry("output_fields/proc.cmdline", EDGE_STRINGS),
            Map.entry("tags", values("mitre_execution", list(list("x")), list(Raw.of("1"), null), new Obj(),
                    list("T9999", "ta9999", "mitre_", ""))),
            Map.entry("hostname", EDGE_STRINGS), Map.entry("source", EDGE_STRINGS),
            Map.entry("uuid", EDGE_STRINGS));

    static final class FalcoSensor extends IngestTarget {
        FalcoSensor() {
            super("falco", "/ingest/falco");
        }

        static Obj event(Random r) {
            String[] rules = { "Terminal shell in container", "Read sensitive file untrusted", "E2E fuzz rule" };
            String[] priorities = { "Notice", "Warning", "Informational", "Debug", "Critical" };
            return obj("uuid", uuid(r).toString(),
                    "output", "Notice A shell was spawned in a container with an attached terminal (user=root "
                            + "k8s.ns=fuzz container=" + hex(r, 12) + ")",
                    "priority", pick(r, priorities), "rule", pick(r, rules), "time", TIME.format(Instant.now()),
                    "source", "syscall", "hostname", "worker-" + r.nextInt(5),
                    "tags", list("container", "shell", "mitre_execution", "T1059"),
                    "output_fields", obj("container.id", hex(r, 12), "container.image.repository",
                            "docker.io/library/nginx", "k8s.ns.name", "fuzz-" + hex(r, 4), "k8s.pod.name", "web-0",
                            "proc.cmdline", "bash -i", "user.name", "root", "evt.time", 1_700_000_000_000_000_000L,
                            "fd.name", null));
        }

        @Override
        Draft base(Random r, int index) {
            Draft d = draft("/ingest/falco");
            for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                d.events.add(event(r));
            }
            int form = r.nextInt(100);
            d.root = new Box(form < 60 ? d.events.get(0) : form < 85 ? new ArrayList<Object>(d.events)
                    : new Lines(d.events));
            return d;
        }

        @Override
        String specific(Random r, Draft d, Kind kind) {
            switch (r.nextInt(6)) {
                case 0: {
                    List<Object> many = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        many.add(event(r));
                    }
                    d.root.value = many;
                    return "300 events";
                }
                case 1: {
                    String line = new String(json(d.events.get(0)), UTF_8);
                    String[] forms = { line + "\r\n" + line, "\n" + line + "\n\n", line + "\n{", line + "\n[]",
                            "[" + line + "," + line + "]\n" + line };
                    d.body = pick(r, forms).getBytes(UTF_8);
                    return "lines oddity: " + preview(d.body, 20);
                }
                default:
                    return "field " + edgeField(r, pick(r, d.events), FALCO_EDGES);
            }
        }
    }

    /** An API target: alice's token, a JSON body (or query parameters), its own edge values. */
    static class ApiTarget extends Target {
        private final java.util.function.BiFunction<Random, Integer, Draft> base;
        private final Map<String, List<Object>> edges;
        private final List<String> paths;

        ApiTarget(String name, String label, java.util.function.BiFunction<Random, Integer, Draft> base,
                Map<String, List<Object>> edges, List<String> paths) {
            super(name, label);
            this.base = base;
            this.edges = edges;
            this.paths = paths;
        }

        @Override
        Draft base(Random r, int index) {
            Draft d = base.apply(r, index);
            d.headers.put("Authorization", "Bearer " + Tokens.of("alice"));
            return d;
        }

        @Override
        String specific(Random r, Draft d, Kind kind) {
            int p = r.nextInt(10);
            if (p < 3 && !paths.isEmpty()) {
                String path = pick(r, paths);
                d.path = path;
                return "path " + truncate(path, 120);
            }
            if (p < 4 && d.method.equals("PUT") && d.path.startsWith("/api/connectors/")) {
                String[] tags = { "garbage", "\"999999\"", "W/\"1\"", "*", "\"-1\"", "\"99999999999999999999\"", "\"\"",
                        "\"1\", \"2\"", "1" };
                String tag = pick(r, tags);
                d.headers.put("If-Match", tag);
                return "If-Match: " + tag;
            }
            if (d.root != null && d.root.value instanceof Obj o && !edges.isEmpty()) {
                return "field " + edgeField(r, o, edges);
            }
            if (d.query != null && !edges.isEmpty()) {
                List<String> names = new ArrayList<>(edges.keySet());
                java.util.Collections.sort(names);
                String name = pick(r, names);
                Object value = pick(r, edges.get(name));
                d.query.removeIf(q -> q[0].equals(name));
                d.query.add(new String[] { name, String.valueOf(value), null });
                return "parameter " + name + " = " + brief(value);
            }
            return mutateTree(r, d);
        }
    }

    static Draft api(String method, String path, Object body) {
        Draft d = new Draft();
        d.method = method;
        d.path = path;
        if (body != null) {
            d.root = new Box(body);
        } else {
            d.contentType = null;
        }
        return d;
    }

    static List<String> badIds(String prefix, String suffix) {
        return List.of(prefix + UUID.randomUUID() + suffix, prefix + "not-a-uuid" + suffix, prefix + "%00" + suffix,
                prefix + "a".repeat(2000) + suffix, prefix + "..%2F..%2Fq%2Fhealth" + suffix,
                prefix + "%E2%80%AE" + suffix, prefix + "%C3%28" + suffix, prefix + "00000000-0000-0000-0000-000000000000"
                        + suffix, prefix + "%20" + suffix);
    }

    private static final List<Object> BOOLEANS = values("true", "yes", Raw.of("1"), null, list(), new Obj());

    List<Target> targets() {
        String sandbox = "/api/connectors/" + sandboxId;
        List<Target> targets = new ArrayList<>();
        targets.add(new AuditWebhook());
        targets.add(new Firehose());
        targets.add(new AksRecords());
        targets.add(new FalcoSensor());

        targets.add(new ApiTarget("connectors-post", "POST /api/connectors", (r, i) -> {
            String[][] environments = { { "OnPrem", "dc-fuzz" }, { "OnPrem", null }, { "AwsAccount", "123456789012" },
                    { "AzureSubscription", uuid(r).toString() }, { "GcpProject", "123456789" } };
            String[] environment = i == 0 ? environments[0] : environments[r.nextInt(environments.length)];
            Obj body = obj("environment", environment[0], "displayName", "e2e fuzz " + NONCE + " " + i);
            if (environment[1] != null) {
                body.put("hierarchyIdentifier", environment[1]);
            }
            body.put("regions", list("dc-1", "dc-2"));
            body.put("containersOffering", obj("auditLogAutoProvisioning", true, "sensorAutoProvisioning", true,
                    "agentlessDiscovery", r.nextBoolean(), "policyAgent", r.nextBoolean()));
            Draft d = api("POST", "/api/connectors", body);
            d.cleanup = "/api/connectors/";
            return d;
        }, Map.of("environment", values("onprem", "ONPREM", "Kubernetes", "", null, Raw.of("0"), list("OnPrem")),
                "displayName", EDGE_STRINGS, "hierarchyIdentifier", EDGE_STRINGS,
                "regions", values(list(""), list("x".repeat(65)), new ArrayList<>(java.util.Collections
                        .nCopies(51, "r")), list(Raw.of("1")), "dc-1", list((Object) null)),
                "containersOffering/auditLogAutoProvisioning", BOOLEANS, "containersOffering", BOOLEANS),
                List.of()));

        targets.add(new ApiTarget("connectors-put", "PUT /api/connectors/{id}", (r, i) ->
                api("PUT", sandbox, obj("environment", "OnPrem", "hierarchyIdentifier", "dc-fuzz",
                        "displayName", "e2e fuzz sandbox " + NONCE, "regions", list("dc-" + r.nextInt(9)),
                        "containersOffering", obj("auditLogAutoProvisioning", r.nextBoolean(), "sensorAutoProvisioning",
                                r.nextBoolean()))),
                Map.of("environment", values("AwsAccount", "", null, Raw.of("1")),
                        "hierarchyIdentifier", values("other-dc", "", null),
                        "displayName", EDGE_STRINGS, "regions", values(list(""), "x", null),
                        "containersOffering/policyAgent", BOOLEANS),
                badIds("/api/connectors/", "")));

        targets.add(new ApiTarget("clusters-post", "POST /api/connectors/{id}/clusters", (r, i) -> {
            Draft d = api("POST", sandbox + "/clusters", obj("name", "fuzz-" + NONCE + "-" + i, "kind", "OnPrem",
                    "region", "dc-fuzz-1"));
            d.cleanup = sandbox + "/clusters/";
            return d;
        }, Map.of("name", EDGE_STRINGS, "kind", values("AKS", "EKS", "GKE", "onprem", "", null, Raw.of("1")),
                "region", EDGE_STRINGS,
                "kubernetesApi", values(obj("serverUrl", "https://127.0.0.1:1", "bearerToken", "fuzz"),
                        obj("serverUrl", "ftp://x", "bearerToken", "x"), obj("serverUrl", "https://[::1", "bearerToken",
                                "x"), obj("serverUrl", "https://127.0.0.1:1", "bearerToken", "x",
                                        "certificateAuthorityData", "!!!not base64"),
                        obj("kubeconfig", billionLaughs()), obj("kubeconfig", "{{{{"), obj("kubeconfig",
                                "clusters: []"), obj("kubeconfig", "!!java.net.URL [\"http://127.0.0.1:1/\"]"),
                        obj("kubeconfig", "x", "serverUrl", "https://127.0.0.1:1"), "x", list(), new Obj())),
                badIds("/api/connectors/", "/clusters")));

        targets.add(new ApiTarget("plans-put", "PUT /api/plans/{id}/Containers", (r, i) ->
                api("PUT", "/api/plans/" + sandboxId + "/Containers", obj("pricingTier", "Standard",
                        "extensions", list(obj("name", "AuditLogCollection", "isEnabled", true),
                                obj("name", "ContainerSensor", "isEnabled", r.nextBoolean())),
                        "auditLogRetentionDays", 1 + r.nextInt(365))),
                Map.of("pricingTier", values("standard", "Premium", "", null, Raw.of("1"), list("Free")),
                        "auditLogRetentionDays", values(Raw.of("0"), Raw.of("-1"), Raw.of("366"),
                                Raw.of("2147483648"), Raw.of("1.5"), "14", null, Raw.of("1e3")),
                        "extensions", values(list(obj("name", "Nope", "isEnabled", true)),
                                list(obj("name", null, "isEnabled", true)), list((Object) null), "x",
                                list(obj("name", "AuditLogCollection", "isEnabled", "yes")),
                                list(obj("name", "AuditLogCollection")), new Obj())),
                List.of("/api/plans/" + sandboxId + "/Kubernetes", "/api/plans/" + sandboxId + "/Servers",
                        "/api/plans/" + sandboxId + "/containers", "/api/plans/" + sandboxId + "/Containers%00",
                        "/api/plans/" + sandboxId + "/%2E%2E", "/api/plans/" + UUID.randomUUID() + "/Containers",
                        "/api/plans/not-a-uuid/Containers", "/api/plans/" + sandboxId + "/" + "C".repeat(3000))));

        targets.add(new ApiTarget("suppression-rules-post", "POST /api/suppression-rules", (r, i) -> {
            Draft d = api("POST", "/api/suppression-rules", obj("name", "e2e-fuzz-" + NONCE + "-" + i,
                    "connectorId", sandboxId, "alertType", "K8S_E2EFuzzNothing", "state", "Enabled",
                    "reason", "Other", "comment", "fuzz " + hex(r, 8),
                    "expirationDateUtc", TIME.format(Instant.now().plus(Duration.ofDays(1))),
                    "suppressionAlertsScope", obj("allOf", list(obj("field", "namespace", "in",
                            list("e2e-fuzz-nowhere-" + hex(r, 6)))))));
            d.cleanup = "/api/suppression-rules/";
            return d;
        }, Map.of("name", EDGE_STRINGS, "connectorId", values("not-a-uuid", UUID.randomUUID().toString(), "",
                Raw.of("1")),
                "alertType", values("*", "K8S_*", "**", "", "a".repeat(200), "K8S\u0000X"),
                "state", values("Expired", "enabled", "", Raw.of("1")),
                "reason", values("Nope", "", null, Raw.of("1")),
                "comment", values("x".repeat(1001), "\u0000", "\u0007bell"),
                "expirationDateUtc", EDGE_TIMES,
                "suppressionAlertsScope", values(obj("allOf", list(obj("field", "nope", "in", list("x")))),
                        obj("allOf", list(obj("field", "namespace", "equals", "x", "contains", "y"))),
                        obj("allOf", list(obj("field", "clusterId", "in", list("not-a-uuid")))),
                        obj("allOf", list(obj("field", "clusterId", "contains", "x"))),
                        obj("allOf", list(obj("field", "user", "contains", ""))),
                        obj("allOf", new ArrayList<>(java.util.Collections.nCopies(21, obj("field", "user",
                                "equals", "x")))),
                        obj("allOf", list(obj("field", "namespace", "in", new ArrayList<>(java.util.Collections
                                .nCopies(1000, "x"))))),
                        obj("allOf", list((Object) null)), obj("allOf", "x"), obj("anyOf", list()), "x")),
                List.of()));

        targets.add(new ApiTarget("rules-post", "POST /api/rules", (r, i) -> {
            Draft d = api("POST", "/api/rules", obj("id", "e2e-fuzz-" + NONCE + "-" + i, "alertType", "K8S_E2EFuzz",
                    "displayName", "E2E fuzz rule", "description", "Never matches: a fuzz test made it.",
                    "severity", "Low", "intent", list("Collection"), "techniques", list("T1530"),
                    "condition", obj("all", list(obj("field", "objectRef.namespace", "equals",
                            "e2e-fuzz-nowhere-" + hex(r, 6)), obj("field", "verb", "in", list("get", "list")))),
                    "exceptions", list(obj("name", "system", "condition", obj("field", "user.username", "startsWith",
                            "system:"))),
                    "remediationSteps", list("Nothing to do."), "entity", list("user.username"),
                    "properties", obj("username", "user.username")));
            d.cleanup = "/api/rules/";
            return d;
        }, Map.of("id", values("UPPER", "a".repeat(81), "cluster-admin-binding", "-x", "", Raw.of("1"), "a"),
                "alertType", values("K8S_", "K8S.NODE_X", "X", "", "K8S_" + "A".repeat(5000)),
                "severity", values("low", "Critical", "", null),
                "intent", values(list("Nope"), "Collection", list(Raw.of("1")), list()),
                "techniques", values(list("T1"), list("T1530.1"), "T1530", list((Object) null)),
                "condition", values(obj("field", "userAgent", "matches", "(a+)+$"),
                        obj("field", "userAgent", "matches", "["), obj("field", "nope", "equals", "x"),
                        obj("field", "verb", "nope", "x"), obj("field", "sourceIPs", "inIpList", "no-such-list"),
                        obj("field", "verb", "in", list("@no-such-list")), nested(300),
                        obj("field", "verb", "in", new ArrayList<>(java.util.Collections.nCopies(10_000, "get"))),
                        obj("not", list()), obj("all", list()), obj("any", "x"), null, "verb == get",
                        obj("field", "requestObject.spec.containers[*].image", "matches", "x".repeat(10_000))),
                "exceptions", values("x", list(obj("name", "x")), list(obj("condition", "x")), new Obj()),
                "properties", values(obj("count", "verb"), obj("x", "nope.field"), "x", list()),
                "entity", values(list(), list("nope"), "verb", list(Raw.of("1"))),
                "baseline", values(obj("subject", "user.username", "operation", "verb", "learningPeriod",
                        "P1D"), obj("learningPeriod", "forever"), "x")),
                List.of()));

        targets.add(new ApiTarget("ip-lists-put", "PUT /api/threat-intel/ip-lists/{name}", (r, i) ->
                api("PUT", "/api/threat-intel/ip-lists/e2e-fuzz", obj("entries", list("198.51.100.0/24",
                        "2001:db8::/32", "203.0.113." + r.nextInt(255), "192.0.2.1"))),
                Map.of("entries", values(list("256.0.0.1"), list("1.2.3.4/33"), list("::1/129"), list(""),
                        list("  "), list("1.2.3.4/-1"), list("01.02.03.04"), list("1.2.3"), list("fe80::1%eth0"),
                        list("0.0.0.0/0", "::/0"), list((Object) null), "1.2.3.4", null, list(Raw.of("1")),
                        list("x".repeat(50)), list("# comment"))),
                List.of("/api/threat-intel/ip-lists/E2E-FUZZ", "/api/threat-intel/ip-lists/e2e-fuzz-" + "a".repeat(80),
                        "/api/threat-intel/ip-lists/e2e-fuzz%00", "/api/threat-intel/ip-lists/%2E%2E",
                        "/api/threat-intel/ip-lists/e2e%20fuzz", "/api/threat-intel/ip-lists/-e2e-fuzz",
                        "/api/threat-intel/ip-lists/e2e-fuzz/x")) {
            @Override
            String specific(Random r, Draft d, Kind kind) {
                if (r.nextInt(3) > 0) {
                    return super.specific(r, d, kind);
                }
                // the same list as text, one address or range per line
                String[] texts = { "198.51.100.1\n# a comment\n203.0.113.0/24\n", "198.51.100.1\r\n\r\n10.0.0.0/8",
                        "not an ip\n", "", "\n\n\n", "1.2.3.4/33", "198.51.100.1\u0000", "x".repeat(MIB),
                        "198.51.100.1\n".repeat(50_000), "{\"entries\":[\"1.2.3.4\"]}" };
                String text = pick(r, texts);
                d.body = text.getBytes(UTF_8);
                d.contentType = "text/plain";
                return "text/plain body: " + preview(d.body, 40) + " (" + d.body.length + " bytes)";
            }
        });

        targets.add(new ApiTarget("alerts-simulate", "POST /api/alerts/simulate", (r, i) ->
                api("POST", "/api/alerts/simulate", obj("clusterId", uuid(r).toString(), "connectorId", sandboxId,
                        "properties", obj("kind", "Bundles", "bundles", list("KubernetesService")))),
                Map.of("clusterId", values("not-a-uuid", "", null, Raw.of("1"), list(), "a".repeat(10_000)),
                        "connectorId", values("not-a-uuid", "", null, Raw.of("1"), new Obj()),
                        "properties", values(null, "x", list(), new Obj()),
                        "properties/kind", values("bundles", "", null, Raw.of("1")),
                        "properties/bundles", values(list(), list("Nope"), "KubernetesService",
                                list((Object) null), new ArrayList<>(java.util.Collections.nCopies(1000,
                                        "KubernetesService")))),
                List.of("/api/alerts/simulate/x", "/api/alerts/simulate%00")));

        targets.add(new ApiTarget("exports-post", "POST /api/exports", (r, i) -> {
            boolean syslog = i != 0 && r.nextInt(10) < 3;
            Obj body = obj("name", "e2e-fuzz-" + NONCE + "-" + i, "kind", syslog ? "syslog" : "webhook",
                    "enabled", false, "filter", obj("minSeverity", "High", "alertTypes", list("K8S_E2EFuzz"),
                            "statuses", list("Active"), "connectorIds", list(sandboxId)));
            if (syslog) {
                body.put("syslog", obj("host", "127.0.0.1", "port", 9, "protocol", "udp"));
            } else {
                body.put("webhook", obj("url", "http://127.0.0.1:9/e2e-fuzz", "secret", "e2e-fuzz-secret-" + hex(r, 24)));
            }
            Draft d = api("POST", "/api/exports", body);
            d.cleanup = "/api/exports/";
            return d;
        }, Map.of("name", EDGE_STRINGS, "kind", values("Webhook", "email", "", null, Raw.of("1")),
                "enabled", BOOLEANS,
                "webhook/url", values("http://", "http://user:pw@127.0.0.1:9/", "http://127.0.0.1:0/",
                        "http://127.0.0.1:70000/", "ftp://127.0.0.1/", "http://[::1", "http:///x",
                        "http://127.0.0.1:9/" + "a".repeat(3000), "file:///etc/passwd", "", null, Raw.of("1")),
                "webhook/secret", values("short", "x".repeat(513), "", null, Raw.of("1")),
                "filter/minSeverity", values("Critical", "high", "", Raw.of("1")),
                "filter/statuses", values(list("Nope"), list((Object) null), "Active", list()),
                "filter/connectorIds", values(list("not-a-uuid"), list((Object) null), list(), "x",
                        list(UUID.randomUUID().toString())),
                "filter/alertTypes", values(list(""), list("x".repeat(129)), list("\u0000"), "K8S_X"),
                "syslog", values(obj("host", "127.0.0.1", "port", Raw.of("70000")),
                        obj("host", "bad host!", "port", 514), obj("host", "127.0.0.1", "port", 514, "protocol",
                                "sctp"), obj("host", "x".repeat(256), "port", 514), "x")),
                List.of("/api/exports/x", "/api/exports%00")));

        targets.add(new ApiTarget("alerts-get", "GET /api/alerts?…", (r, i) -> {
            Draft d = api("GET", "/api/alerts", null);
            d.query = new ArrayList<>();
            List<String[]> all = List.of(new String[] { "severity", "High,Medium", null },
                    new String[] { "status", "Active", null }, new String[] { "alertType", "K8S_SecretRead", null },
                    new String[] { "clusterId", clusterId, null }, new String[] { "connectorId", connectorId, null },
                    new String[] { "top", "10", null }, new String[] { "skip", "0", null },
                    new String[] { "orderBy", "time desc", null },
                    new String[] { "from", TIME.format(Instant.now().minus(Duration.ofDays(1))), null },
                    new String[] { "to", TIME.format(Instant.now().plus(Duration.ofHours(1))), null },
                    new String[] { "q", "fuzz", null }, new String[] { "simulated", "false", null },
                    new String[] { "tactic", "CredentialAccess", null }, new String[] { "resourceType", "pods", null });
            for (String[] p : all) {
                if (i == 0 || r.nextInt(3) > 0) {
                    d.query.add(p.clone());
                }
            }
            return d;
        }, Map.of("top", values("-1", "0", "501", "2147483648", "1e2", " 10", "٣", "+5"),
                "skip", values("-1", "2147483647", "99999999999999999999", "x"),
                "from", EDGE_TIMES, "to", EDGE_TIMES, "orderBy", values("severity asc", "time up", "nope",
                        "severity asc desc", ""),
                "severity", values("Critical", "high", ",,,", "High,,Low"),
                "status", values("Open", ",", "Active,Nope"), "simulated", values("yes", "TRUE", "1")),
                List.of("/api/alerts/%00", "/api/alerts/" + "a".repeat(2000), "/api/alerts/..%2F..%2Fq%2Fhealth",
                        "/api/alerts/not-an-id", "/api/alerts/summary", "/api/alerts/%C3%28", "/api/alerts/",
                        "/api/alerts/" + UUID.randomUUID() + "/dismiss")));

        targets.add(new ApiTarget("audit-logs-get", "GET /api/audit-logs?…", (r, i) -> {
            Draft d = api("GET", "/api/audit-logs", null);
            d.query = new ArrayList<>();
            List<String[]> all = List.of(new String[] { "clusterId", clusterId, null },
                    new String[] { "connectorId", connectorId, null },
                    new String[] { "from", TIME.format(Instant.now().minus(Duration.ofHours(2))), null },
                    new String[] { "to", TIME.format(Instant.now().plus(Duration.ofHours(1))), null },
                    new String[] { "user", "fuzz-user@example.com", null }, new String[] { "verb", "get", null },
                    new String[] { "resource", "pods", null }, new String[] { "namespace", "fuzz-ns", null },
                    new String[] { "top", "10", null }, new String[] { "skip", "0", null });
            for (String[] p : all) {
                if (i == 0 || r.nextInt(3) > 0) {
                    d.query.add(p.clone());
                }
            }
            return d;
        }, Map.of("top", values("-1", "0", "501", "2147483648", "1e2", " 10", "٣"),
                "skip", values("-1", "2147483647", "99999999999999999999"),
                "from", EDGE_TIMES, "to", EDGE_TIMES, "clusterId", values("not-a-uuid", UUID.randomUUID().toString()),
                "user", values("%", "_", "\\", "'"), "namespace", values("%", "\u0000")),
                List.of("/api/audit-logs/" + clusterId + "/%00", "/api/audit-logs/not-a-uuid/x",
                        "/api/audit-logs/" + clusterId + "/" + "a".repeat(2000), "/api/audit-logs/" + clusterId
                                + "/..%2F..", "/api/audit-logs/" + clusterId + "/%C3%28")));
        return targets;
    }

    /** A condition nested {@code depth} levels deep that still never matches, should a rule keep it. */
    private static Obj nested(int depth) {
        Obj condition = obj("field", "objectRef.namespace", "equals", "e2e-fuzz-nowhere");
        for (int i = 0; i < depth; i++) {
            condition = obj("all", list(condition));
        }
        return condition;
    }

    private static String billionLaughs() {
        StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char previous = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            yaml.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 8; i++) {
                yaml.append(i == 0 ? "" : ",").append('*').append(previous);
            }
            yaml.append("]\n");
            previous = c;
        }
        return yaml.append("clusters: *j\n").toString();
    }

    // ------------------------------------------------------------------------------------------ small helpers

    static <T> T pick(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    static <T> T pick(Random r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    static List<Slot> filter(List<Slot> slots, Predicate<Slot> test) {
        return slots.stream().filter(test).toList();
    }

    static String hex(Random r, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(Character.forDigit(r.nextInt(16), 16));
        }
        return b.toString();
    }

    static UUID uuid(Random r) {
        return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
    }

    static byte[] randomBytes(Random r, int length) {
        byte[] bytes = new byte[length];
        r.nextBytes(bytes);
        return bytes;
    }

    static byte[] randomAscii(Random r, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (32 + r.nextInt(95));
        }
        return bytes;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Percent-encodes everything but the unreserved characters (RFC 3986), as UTF-8. */
    static String encode(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (byte x : text.getBytes(UTF_8)) {
            int c = x & 0xff;
            if (c < 128 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    static String shortKey(String key) {
        return truncate(key, 40);
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…(" + text.length() + " chars)";
    }

    static String brief(Object value) {
        if (value instanceof String s) {
            return preview(("\"" + s + "\"").getBytes(UTF_8), 60);
        }
        if (value == null) {
            return "null";
        }
        byte[] bytes;
        try {
            bytes = json(value);
        } catch (RuntimeException e) {
            return String.valueOf(value);
        }
        return preview(bytes, 60);
    }

    /** The first bytes, printable; others as \xNN. */
    static String preview(byte[] bytes, int max) {
        if (bytes == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        String text = new String(bytes, 0, Math.min(bytes.length, max * 4), UTF_8);
        int shown = 0;
        for (int i = 0; i < text.length() && shown < max; i++, shown++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
                b.append(c == '\uFFFD' ? "\\x??" : String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b + (bytes.length > max ? "…(" + bytes.length + " bytes)" : "");
    }

    static String hexBytes(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(b.length() == 0 ? "" : " ").append(String.format("0x%02X", x & 0xff));
        }
        return b.toString();
    }
}
