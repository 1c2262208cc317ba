package io.palisade.alert.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.alert.OtherReplica;
import io.palisade.alert.service.AlertChangeListener;
import io.palisade.alert.service.AlertChanged;
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
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class AlertStreamTest {
    static final String STREAM = "/api/alerts/stream";
    static final String SIMULATE = "/api/alerts/simulate";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    AlertChangeListener listener;

    static AlertEvent alert(UUID connectorId) {
        Instant now = Instant.now();
        return new AlertEvent(AlertEvent.TYPE, AlertEvent.VERSION, UUID.randomUUID().toString(),
                "K8S_ClusterAdminBinding", "Role binding to the cluster-admin role detected",
                "A new binding to cluster-admin", "Low", "Persistence", List.of("T1098"), "prod-eu",
                List.of(Map.of("type", "K8s-cluster", "name", "prod-eu")), List.of("Review the binding"),
                now.minusSeconds(1), now, now, List.of(), Map.of("username", "mallory"),
                EventCodec.mapper().createObjectNode().put("type", "auditEvents"), "k", "Containers", connectorId,
                UUID.randomUUID(), "cluster-admin-binding");
    }

    static void publish(AlertEvent alert) {
        KafkaTestClient.send(Topics.ALERTS, alert.systemAlertId(), EventCodec.encode(alert));
    }

    static String simulation(UUID clusterId, UUID connectorId) {
        return "{\"clusterId\":\"" + clusterId + "\",\"connectorId\":\"" + connectorId
                + "\",\"properties\":{\"kind\":\"Bundles\",\"bundles\":[\"KubernetesService\"]}}";
    }

    @Test
    void onlyReadersAndAdminsOpenTheStreamAndOnlyAdminsSimulate() throws Exception {
        given().accept("text/event-stream").when().get(STREAM).then().statusCode(401);
        given().auth().oauth2(Tokens.noRole()).accept("text/event-stream").when().get(STREAM).then().statusCode(403);
        try (SseClient reader = SseClient.open(Tokens.reader()); SseClient admin = SseClient.open(Tokens.admin())) {
            assertEquals(200, reader.status());
            assertEquals(200, admin.status());
            assertTrue(reader.contentType().startsWith("text/event-stream"), reader.contentType());
        }

        EndpointSecurity.assertEveryEndpointChecksTheCaller(
                List.of(Endpoint.change("POST", SIMULATE, simulation(UUID.randomUUID(), UUID.randomUUID()))));
        UUID connectorA = UUID.randomUUID();
        String scopedAdmin = Tokens.forUser("erin", Set.of("security-admin", "security-reader"),
                List.of(connectorA.toString()));
        given().auth().oauth2(scopedAdmin).contentType(ContentType.JSON)
                .body(simulation(UUID.randomUUID(), UUID.randomUUID()))
                .when().post(SIMULATE).then().statusCode(403);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"clusterId\":\"" + UUID.randomUUID() + "\",\"connectorId\":\"" + connectorA
                        + "\",\"properties\":{\"kind\":\"Bundles\",\"bundles\":[\"DNS\"]}}")
                .when().post(SIMULATE).then().statusCode(400).body("errors[0].field", equalTo("properties.bundles"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"connectorId\":\"" + connectorA + "\"}")
                .when().post(SIMULATE).then().statusCode(400).body("errors[0].field", equalTo("clusterId"));
    }

    @Test
    void aClientReceivesNewAlertsAndTheirStatusChangesAndHeartbeats() throws Exception {
        try (SseClient client = SseClient.open(Tokens.reader())) {
            client.awaitComment("connected");
            AlertEvent alert = alert(UUID.randomUUID());
            publish(alert);

            SseEvent created = client.awaitEvent(e -> e.id().equals(alert.systemAlertId()));
            assertEquals("alert", created.name());
            assertEquals("Created", created.data().path("changeKind").asText());
            JsonNode view = created.data().path("alert");
            assertEquals(alert.systemAlertId(), view.path("name").asText());
            assertEquals("/api/alerts/" + alert.systemAlertId(), view.path("id").asText());
            assertEquals("K8S_ClusterAdminBinding", view.path("properties").path("alertType").asText());
            assertEquals("Active", view.path("properties").path("status").asText());
            assertEquals(alert.connectorId().toString(),
                    view.path("properties").path("extendedProperties").path("connectorId").asText());

            given().auth().oauth2(Tokens.admin()).when().post("/api/alerts/" + alert.systemAlertId() + "/dismiss")
                    .then().statusCode(204);
            SseEvent dismissed = client.awaitEvent(e -> e.id().equals(alert.systemAlertId())
                    && "StatusChanged".equals(e.data().path("changeKind").asText()));
            assertEquals("Dismissed", dismissed.data().path("alert").path("properties").path("status").asText());

            // the test profile sends a heartbeat every second
            client.awaitComment("heartbeat");
        }
    }

    @Test
    void aScopedReaderSeesOnlyTheAlertsOfItsConnectors() throws Exception {
        UUID connectorA = UUID.randomUUID();
        UUID connectorB = UUID.randomUUID();
        String dana = Tokens.forUser("dana", Set.of("security-reader"), List.of(connectorA.toString()));
        try (SseClient scoped = SseClient.open(dana); SseClient everything = SseClient.open(Tokens.admin())) {
            scoped.awaitComment("connected");
            everything.awaitComment("connected");
            AlertEvent ofB = alert(connectorB);
            publish(ofB);
            everything.awaitEvent(e -> e.id().equals(ofB.systemAlertId()));

            // B was broadcast before A is even sent: had dana's stream let it through, it would come before A
            AlertEvent ofA = alert(connectorA);
            publish(ofA);
            scoped.awaitEvent(e -> e.id().equals(ofA.systemAlertId()));
            everything.awaitEvent(e -> e.id().equals(ofA.systemAlertId()));
            assertTrue(scoped.received().stream().noneMatch(e -> e.id().equals(ofB.systemAlertId())),
                    "dana must not see the alert of connector B");
        }
    }

    /**
     * Two replicas share the database: a change that another replica commits (its row change and its notification in
     * one transaction, on a connection of its own) reaches the streams open on this one, each stream still limited to
     * its caller's connectors; a change rolled back is never announced.
     */
    @Test
    void aChangeCommittedByAnotherReplicaReachesTheStreamsOfThisOne() throws Exception {
        UUID connectorA = UUID.randomUUID();
        UUID connectorB = UUID.randomUUID();
        String dana = Tokens.forUser("dana", Set.of("security-reader"), List.of(connectorA.toString()));
        try (SseClient scoped = SseClient.open(dana); SseClient everything = SseClient.open(Tokens.admin())) {
            scoped.awaitComment("connected");
            everything.awaitComment("connected");
            AlertEvent ofA = alert(connectorA);
            AlertEvent ofB = alert(connectorB);
            publish(ofA);
            publish(ofB);
            scoped.awaitEvent(e -> e.id().equals(ofA.systemAlertId()));
            everything.awaitEvent(e -> e.id().equals(ofB.systemAlertId()));

            try (OtherReplica other = OtherReplica.connect()) {
                other.update("UPDATE alert SET status = 'Resolved' WHERE id = ?", ofA.systemAlertId());
                other.announce(ofA.systemAlertId(), AlertChanged.Kind.Updated);
                other.rollback();
                for (AlertEvent alert : List.of(ofB, ofA)) {
                    assertEquals(1, other.update("UPDATE alert SET status = 'Dismissed' WHERE id = ?",
                            alert.systemAlertId()));
                    other.announce(alert.systemAlertId(), AlertChanged.Kind.StatusChanged);
                    other.commit();
                }
            }

            for (SseClient client : List.of(scoped, everything)) {
                SseEvent dismissed = client.awaitEvent(e -> e.id().equals(ofA.systemAlertId())
                        && "StatusChanged".equals(e.data().path("changeKind").asText()));
                assertEquals("Dismissed", dismissed.data().path("alert").path("properties").path("status").asText());
                assertTrue(client.received().stream().noneMatch(e -> "Updated".equals(e.data().path("changeKind")
                        .asText()) && e.id().equals(ofA.systemAlertId())), "the rolled-back change is not streamed");
            }
            SseEvent ofBDismissed = everything.awaitEvent(e -> e.id().equals(ofB.systemAlertId())
                    && "StatusChanged".equals(e.data().path("changeKind").asText()));
            assertEquals("Dismissed", ofBDismissed.data().path("alert").path("properties").path("status").asText());
            // B's change was committed (and announced) before A's: had dana's stream let it through, it came first
            assertTrue(scoped.received().stream().noneMatch(e -> e.id().equals(ofB.systemAlertId())),
                    "dana must not see the alert of connector B");
        }
    }

    /**
     * The replica loses the connection it listens on: its open streams are closed with a comment (they may have
     * missed changes; clients reconnect and reload), it listens again on a new connection, and changes flow to the
     * streams opened after that.
     */
    @Test
    void aStreamIsClosedWhenItsReplicaStopsHearingChangesAndNewStreamsGetThemAgain() throws Exception {
        try (SseClient client = SseClient.open(Tokens.reader())) {
            client.awaitComment("connected");
            assertTrue(listener.listening());
            try (OtherReplica admin = OtherReplica.connect()) {
                Object terminated = admin.queryValue("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE application_name = ?", AlertChangeListener.APPLICATION_NAME);
                assertEquals(1L, ((Number) terminated).longValue(), "one listening connection");
            }
            // closed only once the replica listens again, so that a client reconnecting now misses nothing
            client.awaitComment("closed: the live feed may have missed changes");
            client.awaitEnd();
        }
        assertTrue(listener.listening());
        try (SseClient client = SseClient.open(Tokens.reader())) {
            client.awaitComment("connected");
            AlertEvent alert = alert(UUID.randomUUID());
            publish(alert);
            client.awaitEvent(e -> e.id().equals(alert.systemAlertId()));
        }
    }

    @Test
    void aSimulationSendsSyntheticAuditEventsKeyedByTheCluster() {
        UUID clusterId = UUID.randomUUID();
        UUID connectorId = UUID.randomUUID();
        var accepted = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(simulation(clusterId, connectorId))
                .when().post(SIMULATE)
                .then().statusCode(202)
                .body("clusterId", equalTo(clusterId.toString()))
                .body("connectorId", equalTo(connectorId.toString()))
                .body("sourceFormat", equalTo("Simulation"))
                .body("expectedAlertTypes", hasItems("K8S_ClusterAdminBinding", "K8S_PrivilegedContainer",
                        "K8S_ExecIntoPod", "K8S_SecretRead", "K8S_KubeSystemContainer", "K8S_SensitiveMount",
                        "K8S_PenTestToolsKubeHunter", "K8S_NodePortService", "K8S_ConfigMapWithCredentials"))
                .extract();
        int expected = accepted.path("events");
        String prefix = accepted.path("auditIdPrefix");
        assertTrue(prefix.startsWith("palisade-simulation-"), prefix);
        String note = accepted.path("note");
        assertTrue(note.contains("no alerts appear"), note);

        List<JsonNode> events = new ArrayList<>();
        for (var record : KafkaTestClient.readToEnd(Topics.AUDIT_EVENTS)) {
            if (clusterId.toString().equals(record.key())) {
                events.add(json(record.value()));
            }
        }
        assertEquals(expected, events.size());
        assertTrue(expected >= 9, "a representative sample: " + expected);
        for (JsonNode envelope : events) {
            assertEquals("audit-event", envelope.path("type").asText());
            assertEquals("Simulation", envelope.path("sourceFormat").asText());
            assertEquals(clusterId.toString(), envelope.path("clusterId").asText());
            assertEquals(connectorId.toString(), envelope.path("connectorId").asText());
            assertTrue(envelope.path("event").path("auditID").asText().startsWith(prefix), envelope.toString());
            assertEquals("Event", envelope.path("event").path("kind").asText());
        }
        assertEquals(expected, events.stream().map(e -> e.path("event").path("auditID").asText()).distinct().count());
    }

    static JsonNode json(String value) {
        try {
            return EventCodec.mapper().readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One Server-Sent Event as a browser would dispatch it. */
    record SseEvent(String name, String id, JsonNode data) {
    }

    /** Reads {@code GET /api/alerts/stream} line by line over 127.0.0.1, as a browser's EventSource would. */
    static final class SseClient implements AutoCloseable {
        private final HttpResponse<InputStream> response;
        private final BlockingQueue<Object> incoming = new LinkedBlockingQueue<>();
        private final List<SseEvent> received = new ArrayList<>();

        private SseClient(HttpResponse<InputStream> response) {
            this.response = response;
            Thread reader = new Thread(this::read, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static SseClient open(String token) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + RestAssured.port + STREAM))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream")
                    .GET().build();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            return new SseClient(client.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        }

        int status() {
            return response.statusCode();
        }

        String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }

        /** Queues comments as {@code ":text"} strings, events as {@link SseEvent}s, and {@link #END} at the end. */
        private void read() {
            try (var lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String name = null;
                String id = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            incoming.add(new SseEvent(name, id, json(data.toString())));
                        }
                        name = null;
                        id = null;
                        data.setLength(0);
                    } else if (line.startsWith(":")) {
                        incoming.add(":" + line.substring(1).trim());
                    } else {
                        int colon = line.indexOf(':');
                        String field = colon < 0 ? line : line.substring(0, colon);
                        String value = colon < 0 ? "" : line.substring(colon + 1);
                        value = value.startsWith(" ") ? value.substring(1) : value;
                        switch (field) {
                            case "event" -> name = value;
                            case "id" -> id = value;
                            case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
                            default -> {
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // closed by the test
            }
            incoming.add(END);
        }

        private static final Object END = new Object();

        /** Waits until the server ends the stream. */
        void awaitEnd() throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                Object next = incoming.poll(200, TimeUnit.MILLISECONDS);
                if (next == END) {
                    return;
                }
                if (next instanceof SseEvent event) {
                    received.add(event);
                }
            }
            throw new AssertionError("the stream did not end within " + WAIT);
        }

        /** Waits for a comment starting with {@code text}. */
        void awaitComment(String text) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                Object next = incoming.poll(200, TimeUnit.MILLISECONDS);
                if (next instanceof SseEvent event) {
                    received.add(event);
                } else if (next instanceof String comment && comment.startsWith(":" + text)) {
                    return;
                }
            }
            throw new AssertionError("no comment '" + text + "' within " + WAIT);
        }

        SseEvent awaitEvent(Predicate<SseEvent> match) throws InterruptedException {
            for (SseEvent event : received) {
                if (match.test(event)) {
                    return event;
                }
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                Object next = incoming.poll(200, TimeUnit.MILLISECONDS);
                if (next instanceof SseEvent event) {
                    received.add(event);
                    if (match.test(event)) {
                        return event;
                    }
                }
            }
            throw new AssertionError("no matching event within " + WAIT + "; received " + received);
        }

        /** Every event read so far. */
        List<SseEvent> received() {
            return received;
        }

        @Override
        public void close() throws IOException {
            response.body().close();
        }
    }
}
