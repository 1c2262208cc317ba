package io.palisade.alert.export;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.palisade.alert.OtherReplica;
import io.palisade.common.events.AlertEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.testsupport.EndpointSecurity;
import io.palisade.testsupport.EndpointSecurity.Endpoint;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class ExportTest {
    static final String SECRET = "s3cret-for-signing-webhooks";
    static final Duration WAIT = Duration.ofSeconds(60);

    private final List<String> created = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (String location : created) {
            given().auth().oauth2(Tokens.admin()).when().delete(location);
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** An alert as detection publishes it, with text that needs escaping in CEF. */
    static AlertEvent alert(UUID connector, String severity) {
        Instant end = Instant.parse("2025-03-01T10:15:30.250Z");
        return new AlertEvent(AlertEvent.TYPE, AlertEvent.VERSION, UUID.randomUUID().toString(),
                "K8S_ClusterAdminBinding", "Role binding | cluster-admin",
                "A new binding=cluster-admin\nby a user with a back\\slash", severity, "PrivilegeEscalation",
                List.of("T1098", "T1078"), "prod-eu",
                List.of(Map.of("type", "K8s-cluster", "name", "prod-eu", "clusterId", UUID.randomUUID().toString()),
                        Map.of("type", "account", "name", "mallory"),
                        Map.of("type", "K8s-clusterrolebindings", "name", "evil", "namespace", "kube-system")),
                List.of("Review the binding"), end.minusSeconds(60), end, Instant.now(), List.of(),
                Map.of("count", "2"), EventCodec.mapper().createObjectNode().put("type", "auditEvents"), "k",
                "Containers", connector, UUID.randomUUID(), "cluster-admin-binding");
    }

    static String publish(AlertEvent alert) {
        KafkaTestClient.send(Topics.ALERTS, alert.systemAlertId(), EventCodec.encode(alert));
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().auth().oauth2(Tokens.reader())
                .when().get("/api/alerts/" + alert.systemAlertId()).then().statusCode(200));
        return alert.systemAlertId();
    }

    String createExport(String body) {
        String location = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(body)
                .when().post("/api/exports").then().statusCode(201).extract().header("Location");
        created.add(location);
        return location;
    }

    static String webhookExport(String name, String url, UUID connector, String filterExtra) {
        return "{\"name\":\"" + name + "\",\"kind\":\"webhook\",\"filter\":{\"connectorIds\":[\"" + connector + "\"]"
                + filterExtra + "},\"webhook\":{\"url\":\"" + url + "\",\"secret\":\"" + SECRET + "\"}}";
    }

    static String syslogExport(String name, int port, String protocol, UUID connector) {
        return "{\"name\":\"" + name + "\",\"kind\":\"syslog\",\"filter\":{\"connectorIds\":[\"" + connector
                + "\"]},\"syslog\":{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"protocol\":\"" + protocol + "\"}}";
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    record Received(String body, String signature, String delivery, String event) {
    }

    /** A real HTTP receiver on loopback; answers 503 to the first {@code failures} requests, then 204. */
    HttpServer receiver(int port, int failures, List<Received> received) throws IOException {
        return receiver(port, failures, 503, received);
    }

    /** A real HTTP receiver on loopback; answers {@code failure} to the first {@code failures} requests, then 204. */
    HttpServer receiver(int port, int failures, int failure, List<Received> received) throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            received.add(new Received(new String(body, StandardCharsets.UTF_8),
                    headers.getFirst("X-Palisade-Signature"), headers.getFirst("X-Palisade-Delivery"),
                    headers.getFirst("X-Palisade-Event")));
            exchange.sendResponseHeaders(requests.incrementAndGet() <= failures ? failure : 204, -1);
            exchange.close();
        });
        server.start();
        resources.add(() -> server.stop(0));
        return server;
    }

    /** What a receiver does: recompute the HMAC of the raw body with the shared secret. */
    static boolean signatureValid(Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + java.util.HexFormat.of().formatHex(
                mac.doFinal(r.body().getBytes(StandardCharsets.UTF_8)));
        return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                String.valueOf(r.signature()).getBytes(StandardCharsets.US_ASCII));
    }

    static JsonNode json(String body) throws IOException {
        return EventCodec.mapper().readTree(body);
    }

    // ---- tests ---------------------------------------------------------------------------------------------------

    @Test
    void everyEndpointChecksTheCallerAndAdminsManageExports() {
        String location = createExport(syslogExport("rbac-" + UUID.randomUUID(), 514, "udp", UUID.randomUUID()));
        String body = syslogExport("rbac-renamed-" + UUID.randomUUID(), 514, "udp", UUID.randomUUID());
        EndpointSecurity.assertEveryEndpointChecksTheCaller(List.of(
                Endpoint.read("/api/exports"),
                Endpoint.read(location),
                Endpoint.change("POST", "/api/exports", body),
                Endpoint.change("PUT", location, body),
                Endpoint.change("DELETE", location, null),
                Endpoint.change("POST", location + "/test", null)));

        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(body).when().put(location)
                .then().statusCode(200).body("name", containsString("rbac-renamed-"));
        given().auth().oauth2(Tokens.admin()).when().post(location + "/test").then().statusCode(200)
                .body("delivered", equalTo(true));
        given().auth().oauth2(Tokens.admin()).when().delete(location).then().statusCode(204);
        given().auth().oauth2(Tokens.reader()).when().get(location).then().statusCode(404);
        given().auth().oauth2(Tokens.admin()).when().delete(location).then().statusCode(404);
    }

    @Test
    void badSettingsAreRejectedNamingTheFieldAndTheSecretIsNeverReturned() {
        UUID connector = UUID.randomUUID();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("webhook.url", webhookExport("x", "ftp://127.0.0.1/hook", connector, ""));
        bad.put("webhook.secret", webhookExport("x", "http://127.0.0.1/hook", connector, "")
                .replace(SECRET, "short"));
        bad.put("filter.minSeverity", webhookExport("x", "http://127.0.0.1/hook", connector,
                ",\"minSeverity\":\"Critical\""));
        bad.put("filter.statuses", webhookExport("x", "http://127.0.0.1/hook", connector, ",\"statuses\":[\"Open\"]"));
        bad.put("syslog.port", syslogExport("x", 70000, "tcp", connector));
        bad.put("syslog.protocol", syslogExport("x", 514, "sctp", connector));
        bad.put("kind", "{\"name\":\"x\",\"kind\":\"email\"}");
        bad.put("name", syslogExport("", 514, "tcp", connector));
        bad.forEach((field, body) -> given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(body)
                .when().post("/api/exports").then().statusCode(400).body("errors[0].field", equalTo(field)));

        String name = "hook-" + UUID.randomUUID();
        String location = createExport(webhookExport(name, "https://siem.example/hook", connector, ""));
        String shown = given().auth().oauth2(Tokens.reader()).when().get("/api/exports").then().statusCode(200)
                .extract().asString();
        assertTrue(shown.contains(name) && !shown.contains(SECRET), shown);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(webhookExport(name, "https://siem.example/hook", connector, ""))
                .when().post("/api/exports").then().statusCode(409);
        // an update without the secret keeps the stored one
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"kind\":\"webhook\",\"enabled\":false,"
                        + "\"webhook\":{\"url\":\"https://siem.example/other\"}}")
                .when().put(location).then().statusCode(200)
                .body("webhook.url", equalTo("https://siem.example/other"))
                .body("webhook.secretSet", equalTo(true))
                .body("enabled", equalTo(false))
                .body("webhook.secret", equalTo(null));
        // a caller limited to some connectors may not create an export that sends every connector's alerts
        String scoped = Tokens.forUser("dave", java.util.Set.of("security-admin"), List.of(connector.toString()));
        given().auth().oauth2(scoped).contentType(ContentType.JSON)
                .body(syslogExport("scoped", 514, "tcp", UUID.randomUUID()))
                .when().post("/api/exports").then().statusCode(403);
    }

    @Test
    void webhookDeliversSignedAlertsAndRetriesUntilTheReceiverIsUp() throws Exception {
        UUID connector = UUID.randomUUID();
        int port = freePort(); // nothing listens here yet: connections are refused
        String location = createExport(webhookExport("hook-" + UUID.randomUUID(), "http://127.0.0.1:" + port + "/hook",
                connector, ""));
        String id = publish(alert(connector, "Medium"));

        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(Tokens.reader()).when()
                .get(location).then().statusCode(200)
                .body("status.lastError", containsString("127.0.0.1:" + port))
                .body("status.lastErrorAt", notNullValue())
                .body("status.pendingDeliveries", equalTo(1))
                .body("status.maxAttempts", greaterThanOrEqualTo(1))
                .body("status.lastSuccessAt", equalTo(null)));

        // the receiver comes up, still answers 503 once, then accepts
        List<Received> received = new CopyOnWriteArrayList<>();
        receiver(port, 1, received);
        Awaitility.await().atMost(WAIT).until(() -> received.size() >= 2);
        Received refused = received.get(0);
        Received delivered = received.get(1);
        assertEquals(refused.delivery(), delivered.delivery(), "the same outbox row is retried");
        assertTrue(signatureValid(delivered), "signature verifies with the shared secret");
        assertEquals("Created", delivered.event());
        JsonNode body = json(delivered.body());
        assertEquals("/api/alerts/" + id, body.path("id").asText());
        assertEquals(id, body.path("properties").path("systemAlertId").asText());
        assertEquals("Medium", body.path("properties").path("severity").asText());
        assertEquals("Active", body.path("properties").path("status").asText());
        assertEquals(connector.toString(), body.path("properties").path("extendedProperties").path("connectorId")
                .asText());
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(Tokens.reader()).when()
                .get(location).then()
                .body("status.deliveredCount", equalTo(1))
                .body("status.pendingDeliveries", equalTo(0))
                .body("status.lastSuccessAt", notNullValue())
                .body("status.lastError", notNullValue()));

        // a status change is exported too, with the new status
        given().auth().oauth2(Tokens.admin()).when().post("/api/alerts/" + id + "/dismiss").then().statusCode(204);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(Tokens.reader()).when()
                .get(location).then()
                .body("status.deliveredCount", equalTo(2))
                .body("status.pendingDeliveries", equalTo(0))
                .body("status.failedDeliveries", equalTo(0)));
        assertEquals(3, received.size(), "one refused attempt and two deliveries, nothing more");
        Received change = received.get(2);
        assertTrue(signatureValid(change));
        assertEquals("StatusChanged", change.event());
        assertEquals("Dismissed", json(change.body()).path("properties").path("status").asText());
        assertTrue(!change.delivery().equals(delivered.delivery()));
    }

    @Test
    void aHighOnlyExportDoesNotSendALowAlert() throws Exception {
        UUID connector = UUID.randomUUID();
        List<Received> received = new CopyOnWriteArrayList<>();
        int port = freePort();
        receiver(port, 0, received);
        String location = createExport(webhookExport("high-" + UUID.randomUUID(), "http://127.0.0.1:" + port + "/hook",
                connector, ",\"minSeverity\":\"High\""));
        publish(alert(connector, "Low"));
        String high = publish(alert(connector, "High"));

        // the Low alert was published (and its outbox rows written) first: once the High one is delivered and the
        // queue is empty, a Low delivery would have been sent already
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            assertTrue(received.stream().anyMatch(r -> high.equals(alertId(r))), "the High alert arrives");
            given().auth().oauth2(Tokens.reader()).when().get(location).then()
                    .body("filter.minSeverity", equalTo("High"))
                    .body("status.pendingDeliveries", equalTo(0));
        });
        for (Received r : received) {
            assertEquals("High", json(r.body()).path("properties").path("severity").asText(), r.body());
            assertTrue(signatureValid(r));
        }
        assertEquals(1, received.size());
        given().auth().oauth2(Tokens.reader()).when().get(location).then()
                .body("status.deliveredCount", equalTo(1));
    }

    static String alertId(Received r) {
        try {
            return json(r.body()).path("properties").path("systemAlertId").asText();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRecordTheReceiverRefusesIsDroppedAtOnceAndLaterOnesAreStillDelivered() throws Exception {
        UUID connector = UUID.randomUUID();
        List<Received> received = new CopyOnWriteArrayList<>();
        int port = freePort();
        receiver(port, 1, 422, received); // refuses the first record for good, accepts the rest
        String location = createExport(webhookExport("refused-" + UUID.randomUUID(),
                "http://127.0.0.1:" + port + "/hook", connector, ""));
        publish(alert(connector, "Medium"));

        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(Tokens.reader()).when()
                .get(location).then()
                .body("status.failedDeliveries", equalTo(1))
                .body("status.pendingDeliveries", equalTo(0))
                .body("status.deliveredCount", equalTo(0))
                .body("status.lastError", containsString("422"))
                .body("status.lastErrorAt", notNullValue()));
        assertEquals(1, received.size(), "a 4xx is not retried");

        String later = publish(alert(connector, "High"));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(Tokens.reader()).when()
                .get(location).then()
                .body("status.deliveredCount", equalTo(1))
                .body("status.pendingDeliveries", equalTo(0))
                .body("status.failedDeliveries", equalTo(1)));
        assertEquals(2, received.size());
        assertEquals(later, alertId(received.get(1)));
    }

    /**
     * Two replicas: this one sends a delivery while another, its lease having run out (as if this one had stalled),
     * claims the same row. When the send returns, this replica must leave the row, and the counts, to the new owner.
     */
    @Test
    void aReplicaThatLostItsClaimDuringASendLeavesTheRowToTheNewOwner() throws Exception {
        UUID connector = UUID.randomUUID();
        List<Received> received = new CopyOnWriteArrayList<>();
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch answerFirst = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            received.add(new Received(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    null, exchange.getRequestHeaders().getFirst("X-Palisade-Delivery"), null));
            if (received.size() == 1) {
                firstArrived.countDown();
                try {
                    answerFirst.await(8, TimeUnit.SECONDS); // within the dispatcher's request timeout (10 s)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        var executor = java.util.concurrent.Executors.newCachedThreadPool(); // the first answer waits; others not
        server.setExecutor(executor);
        server.start();
        resources.add(() -> {
            server.stop(0);
            executor.shutdownNow();
        });
        String location = createExport(webhookExport("overtaken-" + UUID.randomUUID(),
                "http://127.0.0.1:" + server.getAddress().getPort() + "/hook", connector, ""));
        UUID exportId = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));

        String first = publish(alert(connector, "Medium"));
        assertTrue(firstArrived.await(60, TimeUnit.SECONDS), "the first delivery is being sent");
        try (OtherReplica other = OtherReplica.connect()) {
            assertEquals(1, other.update("UPDATE export_delivery SET claim_token = gen_random_uuid(),"
                    + " next_attempt_at = now() + interval '1 hour' WHERE export_id = ?", exportId));
            other.commit();
        }
        answerFirst.countDown();

        // the next delivery of the export is sent after this replica has dealt with the first one's answer
        String second = publish(alert(connector, "Medium"));
        Awaitility.await().atMost(WAIT).until(() -> {
            try (OtherReplica other = OtherReplica.connect()) {
                return ((Number) other.queryValue("SELECT count(*) FROM export_delivery WHERE alert_id = ?", second))
                        .intValue() == 0;
            }
        });
        assertTrue(received.stream().anyMatch(r -> second.equals(alertId(r))));
        assertEquals(first, alertId(received.get(0)));
        given().auth().oauth2(Tokens.reader()).when().get(location).then()
                .body("status.deliveredCount", equalTo(1))
                .body("status.pendingDeliveries", equalTo(1));
        try (OtherReplica other = OtherReplica.connect()) {
            assertEquals(first, other.queryValue("SELECT alert_id FROM export_delivery WHERE export_id = ?",
                    exportId), "the first delivery stays with the replica that claimed it last");
        }
    }

    @Test
    void unknownFieldsAndOutOfRangeWebhookPortsAreRejected() {
        UUID connector = UUID.randomUUID();
        // a typo must not silently widen the export to every severity
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(webhookExport("typo-" + UUID.randomUUID(), "http://127.0.0.1/hook", connector,
                        ",\"minSeverty\":\"High\""))
                .when().post("/api/exports").then().statusCode(400)
                .body("errors[0].field", equalTo("filter.minSeverty"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"kind\":\"syslog\",\"enabeld\":false,"
                        + "\"syslog\":{\"host\":\"127.0.0.1\",\"port\":514}}")
                .when().post("/api/exports").then().statusCode(400)
                .body("errors[0].field", equalTo("enabeld"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(webhookExport("port-" + UUID.randomUUID(), "http://example.com:99999/hook", connector, ""))
                .when().post("/api/exports").then().statusCode(400)
                .body("errors[0].field", equalTo("webhook.url"));

        String location = createExport(webhookExport("put-" + UUID.randomUUID(), "http://127.0.0.1/hook", connector,
                ""));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(webhookExport("put-" + UUID.randomUUID(), "http://127.0.0.1/hook", connector,
                        ",\"minSeverty\":\"High\""))
                .when().put(location).then().statusCode(400)
                .body("errors[0].field", equalTo("filter.minSeverty"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(webhookExport("put-" + UUID.randomUUID(), "http://example.com:99999/hook", connector, ""))
                .when().put(location).then().statusCode(400)
                .body("errors[0].field", equalTo("webhook.url"));
    }

    @Test
    void syslogOverTcpSendsOneValidCefRecordPerLine() throws Exception {
        UUID connector = UUID.randomUUID();
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        resources.add(listener);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket connection = listener.accept();
                        BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                                StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // listener closed at the end of the test
                }
            }
        }, "syslog-tcp-listener");
        reader.setDaemon(true);
        reader.start();

        String location = createExport(syslogExport("siem-tcp-" + UUID.randomUUID(), listener.getLocalPort(), "tcp",
                connector));
        AlertEvent high = alert(connector, "High");
        AlertEvent low = alert(connector, "Low");
        publish(high);
        publish(low);

        Map<String, Parsed> byAlert = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            assertNotNull(line, "a syslog line arrives");
            Parsed parsed = Parsed.of(line);
            byAlert.put(parsed.extensions().get("externalId"), parsed);
        }
        Parsed h = byAlert.get(high.systemAlertId());
        assertNotNull(h, byAlert.toString());
        assertEquals(16 * 8 + 2, h.pri(), "facility local0, severity critical");
        assertEquals(List.of("0", "Palisade", "Palisade"), h.cef().subList(0, 3));
        assertTrue(!h.cef().get(3).isBlank(), "device version");
        assertEquals("K8S_ClusterAdminBinding", h.cef().get(4));
        assertEquals("Role binding | cluster-admin", h.cef().get(5));
        assertEquals("8", h.cef().get(6));
        Map<String, String> x = h.extensions();
        assertEquals("A new binding=cluster-admin\nby a user with a back\\slash", x.get("msg"));
        assertEquals(Long.toString(high.endTimeUtc().toEpochMilli()), x.get("rt"));
        assertEquals(Long.toString(high.startTimeUtc().toEpochMilli()), x.get("start"));
        assertEquals(Long.toString(high.endTimeUtc().toEpochMilli()), x.get("end"));
        assertEquals("Created", x.get("act"));
        assertEquals("mallory", x.get("suser"));
        assertEquals("2", x.get("cnt"));
        assertEquals("cluster", x.get("cs1Label"));
        assertEquals("prod-eu", x.get("cs1"));
        assertEquals("namespace", x.get("cs2Label"));
        assertEquals("kube-system", x.get("cs2"));
        assertEquals("tactic", x.get("cs3Label"));
        assertEquals("PrivilegeEscalation", x.get("cs3"));
        assertEquals("Active", x.get("cs4"));
        assertEquals(connector.toString(), x.get("cs5"));
        assertEquals(high.clusterId().toString(), x.get("cs6"));
        assertEquals("T1098,T1078", x.get("flexString1"));
        assertEquals("3", byAlert.get(low.systemAlertId()).cef().get(6));
        assertEquals(16 * 8 + 5, byAlert.get(low.systemAlertId()).pri());

        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(Tokens.reader()).when()
                .get(location).then().body("status.deliveredCount", equalTo(2))
                .body("status.lastSuccessAt", notNullValue())
                .body("syslog.protocol", equalTo("tcp")));
    }

    @Test
    void syslogOverUdpSendsOneRecordPerDatagram() throws Exception {
        UUID connector = UUID.randomUUID();
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        resources.add(socket);
        socket.setSoTimeout(60_000);
        createExport(syslogExport("siem-udp-" + UUID.randomUUID(), socket.getLocalPort(), "udp", connector));
        AlertEvent alert = alert(connector, "Medium");
        publish(alert);

        DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
        socket.receive(packet);
        String record = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        assertTrue(!record.contains("\n"), "one record, no line breaks");
        Parsed parsed = Parsed.of(record);
        assertEquals(16 * 8 + 4, parsed.pri());
        assertEquals("5", parsed.cef().get(6));
        assertEquals(alert.systemAlertId(), parsed.extensions().get("externalId"));
    }

    /** A syslog record as a SIEM parses it: RFC 5424 header, the 7 CEF header fields, the extension pairs. */
    record Parsed(int pri, String hostname, List<String> cef, Map<String, String> extensions) {
        static final Pattern RFC5424 = Pattern.compile(
                "<(\\d{1,3})>1 (\\S+) (\\S{1,255}) (\\S{1,48}) (\\S{1,128}) (\\S{1,32}) (-|\\[.*?\\]) (.*)");
        static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]+");

        static Parsed of(String line) {
            Matcher m = RFC5424.matcher(line);
            assertTrue(m.matches(), "RFC 5424 header: " + line);
            OffsetDateTime.parse(m.group(2)); // an RFC 3339 timestamp
            assertEquals("palisade", m.group(4));
            assertEquals("-", m.group(5));
            assertEquals("-", m.group(6));
            String msg = m.group(8);
            assertTrue(msg.startsWith("CEF:"), msg);
            String rest = msg.substring(4);
            // header: 7 fields, separated by unescaped pipes; \| and \\ are escapes
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int i = 0;
            while (fields.size() < 7) {
                assertTrue(i < rest.length(), "7 CEF header fields: " + msg);
                char c = rest.charAt(i++);
                if (c == '\\') {
                    char next = rest.charAt(i++);
                    assertTrue(next == '\\' || next == '|', "header escape \\" + next);
                    field.append(next);
                } else if (c == '|') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            assertTrue(fields.get(6).matches("\\d|10"), "severity 0-10: " + fields.get(6));
            return new Parsed(Integer.parseInt(m.group(1)), m.group(3), fields, extensions(rest.substring(i)));
        }

        /** {@code key=value} pairs; a value runs to the space before the next unescaped {@code key=}. */
        static Map<String, String> extensions(String text) {
            List<Integer> equals = new ArrayList<>();
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\\') {
                    i++;
                } else if (text.charAt(i) == '=') {
                    equals.add(i);
                }
            }
            Map<String, String> pairs = new LinkedHashMap<>();
            int keyStart = 0;
            for (int n = 0; n < equals.size(); n++) {
                int eq = equals.get(n);
                String key = text.substring(keyStart, eq);
                assertTrue(KEY.matcher(key).matches(), "extension key '" + key + "' in " + text);
                int end = text.length();
                if (n + 1 < equals.size()) {
                    end = text.lastIndexOf(' ', equals.get(n + 1));
                    keyStart = end + 1;
                }
                pairs.put(key, unescape(text.substring(eq + 1, end)));
            }
            return pairs;
        }

        static String unescape(String value) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char next = value.charAt(++i);
                switch (next) {
                    case '\\', '=' -> out.append(next);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    default -> throw new AssertionError("bad extension escape \\" + next + " in " + value);
                }
            }
            return out.toString();
        }
    }
}
