package io.palisade.e2e;

import static io.palisade.e2e.Stack.as;
import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.awaitility.Awaitility;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * What most end-to-end tests start from: alice creates an OnPrem connector with one cluster and turns the Containers
 * plan on; ready once detection accepts the cluster's (empty) ingest, i.e. knows the cluster and its plan.
 */
record ProtectedCluster(String connectorId, String clusterId, String ingestToken) {
    private static final Duration WITHIN = Duration.ofSeconds(45);

    static ProtectedCluster create(String name) {
        String connectorId = as("alice").contentType(ContentType.JSON)
                .body("{\"environment\":\"OnPrem\",\"displayName\":\"e2e " + name + " " + Instant.now() + "\"}")
                .when().post("/api/connectors").then().statusCode(201).extract().path("id");
        var cluster = as("alice").contentType(ContentType.JSON).body("{\"name\":\"e2e-" + name + "\",\"kind\":\"OnPrem\"}")
                .when().post("/api/connectors/" + connectorId + "/clusters").then().statusCode(201).extract();
        ProtectedCluster created = new ProtectedCluster(connectorId, cluster.path("id"), cluster.path("ingestToken"));
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                as("alice").contentType(ContentType.JSON).body("{\"pricingTier\":\"Standard\"}")
                        .when().put("/api/plans/" + connectorId + "/Containers").then().statusCode(200));
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                created.ingest("[]").then().statusCode(200));
        return created;
    }

    /** Posts an audit {@code EventList} (or array) with the cluster's ingest token through the gateway. */
    Response ingest(String body) {
        return given().baseUri(Stack.GATEWAY).auth().oauth2(ingestToken).contentType(ContentType.JSON).body(body)
                .when().post("/ingest/k8s-audit");
    }

    /** alice simulates the Kubernetes bundle on the cluster: its alerts travel the pipeline, marked simulated. */
    void simulateAlerts() {
        as("alice").contentType(ContentType.JSON)
                .body("{\"clusterId\":\"" + clusterId + "\",\"connectorId\":\"" + connectorId
                        + "\",\"properties\":{\"kind\":\"Bundles\",\"bundles\":[\"KubernetesService\"]}}")
                .when().post("/api/alerts/simulate").then().statusCode(202);
    }

    /** The ids of the cluster's alerts as the caller sees them (first 500). */
    List<String> alertIds(RequestSpecification caller) {
        return caller.queryParam("clusterId", clusterId).queryParam("top", 500).when().get("/api/alerts")
                .then().statusCode(200).extract().path("value.name");
    }
}
