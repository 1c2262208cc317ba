package io.palisade.e2e;

import static io.palisade.e2e.Stack.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.http.ContentType;

/**
 * Faults injected into the running stack while clusters send: processes are stopped or killed by their pid files
 * and brought back with {@code ./palisade up}, as an operator would. Tagged {@code faults}: {@code ./palisade test}
 * runs this class on its own after the other end-to-end tests (it takes services away from them). The load is
 * bounded ({@code -Dpalisade.faults.attacks}, 300 in the short mode; docs/reliability.md gives the longer run).
 */
@Tag("faults")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceTest {
    static final Path HOME = Paths.get(System.getProperty("palisade.home", "../.palisade"));
    static final Path SCRIPT = Paths.get(System.getProperty("palisade.script", "../palisade"));
    static final int ATTACKS = Integer.getInteger("palisade.faults.attacks", 300);
    static final int BATCH = 10;
    static final Duration WITHIN = Duration.ofSeconds(60);

    static String connectorId;
    static String clusterId;
    static String ingestToken;

    @BeforeAll
    static void aProtectedCluster() {
        ProtectedCluster cluster = ProtectedCluster.create("faults");
        connectorId = cluster.connectorId();
        clusterId = cluster.clusterId();
        ingestToken = cluster.ingestToken();
    }

    // ------------------------------------------------------------------------------------------------ the faults

    @Test
    @Order(1)
    void aStoppedServiceAnswers503AtOnceWhileTheOthersKeepWorking() throws Exception {
        stop("alert-service", "TERM");
        try {
            long started = System.nanoTime();
            as("bob").when().get("/api/alerts").then().statusCode(503).contentType("application/problem+json");
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("fault: alert-service stopped -> GET /api/alerts 503 in %d ms%n", millis);
            assertTrue(millis < 5_000, "503 took " + millis + " ms: the gateway waited for a dead service");
            as("bob").when().get("/api/connectors").then().statusCode(200);
            as("bob").when().get("/api/plans/" + connectorId).then().statusCode(200);
            assertEquals(200, ingest("[]"), "ingest does not need alert-service");
        } finally {
            up();
        }
        as("bob").when().get("/api/alerts").then().statusCode(200);
    }

    @Test
    @Order(2)
    void killingDetectionUnderLoadLosesNoAlertAndDoublesNone() throws Exception {
        underLoad("detection-service killed (-9)", () -> {
            stop("detection-service", "KILL");
            up();
        });
    }

    @Test
    @Order(4)
    void restartingTheKafkaBrokerUnderLoadRefusesWith503AndLosesNothing() throws Exception {
        underLoad("Kafka broker restarted", () -> {
            stop("kafka", "TERM");
            Thread.sleep(5000); // senders meet the broker's absence
            up();
        });
    }

    @Test
    @Order(5)
    void restartingPostgreSqlUnderLoadLosesNothing() throws Exception {
        underLoad("PostgreSQL restarted", () -> {
            stop("postgres", "INT"); // fast shutdown: open sessions are cut, as in a crash or failover
            Thread.sleep(5000); // the consumers and ingest meet the database's absence
            up();
        });
    }

    interface Fault {
        void inject() throws Exception;
    }

    /**
     * Sends {@link #ATTACKS} unique cluster-admin bindings in batches (~40 events/s), injects the fault a third of
     * the way through, resends every refused batch until it is accepted (as the API server's webhook does), then
     * checks that every attack made exactly one alert with its one event, and that no refusal was a 500.
     */
    static void underLoad(String fault, Fault injection) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        AtomicInteger batchesSent = new AtomicInteger();
        Map<Integer, Integer> refusals = new HashMap<>();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            for (int first = 0; first < ATTACKS; first += BATCH) {
                List<String> events = new ArrayList<>();
                for (int i = first; i < Math.min(ATTACKS, first + BATCH); i++) {
                    events.add(clusterAdminBinding("fault-" + run + "-" + i));
                }
                sendUntilAccepted(WalkingSkeletonTest.eventList(events.toArray(String[]::new)), refusals);
                batchesSent.incrementAndGet();
                Stack.sleep(250); // ~40 events/s: the load spans the fault
            }
        });
        Awaitility.await().atMost(WITHIN).until(() -> batchesSent.get() >= ATTACKS / BATCH / 3);
        long started = System.nanoTime();
        int sentBefore = batchesSent.get();
        injection.inject();
        System.out.printf("fault: %s after %d of %d batches; back in %d s, %d batches sent by then%n", fault,
                sentBefore, ATTACKS / BATCH, (System.nanoTime() - started) / 1_000_000_000, batchesSent.get());
        load.get(5, TimeUnit.MINUTES);
        System.out.printf("fault: %s: every batch accepted in the end; refused meanwhile (status=count, -1: no "
                + "connection): %s%n", fault, refusals);
        assertTrue(refusals.keySet().stream().noneMatch(status -> status == 500),
                "ingest answered 500 (" + fault + "): " + refusals);

        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> alertsOf("fault-" + run).size() >= ATTACKS);
        Thread.sleep(5000); // a late duplicate would show up now
        List<Map<String, Object>> alerts = alertsOf("fault-" + run);
        Map<String, Integer> perBinding = new HashMap<>();
        for (Map<String, Object> alert : alerts) {
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) alert.get("properties"))
                    .get("extendedProperties");
            perBinding.merge(String.valueOf(properties.get("bindingName")), 1, Integer::sum);
            assertEquals("1", String.valueOf(properties.get("count")),
                    "an event was counted twice in " + properties.get("bindingName"));
        }
        System.out.printf("fault: %s: %d attacks accepted -> %d alerts, %d bindings with one%n", fault, ATTACKS,
                alerts.size(), perBinding.size());
        assertEquals(ATTACKS, perBinding.size(), "attacks without their alert (" + fault + ")");
        assertEquals(ATTACKS, alerts.size(), "duplicate alerts (" + fault + ")");
    }

    @Test
    @Order(3)
    void aDeletedClustersIngestTokenIsRefusedWithinSeconds() {
        var cluster = as("alice").contentType(ContentType.JSON).body("{\"name\":\"e2e-deleted\",\"kind\":\"OnPrem\"}")
                .when().post("/api/connectors/" + connectorId + "/clusters").then().statusCode(201).extract();
        String token = cluster.path("ingestToken");
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).until(() -> ingest(token, "[]") == 200);
        as("alice").when().delete("/api/connectors/" + connectorId + "/clusters/" + cluster.path("id"))
                .then().statusCode(204);
        long started = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> ingest(token, "[]") == 401);
        System.out.printf("fault: deleted cluster's token refused after %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static String clusterAdminBinding(String name) {
        Instant now = Instant.now();
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\",\"auditID\":\""
                + UUID.randomUUID() + "\",\"stage\":\"ResponseComplete\",\"requestURI\":"
                + "\"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings\",\"verb\":\"create\",\"user\":{\"username\":"
                + "\"mallory@example.com\",\"groups\":[\"system:authenticated\"]},\"sourceIPs\":[\"203.0.113.9\"],"
                + "\"objectRef\":{\"resource\":\"clusterrolebindings\",\"name\":\"" + name + "\",\"apiGroup\":"
                + "\"rbac.authorization.k8s.io\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"code\":201},"
                + "\"requestObject\":{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\","
                + "\"metadata\":{\"name\":\"" + name + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
                + "\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"},\"subjects\":[{\"kind\":\"User\",\"name\":"
                + "\"mallory@example.com\"}]},\"requestReceivedTimestamp\":\"" + now + "\",\"stageTimestamp\":\"" + now
                + "\"}";
    }

    /** Like an API server's webhook: the same batch again after a refusal, until it is accepted. */
    static void sendUntilAccepted(String body, Map<Integer, Integer> refusals) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (true) {
            int status;
            try {
                status = ingest(body);
            } catch (RuntimeException e) {
                status = -1; // the connection itself failed
            }
            if (status == 200) {
                return;
            }
            synchronized (refusals) {
                refusals.merge(status, 1, Integer::sum);
            }
            assertTrue(Instant.now().isBefore(deadline), "a batch was refused for 4 minutes: " + refusals);
            Stack.sleep(500);
        }
    }

    static int ingest(String body) {
        return ingest(ingestToken, body);
    }

    static int ingest(String token, String body) {
        return given().baseUri(Stack.GATEWAY).auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/ingest/k8s-audit").then().extract().statusCode();
    }

    static List<Map<String, Object>> alertsOf(String bindingPrefix) {
        List<Map<String, Object>> all = new ArrayList<>();
        String next = Stack.GATEWAY + "/api/alerts?clusterId=" + clusterId + "&alertType=K8S_ClusterAdminBinding&top=500";
        while (next != null) {
            var page = as("alice").when().get(next).then().statusCode(200).extract().jsonPath();
            all.addAll(page.getList("value"));
            next = page.getString("nextLink");
        }
        all.removeIf(alert -> !String.valueOf(alert).contains(bindingPrefix));
        return all;
    }

    /**
     * Signals a component's process group (its pid file names the group's leader: ./palisade starts each with setsid)
     * and returns once the process is gone.
     */
    static void stop(String component, String signal) throws Exception {
        long pid = Long.parseLong(Files.readString(HOME.resolve("run").resolve(component + ".pid")).trim());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(component + " not running"));
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pid).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + component);
        Awaitility.await().atMost(WITHIN).until(() -> !process.isAlive());
    }

    /** {@code ./palisade up}: starts what is not running and waits until everything is ready. */
    static void up() throws Exception {
        Path log = HOME.resolve("logs").resolve("faults-up.log");
        Process up = new ProcessBuilder(SCRIPT.toAbsolutePath().toString(), "up").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        assertTrue(up.waitFor(5, TimeUnit.MINUTES), "./palisade up did not finish in 5 minutes (" + log + ")");
        assertEquals(0, up.exitValue(), "./palisade up failed, see " + log);
    }
}
