package io.palisade.detection.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.detection.TestClusters;
import io.palisade.detection.TestClusters.Protection;
import io.palisade.detection.TestClusters.TestCluster;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * Every delivery format, built the way its sender builds it, through the real ingest path to an alert: EKS through
 * Amazon Data Firehose (CloudWatch Logs payload, gzip, base64), AKS diagnostic-log records over HTTP and from a Kafka
 * topic (Event Hubs), and Falco sensor events; plus the limits and plan gating every format shares.
 */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class IngestFormatsTest {
    private static final String SUBSCRIPTION = "7c1f3b42-5d6e-4f80-9a1b-2c3d4e5f6a7b";

    static String binding(String auditId, String bindingName) {
        return TestClusters.clusterAdminBinding(auditId, bindingName, Instant.now());
    }

    /** What CloudWatch Logs hands a subscription: gzip of the DATA_MESSAGE JSON; Firehose then base64s it. */
    static String cloudWatchRecord(String logStream, String... messages) {
        ObjectNode payload = EventCodec.mapper().createObjectNode();
        payload.put("messageType", "DATA_MESSAGE").put("owner", "123456789012")
                .put("logGroup", "/aws/eks/shop/cluster").put("logStream", logStream);
        payload.putArray("subscriptionFilters").add("palisade");
        ArrayNode events = payload.putArray("logEvents");
        long id = 36000000000000000L;
        for (String message : messages) {
            events.addObject().put("id", Long.toString(id++)).put("timestamp", System.currentTimeMillis())
                    .put("message", message);
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(EventCodec.encode(payload).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Base64.getEncoder().encodeToString(gz.toByteArray());
    }

    static String firehoseRequest(String requestId, String... records) {
        ObjectNode request = EventCodec.mapper().createObjectNode();
        request.put("requestId", requestId).put("timestamp", System.currentTimeMillis());
        ArrayNode array = request.putArray("records");
        for (String data : records) {
            array.addObject().put("data", data);
        }
        return EventCodec.encode(request);
    }

    static String aksRecords(String resourceId, String... auditEvents) {
        ObjectNode envelope = EventCodec.mapper().createObjectNode();
        ArrayNode records = envelope.putArray("records");
        for (String event : auditEvents) {
            ObjectNode record = records.addObject();
            record.put("time", Instant.now().toString()).put("resourceId", resourceId)
                    .put("category", "kube-audit-admin").put("operationName", "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read");
            record.putObject("properties").put("log", event).put("pod", "kube-apiserver-7d8f9c6b5-x2x4q");
        }
        ObjectNode other = records.addObject();
        other.put("resourceId", resourceId).put("category", "kube-apiserver");
        other.putObject("properties").put("log", "I1121 04:00:00.000000 1 server.go:100] not an audit event");
        return EventCodec.encode(envelope);
    }

    static String falcoEvent(String rule, String priority, String pod) {
        return """
                {"uuid":"%s","output":"04:00:00.000000000: Notice A shell was spawned in a container with an attached terminal (user=root container_id=4f2a9c1d7e3b image=docker.io/library/nginx k8s.ns=shop k8s.pod=%s)",
                 "priority":"%s","rule":"%s","time":"%s","source":"syscall","hostname":"node-1",
                 "tags":["container","maturity_stable","mitre_execution","shell","T1059"],
                 "output_fields":{"container.id":"4f2a9c1d7e3b","container.image.repository":"docker.io/library/nginx",
                   "k8s.ns.name":"shop","k8s.pod.name":"%s","proc.cmdline":"bash","user.name":"root"}}"""
                .formatted(UUID.randomUUID(), pod, priority, rule, Instant.now(), pod);
    }

    @Test
    void eksAuditLogsDeliveredByFirehoseAreAcceptedAndAnsweredTheWayFirehoseExpects() {
        TestCluster c = TestClusters.register(Protection.standard());
        String requestId = UUID.randomUUID().toString();
        String attack = UUID.randomUUID().toString();
        String body = firehoseRequest(requestId,
                cloudWatchRecord("kube-apiserver-audit-71976ca11bea5d3083393f7d32dab75b", binding(attack, "eks-backdoor"),
                        TestClusters.event(UUID.randomUUID().toString(), "get", "pods", "web", "kubernetes-admin",
                                Instant.now(), null)),
                cloudWatchRecord("authenticator-71976ca11bea5d3083393f7d32dab75b", "time=\"2026-11-21\" msg=\"access granted\""));
        given().header("X-Amz-Firehose-Access-Key", c.token()).header("X-Amz-Firehose-Request-Id", requestId)
                .contentType(ContentType.JSON).body(body)
                .when().post("/ingest/eks")
                .then().statusCode(200).body("requestId", equalTo(requestId)).body("timestamp", notNullValue());
        JsonNode alert = TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(attack));
        assertEquals("K8S_ClusterAdminBinding", alert.path("alertType").asText());

        // errors keep Firehose's shape (requestId, timestamp, errorMessage) next to the Problem fields
        given().header("X-Amz-Firehose-Access-Key", "pit_not-a-token").header("X-Amz-Firehose-Request-Id", requestId)
                .contentType(ContentType.JSON).body(body)
                .when().post("/ingest/eks")
                .then().statusCode(401).body("requestId", equalTo(requestId)).body("errorMessage", notNullValue())
                .body("status", equalTo(401));
        given().header("X-Amz-Firehose-Access-Key", c.token()).contentType(ContentType.JSON)
                .body(firehoseRequest(requestId, "not base64 !"))
                .when().post("/ingest/eks")
                .then().statusCode(400).body("requestId", equalTo(requestId))
                .body("errorMessage", containsString("records[0]"));
    }

    @Test
    void aksDiagnosticRecordsAreAcceptedOverHttp() {
        TestCluster c = TestClusters.register(Protection.standard());
        String attack = UUID.randomUUID().toString();
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body(aksRecords("/SUBSCRIPTIONS/" + SUBSCRIPTION.toUpperCase()
                        + "/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD",
                        binding(attack, "aks-backdoor")))
                .when().post("/ingest/aks")
                .then().statusCode(200).body("accepted", equalTo(1)).body("skipped", equalTo(1));
        TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(attack));
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body("{\"records\":[{\"category\":\"kube-audit\",\"properties\":{\"log\":\"{not json\"}}]}")
                .when().post("/ingest/aks")
                .then().statusCode(400).body("detail", containsString("records[0]"));
    }

    @Test
    void aksRecordsFromTheEventHubTopicReachTheirClusterByResourceId() {
        TestCluster c = TestClusters.publish("aks-prod", "AzureSubscription", SUBSCRIPTION, Protection.standard());
        TestClusters.awaitKnown(List.of(c));
        String attack = UUID.randomUUID().toString();
        String resourceId = "/SUBSCRIPTIONS/" + SUBSCRIPTION.toUpperCase()
                + "/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD";
        KafkaTestClient.send(Topics.AKS_AUDIT, UUID.randomUUID().toString(),
                aksRecords(resourceId, binding(attack, "hub-backdoor")));
        JsonNode alert = TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(attack));
        assertEquals("aks-prod", alert.path("compromisedEntity").asText());

        String unknown = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/x/providers/Microsoft.ContainerService/managedClusters/not-registered";
        String key = UUID.randomUUID().toString();
        KafkaTestClient.send(Topics.AKS_AUDIT, key, aksRecords(unknown, binding(UUID.randomUUID().toString(), "y")));
        var dead = KafkaTestClient.awaitRecord(Topics.AUDIT_EVENTS_DLQ, r -> key.equals(r.key()), Duration.ofSeconds(30));
        assertTrue(KafkaTestClient.header(dead, "dead-letter-reason").contains("no registered AKS cluster 'not-registered'"),
                KafkaTestClient.header(dead, "dead-letter-reason"));
    }

    @Test
    void falcoEventsBecomeNodeAlerts() {
        TestCluster c = TestClusters.register(Protection.standard());
        String pod = "web-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body(falcoEvent("Terminal shell in container", "Notice", pod))
                .when().post("/ingest/falco")
                .then().statusCode(200).body("accepted", equalTo(1));
        JsonNode alert = TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(pod));
        assertEquals("K8S.NODE_TerminalShellInContainer", alert.path("alertType").asText());
        assertEquals("Execution", alert.path("intent").asText());
        assertEquals("Terminal shell in container", alert.at("/extendedProperties/falcoRule").asText());
        assertTrue(alert.path("entities").toString().contains("\"hostName\":\"node-1\""), alert.toString());

        // Falcosidekick posts one event per request; an unknown rule still alerts, under a name derived from it
        String other = "batch-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body(falcoEvent("Custom Rule Of The Team", "Critical", other))
                .when().post("/ingest/falco").then().statusCode(200);
        JsonNode custom = TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(other));
        assertEquals("K8S.NODE_CustomRuleOfTheTeam", custom.path("alertType").asText());
        assertEquals("High", custom.path("severity").asText());

        given().auth().oauth2(c.token()).contentType(ContentType.JSON).body("{\"output\":\"x\",\"priority\":\"Notice\"}")
                .when().post("/ingest/falco").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("rule"));
    }

    @Test
    void aFalcoRuleWithALongNameStillAlerts() {
        // found by IngestAndApiFuzzTest: accepted, then dead-lettered (its alert type did not fit the correlation's
        // rule key column)
        TestCluster c = TestClusters.register(Protection.standard());
        String pod = "long-rule-" + UUID.randomUUID().toString().substring(0, 8);
        String rule = "Custom" + " word".repeat(60);
        given().auth().oauth2(c.token()).contentType(ContentType.JSON).body(falcoEvent(rule, "Warning", pod))
                .when().post("/ingest/falco").then().statusCode(200);
        JsonNode alert = TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(pod));
        assertEquals("K8S.NODE_Custom" + "Word".repeat(60), alert.path("alertType").asText());
    }

    @Test
    void aSensorEventWithAnIdLongerThanAnAuditIdStillAlerts() {
        // found by IngestAndApiFuzzTest: accepted, then dead-lettered (the id did not fit its column)
        TestCluster c = TestClusters.register(Protection.standard());
        String pod = "long-uuid-" + UUID.randomUUID().toString().substring(0, 8);
        String event = falcoEvent("Terminal shell in container", "Notice", pod)
                .replaceFirst("\"uuid\":\"[^\"]+\"", "\"uuid\":\"" + "u".repeat(300) + "\"");
        given().auth().oauth2(c.token()).contentType(ContentType.JSON).body(event)
                .when().post("/ingest/falco").then().statusCode(200);
        TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(pod));
    }

    @Test
    void anEventTooLargeToStoreIsRefusedWith413AndNothingOfItsRequestIsAccepted() {
        TestCluster c = TestClusters.register(Protection.standard());
        String requestId = UUID.randomUUID().toString();
        String attack = UUID.randomUUID().toString();
        // Firehose may carry more than the request limit (gzip): one event of 9 MiB, over the 8 MiB a record may hold
        String huge = binding(UUID.randomUUID().toString(), "huge").replaceFirst("\\{",
                "{\"padding\":\"" + "A".repeat(9 * 1024 * 1024) + "\",");
        String body = firehoseRequest(requestId, cloudWatchRecord("kube-apiserver-audit-1", binding(attack, "before"),
                huge));
        given().header("X-Amz-Firehose-Access-Key", c.token()).header("X-Amz-Firehose-Request-Id", requestId)
                .contentType(ContentType.JSON).body(body)
                .when().post("/ingest/eks")
                .then().statusCode(413).body("requestId", equalTo(requestId))
                .body("errorMessage", containsString("Event 1 of the request takes"))
                .body("errorMessage", containsString("nothing of the request was accepted"));

        // the event before it was not sent either: a later attack alerts, the refused one never does
        String later = UUID.randomUUID().toString();
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body(TestClusters.eventList(binding(later, "after")))
                .when().post("/ingest/k8s-audit").then().statusCode(200);
        TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(later));
        assertTrue(TestClusters.alertsOf(c.clusterId()).stream().noneMatch(a -> a.toString().contains(attack)),
                "an event of a refused request was stored");
    }

    @Test
    void limitsAndPlanGatingHoldForEveryFormat() throws Exception {
        TestCluster c = TestClusters.register(Protection.standard());
        // a body over palisade.ingest.max-request-bytes (1 MiB in tests) is refused with a Problem, unread
        byte[] large = new byte[1_200_000];
        java.util.Arrays.fill(large, (byte) ' ');
        given().auth().oauth2(c.token()).contentType(ContentType.JSON).body(large)
                .when().post("/ingest/k8s-audit").then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("max-request-bytes"));
        // the same in chunks (no declared length) is refused as it is read; a batch in chunks is read whole
        HttpResponse<String> refused = postChunked(c.token(), large);
        assertEquals(413, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("max-request-bytes"), refused.body());
        String chunked = UUID.randomUUID().toString();
        HttpResponse<String> accepted = postChunked(c.token(),
                TestClusters.eventList(binding(chunked, "chunked")).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, accepted.statusCode(), accepted.body());
        assertEquals(1, EventCodec.mapper().readTree(accepted.body()).path("accepted").asInt(), accepted.body());
        TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(chunked));

        // audit-log collection off: audit formats refused, the sensor still reports
        TestClusters.setProtection(c.connectorId(), new Protection(true, Instant.now().minusSeconds(60), false));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(c.token())
                .contentType(ContentType.JSON).body(TestClusters.eventList(binding(UUID.randomUUID().toString(), "z")))
                .post("/ingest/k8s-audit").statusCode() == 403);
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body(aksRecords("/subscriptions/x/resourceGroups/y/providers/Microsoft.ContainerService/managedClusters/z"))
                .when().post("/ingest/aks").then().statusCode(403).body("detail", containsString("AuditLogCollection"));
        given().auth().oauth2(c.token()).contentType(ContentType.JSON).body(falcoEvent("Terminal shell in container",
                "Notice", "p")).when().post("/ingest/falco").then().statusCode(200);

        // plan off: nothing is collected
        TestClusters.setProtection(c.connectorId(), Protection.none());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(c.token())
                .contentType(ContentType.JSON).body(falcoEvent("Terminal shell in container", "Notice", "p"))
                .post("/ingest/falco").statusCode() == 403);
        given().auth().oauth2(c.token()).contentType(ContentType.JSON).body(firehoseRequest("r1"))
                .header("X-Amz-Firehose-Access-Key", c.token()).header("X-Amz-Firehose-Request-Id", "r1")
                .when().post("/ingest/eks").then().statusCode(403).body("requestId", equalTo("r1"))
                .body("errorMessage", containsString("Containers"));
    }

    /** POSTs the body to the audit webhook in chunks ({@code Transfer-Encoding: chunked}: no declared length). */
    private static HttpResponse<String> postChunked(String token, byte[] body) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                + "/ingest/k8s-audit")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
