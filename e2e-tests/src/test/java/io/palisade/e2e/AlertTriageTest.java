package io.palisade.e2e;

import static io.palisade.e2e.Stack.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

/**
 * Triage through the gateway with real Keycloak tokens: an admin simulates the Kubernetes bundle on a protected
 * cluster; the synthetic audit events travel detection and come back as alerts marked simulated, seen live on a
 * reader's stream; a suppression rule set up beforehand dismisses its alert type on arrival.
 */
class AlertTriageTest {
    private static final Duration WITHIN = Duration.ofSeconds(45);

    static String connectorId;
    static String clusterId;

    @BeforeAll
    static void aliceProtectsACluster() {
        ProtectedCluster cluster = ProtectedCluster.create("triage");
        connectorId = cluster.connectorId();
        clusterId = cluster.clusterId();
    }

    @Test
    void aSimulationTravelsThePipelineIsSeenLiveAndSuppressionDismissesOnArrival() throws Exception {
        as("alice").contentType(ContentType.JSON).body("{\"name\":\"e2e-nodeport-" + System.nanoTime() % 100000
                + "\",\"connectorId\":\"" + connectorId + "\",\"alertType\":\"K8S_NodePortService\",\"reason\":"
                + "\"BenignPositive\",\"comment\":\"lab cluster\",\"suppressionAlertsScope\":{\"allOf\":[{\"field\":"
                + "\"clusterId\",\"equals\":\"" + clusterId + "\"}]}}")
                .when().post("/api/suppression-rules").then().statusCode(201);

        // bob opens the live stream through the gateway before the simulation starts
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest open = HttpRequest.newBuilder(URI.create(Stack.GATEWAY + "/api/alerts/stream"))
                .header("Authorization", "Bearer " + Stack.token("bob")).header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> stream = http.send(open, HttpResponse.BodyHandlers.ofInputStream());
        org.junit.jupiter.api.Assertions.assertEquals(200, stream.statusCode());
        String live;
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            // the stream is subscribed once its opening comment (":connected") arrives: nothing published after it is
            // missed; a stream that never opens fails the test instead of hanging it
            CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith(":") && line.contains("connected")) {
                            return true;
                        }
                    }
                    return false;
                } catch (java.io.IOException e) {
                    return false;
                }
            }).get(WITHIN.toSeconds(), TimeUnit.SECONDS);
            CompletableFuture<String> simulatedSeen = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = lines.readLine()) != null;) {
                        if (line.startsWith("data:") && line.contains(clusterId) && line.contains("[Simulated]")) {
                            return line;
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    return null;
                }
            });

            as("alice").contentType(ContentType.JSON)
                    .body("{\"clusterId\":\"" + clusterId + "\",\"connectorId\":\"" + connectorId
                            + "\",\"properties\":{\"kind\":\"Bundles\",\"bundles\":[\"KubernetesService\"]}}")
                    .when().post("/api/alerts/simulate").then().statusCode(202);

            live = simulatedSeen.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        } finally {
            stream.body().close();
        }
        assertTrue(live != null && live.contains("\"simulated\":\"true\""), String.valueOf(live));

        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> as("bob")
                .queryParam("clusterId", clusterId).queryParam("simulated", "true").queryParam("top", 500)
                .when().get("/api/alerts").then().statusCode(200).extract().<List<String>> path(
                        "value.properties.alertType").containsAll(List.of("K8S_ClusterAdminBinding",
                                "K8S_PrivilegedContainer", "K8S_NodePortService")));
        as("bob").queryParam("clusterId", clusterId).queryParam("alertType", "K8S_NodePortService")
                .when().get("/api/alerts").then().statusCode(200)
                .body("value[0].properties.status", equalTo("Dismissed"));
        as("bob").queryParam("clusterId", clusterId).queryParam("alertType", "K8S_ClusterAdminBinding")
                .when().get("/api/alerts").then().statusCode(200)
                .body("value[0].properties.status", equalTo("Active"));
        as("bob").queryParam("clusterId", clusterId).when().get("/api/alerts/summary").then().statusCode(200)
                .body("byStatus.Dismissed", equalTo(1));
    }
}
