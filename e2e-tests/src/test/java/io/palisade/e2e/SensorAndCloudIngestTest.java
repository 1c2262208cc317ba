package io.palisade.e2e;

import static io.palisade.e2e.Stack.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

/**
 * The other ways clusters send data, through the gateway's {@code /ingest/**}: the node sensor's Falco events
 * become node alerts, EKS audit logs arrive through Amazon Data Firehose (answered in Firehose's shape), and AKS
 * diagnostic records over HTTP; a security admin adds a custom rule that takes effect at once.
 */
class SensorAndCloudIngestTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);

    static String clusterId;
    static String token;

    @BeforeAll
    static void aliceProtectsACluster() {
        String connectorId = as("alice").contentType(ContentType.JSON)
                .body("{\"environment\":\"OnPrem\",\"displayName\":\"e2e sensor " + Instant.now() + "\"}")
                .when().post("/api/connectors").then().statusCode(201).extract().path("id");
        var cluster = as("alice").contentType(ContentType.JSON).body("{\"name\":\"e2e-sensor\",\"kind\":\"OnPrem\"}")
                .when().post("/api/connectors/" + connectorId + "/clusters")
                .then().statusCode(201).body("ingestToken", startsWith("pit_")).extract();
        clusterId = cluster.path("id");
        token = cluster.path("ingestToken");
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                as("alice").contentType(ContentType.JSON).body("{\"pricingTier\":\"Standard\"}")
                        .when().put("/api/plans/" + connectorId + "/Containers").then().statusCode(200));
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                given().baseUri(Stack.GATEWAY).auth().oauth2(token).contentType(ContentType.JSON).body("[]")
                        .when().post("/ingest/k8s-audit").then().statusCode(200));
    }

    static List<String> alertTypes() {
        return as("bob").queryParam("clusterId", clusterId).queryParam("top", 500).when().get("/api/alerts")
                .then().statusCode(200).extract().path("value.properties.alertType");
    }

    static String auditEvent(String auditId, String user, String verb, String resource, String namespace) {
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + auditId
                + "\",\"stage\":\"ResponseComplete\",\"verb\":\"" + verb + "\",\"user\":{\"username\":\"" + user + "\"},"
                + "\"sourceIPs\":[\"198.51.100.4\"],\"objectRef\":{\"resource\":\"" + resource + "\",\"namespace\":\""
                + namespace + "\",\"name\":\"x\"},\"responseStatus\":{\"code\":200},\"stageTimestamp\":\""
                + Instant.now() + "\"}";
    }

    @Test
    void falcoEventsOfTheSensorBecomeNodeAlerts() {
        String falco = "{\"output\":\"Notice A shell was spawned in a container with an attached terminal\","
                + "\"priority\":\"Notice\",\"rule\":\"Terminal shell in container\",\"time\":\"" + Instant.now()
                + "\",\"source\":\"syscall\",\"hostname\":\"worker-1\",\"tags\":[\"container\",\"mitre_execution\"],"
                + "\"output_fields\":{\"k8s.ns.name\":\"shop\",\"k8s.pod.name\":\"web-0\",\"container.id\":\"abc123\","
                + "\"proc.cmdline\":\"bash\"}}";
        given().baseUri(Stack.GATEWAY).auth().oauth2(token).contentType(ContentType.JSON).body(falco)
                .when().post("/ingest/falco").then().statusCode(200).body("accepted", equalTo(1));
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> alertTypes().contains("K8S.NODE_TerminalShellInContainer"));
    }

    @Test
    void eksAuditLogsArriveThroughFirehose() throws IOException {
        String requestId = UUID.randomUUID().toString();
        String payload = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"logGroup\":\"/aws/eks/e2e/cluster\","
                + "\"logStream\":\"kube-apiserver-audit-0f1e2d3c\",\"subscriptionFilters\":[\"palisade\"],\"logEvents\":[{"
                + "\"id\":\"1\",\"timestamp\":" + System.currentTimeMillis() + ",\"message\":"
                + quote(auditEvent(UUID.randomUUID().toString(), "kubernetes-admin", "delete", "events", "shop")) + "}]}";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(payload.getBytes(StandardCharsets.UTF_8));
        }
        String body = "{\"requestId\":\"" + requestId + "\",\"timestamp\":" + System.currentTimeMillis()
                + ",\"records\":[{\"data\":\"" + Base64.getEncoder().encodeToString(gz.toByteArray()) + "\"}]}";
        given().baseUri(Stack.GATEWAY).header("X-Amz-Firehose-Access-Key", token)
                .header("X-Amz-Firehose-Request-Id", requestId).contentType(ContentType.JSON).body(body)
                .when().post("/ingest/eks").then().statusCode(200).body("requestId", equalTo(requestId));
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> alertTypes().contains("K8S_DeleteEvents"));
    }

    @Test
    void aksRecordsArriveOverHttpAndACustomRuleTakesEffectAtOnce() {
        String ruleId = "e2e-finance-" + UUID.randomUUID().toString().substring(0, 8);
        as("alice").contentType(ContentType.JSON).body("{\"id\":\"" + ruleId + "\",\"alertType\":\"K8S_FinanceTouched\","
                + "\"displayName\":\"Finance namespace read\",\"description\":\"Someone read in finance.\","
                + "\"severity\":\"Medium\",\"intent\":[\"Collection\"],"
                + "\"condition\":{\"field\":\"objectRef.namespace\",\"equals\":\"finance\"}}")
                .when().post("/api/rules").then().statusCode(201);
        as("bob").when().get("/api/rules/" + ruleId).then().statusCode(200).body("source", equalTo("custom"));
        String records = "{\"records\":[{\"time\":\"" + Instant.now() + "\",\"resourceId\":\"/SUBSCRIPTIONS/X/RESOURCEGROUPS/"
                + "RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/E2E\",\"category\":\"kube-audit\","
                + "\"properties\":{\"log\":" + quote(auditEvent(UUID.randomUUID().toString(), "kubernetes-admin", "get",
                        "configmaps", "finance")) + "}}]}";
        given().baseUri(Stack.GATEWAY).auth().oauth2(token).contentType(ContentType.JSON).body(records)
                .when().post("/ingest/aks").then().statusCode(200).body("accepted", equalTo(1));
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> alertTypes().contains("K8S_FinanceTouched"));
        as("alice").when().delete("/api/rules/" + ruleId).then().statusCode(204);
        as("bob").when().get("/api/rules").then().statusCode(200).body("value.id", hasItem("cluster-admin-binding"));
    }

    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
