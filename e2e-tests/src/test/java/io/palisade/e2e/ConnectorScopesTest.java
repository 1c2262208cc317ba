package io.palisade.e2e;

import static io.palisade.e2e.Stack.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * {@code palisade_scopes} through the whole stack with real Keycloak tokens: dave's user carries connector A as his
 * only scope (set by the platform team as a user attribute); everything of connector B — the connector, its
 * clusters, plans, recommendations, alerts with their evidence, the audit-log archive — answers 404 as if it did not
 * exist, through the gateway and at each service directly, and B's alerts never reach his live stream.
 */
class ConnectorScopesTest {
    private static final Duration WITHIN = Duration.ofSeconds(45);
    private static final String PASSWORD = "scoped-" + UUID.randomUUID();

    static ProtectedCluster a;
    static ProtectedCluster b;
    static String dave;

    @BeforeAll
    static void twoProtectedConnectorsAndDaveScopedToTheFirst() {
        a = ProtectedCluster.create("scopes-a");
        b = ProtectedCluster.create("scopes-b");
        dave = KeycloakAdmin.createScopedUser("security-admin", List.of(a.connectorId()), PASSWORD);
    }

    static String daveToken() {
        return KeycloakAdmin.token(dave, PASSWORD);
    }

    static RequestSpecification asDave() {
        return given().baseUri(Stack.GATEWAY).auth().oauth2(daveToken());
    }

    @Test
    void davesTokenCarriesHisScopesAsTheClaim() {
        String payload = new String(Base64.getUrlDecoder().decode(daveToken().split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"palisade_scopes\":[\"" + a.connectorId() + "\"]"), payload);
    }

    @Test
    void everyReadAndChangeOfTheOtherConnectorAnswers404AsIfItDidNotExist() {
        List<String> listed = asDave().queryParam("top", 500).when().get("/api/connectors").then().statusCode(200)
                .extract().path("value.id");
        assertEquals(List.of(a.connectorId()), listed);
        String c = "/api/connectors/" + b.connectorId();
        String k = c + "/clusters/" + b.clusterId();
        String p = "/api/plans/" + b.connectorId();
        for (String read : List.of(c, c + "/clusters", k, k + "/status", k + "/recommendations",
                k + "/recommendations/sensor-installed", k + "/recommendations/sensor-installed/fix", p,
                p + "/Containers", p + "/history")) {
            asDave().when().get(read).then().statusCode(404).contentType("application/problem+json");
        }
        asDave().contentType(ContentType.JSON).body("{\"pricingTier\":\"Free\"}").when().put(p + "/Containers")
                .then().statusCode(404);
        asDave().contentType(ContentType.JSON).body("{\"displayName\":\"taken over\"}").when().put(c)
                .then().statusCode(404);
        asDave().when().post(k + "/rotate-ingest-token").then().statusCode(404);
        asDave().when().delete(k).then().statusCode(404);
        asDave().when().delete(c).then().statusCode(404);
        // B is untouched: still there, still protected
        as("alice").when().get(k).then().statusCode(200);
        as("alice").when().get(p + "/Containers").then().statusCode(200).body("pricingTier", equalTo("Standard"));
        // and A is his to read
        asDave().when().get("/api/connectors/" + a.connectorId()).then().statusCode(200);
        asDave().when().get("/api/plans/" + a.connectorId() + "/Containers").then().statusCode(200);
    }

    @Test
    void theOtherConnectorsAlertsEvidenceAndArchiveAreHiddenAndNeverReachHisLiveStream() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<java.io.InputStream> stream = http.send(
                HttpRequest.newBuilder(URI.create(Stack.GATEWAY + "/api/alerts/stream"))
                        .header("Authorization", "Bearer " + daveToken()).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    seen.add(line);
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        }, "dave's live stream");
        reader.setDaemon(true);
        reader.start();
        try {
            Awaitility.await().atMost(WITHIN).until(() -> seen.stream().anyMatch(l -> l.startsWith(":")
                    && l.contains("connected")));
            // B's alerts first, then A's: once A's arrive on his stream, B's had every chance to
            b.simulateAlerts();
            Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(500))
                    .until(() -> b.alertIds(as("alice")).size() >= 3);
            a.simulateAlerts();
            Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).until(() -> seen.stream()
                    .filter(l -> l.startsWith("data:") && l.contains(a.clusterId())).count() >= 3);
            Thread.sleep(2000);
        } finally {
            stream.body().close();
        }
        assertFalse(seen.stream().anyMatch(l -> l.contains(b.clusterId()) || l.contains(b.connectorId())),
                "B's alerts reached dave's stream: " + seen);

        // the alert list, its summary, every alert of B and its state changes
        assertTrue(b.alertIds(asDave()).isEmpty(), "B's alerts listed for dave");
        assertEquals(a.alertIds(as("alice")).size(), a.alertIds(asDave()).size());
        String hidden = b.alertIds(as("alice")).get(0);
        asDave().when().get("/api/alerts/" + hidden).then().statusCode(404).contentType("application/problem+json");
        asDave().when().post("/api/alerts/" + hidden + "/dismiss").then().statusCode(404);
        as("alice").when().get("/api/alerts/" + hidden).then().statusCode(200)
                .body("properties.status", equalTo("Active"));
        asDave().queryParam("connectorId", b.connectorId()).when().get("/api/alerts/summary").then().statusCode(200)
                .body("total", equalTo(0));

        // the audit-log archive: B's cluster, B's connector and one of B's requests
        String auditId = UUID.randomUUID().toString();
        b.ingest(WalkingSkeletonTest.eventList(WalkingSkeletonTest.event(auditId, "get", "pods", "default", null)))
                .then().statusCode(200);
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                as("alice").when().get("/api/audit-logs/" + b.clusterId() + "/" + auditId).then().statusCode(200));
        asDave().when().get("/api/audit-logs/" + b.clusterId() + "/" + auditId).then().statusCode(404);
        asDave().queryParam("clusterId", b.clusterId()).when().get("/api/audit-logs").then().statusCode(404);
        asDave().queryParam("connectorId", b.connectorId()).when().get("/api/audit-logs").then().statusCode(404);
        asDave().queryParam("connectorId", a.connectorId()).when().get("/api/audit-logs").then().statusCode(200);
    }

    @Test
    void eachServiceHidesTheOtherConnectorItselfWithoutTheGateway() {
        String token = daveToken();
        String connector = Stack.SERVICES.get(0), plan = Stack.SERVICES.get(1), detection = Stack.SERVICES.get(2),
                alert = Stack.SERVICES.get(3);
        given().baseUri(connector).auth().oauth2(token).when().get("/api/connectors/" + b.connectorId())
                .then().statusCode(404);
        given().baseUri(plan).auth().oauth2(token).when().get("/api/plans/" + b.connectorId()).then().statusCode(404);
        given().baseUri(detection).auth().oauth2(token).queryParam("clusterId", b.clusterId())
                .when().get("/api/audit-logs").then().statusCode(404);
        given().baseUri(alert).auth().oauth2(token).queryParam("clusterId", b.clusterId()).when().get("/api/alerts")
                .then().statusCode(200).body("value.size()", equalTo(0));
    }
}
