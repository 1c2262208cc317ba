package io.palisade.e2e;

import static io.palisade.e2e.Stack.anonymous;
import static io.palisade.e2e.Stack.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.http.ContentType;

/**
 * The walking skeleton, through the gateway only, with real Keycloak tokens, on real Kafka and PostgreSQL: an
 * admin protects a cluster, the cluster's API server sends an audit log with a cluster-admin binding, a reader sees
 * exactly one alert, and only the admin can dismiss it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonTest {
    private static final String INGEST = "/ingest/k8s-audit";
    private static final Duration WITHIN_SECONDS = Duration.ofSeconds(30);

    static String connectorId;
    static String clusterId;
    static String ingestToken;
    static String attackAuditId = UUID.randomUUID().toString();
    /** When the attack happened: fixed once the plan is on, so that a retried batch is the very same batch. */
    static Instant attackTime;
    static String alertId;

    @BeforeAll
    static void aliceProtectsAnOnPremCluster() {
        // 1. alice creates an on-prem connector and registers a cluster; the answer carries its ingest token once.
        connectorId = as("alice").contentType(ContentType.JSON)
                .body("{\"environment\":\"OnPrem\",\"displayName\":\"e2e datacenter " + Instant.now()
                        + "\",\"hierarchyIdentifier\":\"dc-e2e\"}")
                .when().post("/api/connectors")
                .then().statusCode(201).extract().path("id");
        var cluster = as("alice").contentType(ContentType.JSON)
                .body("{\"name\":\"e2e-cluster\",\"kind\":\"OnPrem\",\"region\":\"dc-e2e\"}")
                .when().post("/api/connectors/" + connectorId + "/clusters")
                .then().statusCode(201).body("ingestToken", startsWith("pit_")).extract();
        clusterId = cluster.path("id");
        ingestToken = cluster.path("ingestToken");

        // 2. alice turns Containers to Standard; plan-service learns of the connector over Kafka first.
        Awaitility.await().atMost(WITHIN_SECONDS).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                as("alice").contentType(ContentType.JSON).body("{\"pricingTier\":\"Standard\"}")
                        .when().put("/api/plans/" + connectorId + "/Containers")
                        .then().statusCode(200).body("pricingTier", equalTo("Standard")));
        // detection-service has the cluster and the plan once the cluster's ingest is accepted
        Awaitility.await().atMost(WITHIN_SECONDS).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                ingest(ingestToken, eventList()).then().statusCode(200));
        attackTime = Instant.now();
    }

    static String event(String auditId, String verb, String resource, String namespace, String requestObject) {
        return event(at(), auditId, verb, resource, namespace, requestObject);
    }

    /** Mallory's request as the API server audits it, at the given time. */
    static String event(Instant at, String auditId, String verb, String resource, String namespace,
            String requestObject) {
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\","
                + "\"auditID\":\"" + auditId + "\",\"stage\":\"ResponseComplete\","
                + "\"requestURI\":\"/apis/rbac.authorization.k8s.io/v1/" + resource + "\",\"verb\":\"" + verb + "\","
                + "\"user\":{\"username\":\"mallory@example.com\",\"groups\":[\"system:authenticated\"]},"
                + "\"sourceIPs\":[\"203.0.113.9\"],\"userAgent\":\"kubectl/v1.32.0\","
                + "\"objectRef\":{\"resource\":\"" + resource + "\"," + (namespace == null ? "" : "\"namespace\":\""
                + namespace + "\",") + "\"name\":\"backdoor\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"apiVersion\":\"v1\"},"
                + "\"responseStatus\":{\"metadata\":{},\"code\":201},"
                + (requestObject == null ? "" : "\"requestObject\":" + requestObject + ",")
                + "\"requestReceivedTimestamp\":\"" + at + "\",\"stageTimestamp\":\"" + at + "\"}";
    }

    static Instant at() {
        return attackTime == null ? Instant.now() : attackTime;
    }

    static String clusterAdminBinding(String auditId) {
        return event(auditId, "create", "clusterrolebindings", null,
                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\","
                        + "\"metadata\":{\"name\":\"backdoor\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
                        + "\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"},"
                        + "\"subjects\":[{\"kind\":\"User\",\"name\":\"mallory@example.com\"}]}");
    }

    static String eventList(String... events) {
        return "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
                + String.join(",", events) + "]}";
    }

    static String theAttack() {
        return eventList(
                event(UUID.randomUUID().toString(), "get", "pods", "default", null),
                clusterAdminBinding(attackAuditId),
                event(UUID.randomUUID().toString(), "list", "namespaces", null, null),
                event(UUID.randomUUID().toString(), "watch", "configmaps", "kube-system", null));
    }

    static io.restassured.response.Response ingest(String token, String body) {
        return given().baseUri(Stack.GATEWAY).auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post(INGEST);
    }

    static List<String> alertIdsOfCluster() {
        return as("bob").queryParam("clusterId", clusterId).queryParam("alertType", "K8S_ClusterAdminBinding")
                .when().get("/api/alerts").then().statusCode(200).extract().path("value.name");
    }

    @Test
    @Order(1)
    void theApiServersAuditLogBecomesExactlyOneAlertThatAReaderSees() {
        // 3. The API server posts an audit.k8s.io/v1 EventList with a cluster-admin binding and benign events.
        ingest(ingestToken, theAttack()).then().statusCode(200).body("accepted", equalTo(4));

        // 4. Within seconds bob (reader) sees exactly one K8S_ClusterAdminBinding alert on the cluster.
        Awaitility.await().atMost(WITHIN_SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> alertIdsOfCluster().size() == 1);
        alertId = alertIdsOfCluster().get(0);
        as("bob").when().get("/api/alerts/" + alertId)
                .then().statusCode(200)
                .body("properties.alertType", equalTo("K8S_ClusterAdminBinding"))
                .body("properties.compromisedEntity", equalTo("e2e-cluster"))
                .body("properties.severity", equalTo("Informational"))
                .body("properties.intent", containsString("PrivilegeEscalation"))
                .body("properties.status", equalTo("Active"))
                .body("properties.entities.type", hasItem("K8s-cluster"))
                .body("properties.extendedProperties.subjectName", equalTo("mallory@example.com"))
                .body("properties.supportingEvidence.events[0].auditID", equalTo(attackAuditId));
    }

    @Test
    @Order(2)
    void onlyTheAdminCanDismissIt() {
        // 5. bob's dismiss is refused; alice's is accepted and the alert is Dismissed.
        as("bob").when().post("/api/alerts/" + alertId + "/dismiss").then().statusCode(403);
        as("alice").contentType(ContentType.JSON).body("{\"comment\":\"e2e: expected test binding\"}")
                .when().post("/api/alerts/" + alertId + "/dismiss").then().statusCode(204);
        as("bob").when().get("/api/alerts/" + alertId)
                .then().statusCode(200)
                .body("properties.status", equalTo("Dismissed"))
                .body("properties.stateHistory[0].changedBy", equalTo("alice"));
    }

    @Test
    @Order(3)
    void everyApiPathNeedsATokenAndAPalisadeRole() {
        // 6. No token → 401 on every /api path; carol (no Palisade role) → 403.
        for (String path : List.of("/api/connectors", "/api/connectors/" + connectorId + "/clusters",
                "/api/plans/" + connectorId, "/api/alerts", "/api/alerts/" + alertId, "/api/rules")) {
            anonymous().when().get(path).then().statusCode(401);
            as("carol").when().get(path).then().statusCode(403);
        }
        anonymous().contentType(ContentType.JSON).body("{}").when().post("/api/connectors").then().statusCode(401);
        as("carol").when().post("/api/alerts/" + alertId + "/activate").then().statusCode(403);
        as("bob").contentType(ContentType.JSON).body("{\"pricingTier\":\"Free\"}")
                .when().put("/api/plans/" + connectorId + "/Containers").then().statusCode(403);
    }

    @Test
    @Order(4)
    void ingestRefusesWrongTokensUnprotectedClustersAndMalformedLogs() {
        ingest("pit_not-a-real-token", theAttack()).then().statusCode(401).contentType("application/problem+json");
        anonymous().contentType(ContentType.JSON).body(theAttack()).when().post(INGEST).then().statusCode(401);
        ingest(Stack.token("alice"), theAttack()).then().statusCode(401);

        // a cluster under a connector with no enabled plan
        String bare = as("alice").contentType(ContentType.JSON)
                .body("{\"environment\":\"OnPrem\",\"displayName\":\"e2e unprotected " + Instant.now() + "\"}")
                .when().post("/api/connectors").then().statusCode(201).extract().path("id");
        String bareToken = as("alice").contentType(ContentType.JSON).body("{\"name\":\"bare\",\"kind\":\"OnPrem\"}")
                .when().post("/api/connectors/" + bare + "/clusters").then().statusCode(201).extract().path("ingestToken");
        Awaitility.await().atMost(WITHIN_SECONDS).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                ingest(bareToken, theAttack()).then().statusCode(403)
                        .body("detail", containsString("neither the Containers nor the Kubernetes plan")));

        ingest(ingestToken, "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[{\"kind\":\"Event\"}]}")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("items[0]"));
        ingest(ingestToken, "{\"kind\":\"EventList\",\"items\":[").then().statusCode(400)
                .body("detail", containsString("not valid JSON"));
    }

    @Test
    @Order(5)
    void postingTheSameEventListAgainCountsNothingTwiceAndANewBindingEventUpdatesTheSameAlert() {
        // 7. The API server retries the same batch (webhook retries are normal): the event is not counted again.
        ingest(ingestToken, theAttack()).then().statusCode(200);
        // A later event on the same binding (same cluster, same partition, after the retry) is correlated into the
        // same alert: its count becomes exactly 2 (3 would mean the retried event was counted twice).
        String marker = UUID.randomUUID().toString();
        ingest(ingestToken, eventList(clusterAdminBinding(marker))).then().statusCode(200);
        Awaitility.await().atMost(WITHIN_SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> "2".equals(alertCount()));
        Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "2".equals(alertCount()) && alertIdsOfCluster().size() == 1);
        as("bob").when().get("/api/alerts/" + alertId).then()
                .body("properties.status", equalTo("Dismissed"))
                .body("properties.supportingEvidence.events.auditID", hasItem(marker));
    }

    static String alertCount() {
        return as("bob").when().get("/api/alerts/" + alertId).then().statusCode(200).extract()
                .path("properties.extendedProperties.count");
    }

    @Test
    @Order(6)
    void aRotatedIngestTokenStopsWorkingWithinSeconds() {
        String newToken = as("alice").when()
                .post("/api/connectors/" + connectorId + "/clusters/" + clusterId + "/rotate-ingest-token")
                .then().statusCode(200).body("ingestToken", startsWith("pit_")).extract().path("ingestToken");
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                ingest(ingestToken, eventList()).then().statusCode(401));
        ingest(newToken, eventList(event(UUID.randomUUID().toString(), "get", "pods", "default", null)))
                .then().statusCode(200).body("accepted", equalTo(1));
    }
}
