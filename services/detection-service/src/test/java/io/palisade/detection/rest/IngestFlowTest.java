package io.palisade.detection.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.messaging.Topics;
import io.palisade.common.security.IngestTokens;
import io.palisade.detection.TestClusters;
import io.palisade.detection.TestClusters.Protection;
import io.palisade.detection.TestClusters.TestCluster;
import io.palisade.detection.persistence.AuditArchive;
import io.palisade.detection.persistence.StoredJson;
import io.palisade.detection.service.CorrelationMaintenance;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class IngestFlowTest {
    private static final String INGEST = "/ingest/k8s-audit";

    @Inject
    AuditArchive archive;

    @Inject
    CorrelationMaintenance correlationMaintenance;

    @Inject
    EntityManager em;

    static TestCluster cluster(boolean containersEnabled) {
        return TestClusters.register(containersEnabled ? Protection.standard() : Protection.none());
    }

    static String event(String auditId, String verb, String resource, String roleRef, Instant time) {
        return roleRef == null ? TestClusters.event(auditId, verb, resource, "x", "mallory", time, null)
                : TestClusters.clusterAdminBinding(auditId, "x", time);
    }

    static String eventList(String... events) {
        return TestClusters.eventList(events);
    }

    @Test
    void aClusterAdminBindingBecomesOneAlertAndEveryEventIsArchived() {
        TestCluster c = cluster(true);
        String attack = UUID.randomUUID().toString();
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body(eventList(event(UUID.randomUUID().toString(), "get", "pods", null, Instant.now()),
                        event(attack, "create", "clusterrolebindings", "cluster-admin", Instant.now()),
                        event(UUID.randomUUID().toString(), "list", "namespaces", null, Instant.now())))
                .when().post(INGEST)
                .then().statusCode(200).body("accepted", equalTo(3)).body("format", equalTo("EventList"));

        JsonNode alert = TestClusters.awaitAlert(c.clusterId(),
                a -> "K8S_ClusterAdminBinding".equals(a.path("alertType").asText()));
        assertEquals("prod-eu", alert.path("compromisedEntity").asText());
        assertEquals("OnPrem", alert.at("/resourceIdentifiers/0/clusterKind").asText(), "alert-service filters on it");
        assertEquals(attack, alert.at("/supportingEvidence/events/0/auditID").asText(), "the audit event is the evidence");
        assertEquals(1, alert.at("/supportingEvidence/count").asInt());

        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> QuarkusTransaction.requiringNew().call(() -> archive.count(c.clusterId())) == 3);
        var activity = KafkaTestClient.awaitRecord(Topics.CLUSTER_ACTIVITY, r -> c.clusterId().toString().equals(r.key()),
                Duration.ofSeconds(10));
        assertTrue(activity.value().contains("\"lastAuditEventAt\""), activity.value());
    }

    @Test
    void activityFromBeforeThePlanWasEnabledRaisesNoAlert() {
        TestCluster c = cluster(true);
        String old = UUID.randomUUID().toString();
        String fresh = UUID.randomUUID().toString();
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body(eventList(TestClusters.clusterAdminBinding(old, "old", Instant.now().minusSeconds(3600)),
                        TestClusters.clusterAdminBinding(fresh, "fresh", Instant.now())))
                .when().post(INGEST).then().statusCode(200);
        // Both events share an audit partition (keyed by cluster), and the detector publishes each alert before it
        // reads on: once the fresh alert is out, the old event was judged, and any alert for it is on the topic.
        TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(fresh));
        assertTrue(TestClusters.alertsOf(c.clusterId()).stream().noneMatch(a -> a.toString().contains(old)),
                "no alert for activity before enablement");
    }

    @Test
    void theSameRuleOnTheSameEntityWithinTheWindowIsOneAlertCountedOncePerEvent() {
        TestCluster c = TestClusters.register(Protection.since(Instant.now().minus(3, ChronoUnit.HOURS)));
        // both events well inside one correlation window (the previous hour), microsecond-precise like MicroTime
        Instant first = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS).plusSeconds(600)
                .plusNanos(123_456_000);
        Instant second = first.plusSeconds(5);
        String a1 = UUID.randomUUID().toString();
        String a2 = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body(eventList(TestClusters.clusterAdminBinding(a1, "backdoor", first),
                        TestClusters.clusterAdminBinding(a2, "backdoor", second),
                        TestClusters.clusterAdminBinding(other, "another-binding", second)))
                .when().post(INGEST).then().statusCode(200);
        // the same event again (a redelivery by the API server) is not counted twice
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body(eventList(TestClusters.clusterAdminBinding(a2, "backdoor", second)))
                .when().post(INGEST).then().statusCode(200);
        String sentinel = UUID.randomUUID().toString();
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body(eventList(TestClusters.clusterAdminBinding(sentinel, "sentinel", second)))
                .when().post(INGEST).then().statusCode(200);
        TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(sentinel));

        List<JsonNode> backdoor = TestClusters.alertsOf(c.clusterId()).stream()
                .filter(a -> "backdoor".equals(a.at("/extendedProperties/bindingName").asText())).toList();
        assertEquals(1, backdoor.size(), "one alert for the entity, not one per event");
        JsonNode alert = backdoor.get(0);
        assertEquals("2", alert.at("/extendedProperties/count").asText());
        assertEquals(2, alert.at("/supportingEvidence/events").size());
        assertEquals(first.toString(), Instant.parse(alert.path("startTimeUtc").asText()).toString());
        assertEquals(second.toString(), Instant.parse(alert.path("endTimeUtc").asText()).toString());
        assertEquals(3, TestClusters.alertsOf(c.clusterId()).size(), "backdoor, another-binding and the sentinel");

        // once its window is long closed, the correlation state is forgotten
        assertEquals(3, correlationRows(c.clusterId()));
        correlationMaintenance.purge(second.plus(Duration.ofHours(1)));
        assertEquals(3, correlationRows(c.clusterId()), "kept for two windows, at least a day");
        correlationMaintenance.purge(Instant.now().plus(Duration.ofDays(2)));
        assertEquals(0, correlationRows(c.clusterId()));
    }

    long correlationRows(UUID clusterId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("SELECT count(*) FROM alert_correlation WHERE cluster_id = ?1")
                .setParameter(1, clusterId).getSingleResult()).longValue());
    }

    @Test
    void hostileContentIsStillArchivedAndDetectedAndEvidenceRedactsWhatARuleFound() {
        TestCluster c = cluster(true);
        // the API server takes a client's Audit-ID header as it is: an id of any length
        String longId = "a".repeat(300);
        // PostgreSQL cannot store NUL, which Kubernetes accepts in annotation values (and a forged event anywhere:
        // here in the name an alert shows); a value of 10,000 characters is cut in the alert's evidence
        String withNul = TestClusters.event(UUID.randomUUID().toString(), "create", "pods", "shop", "mi\\u0000ner",
                "kubernetes-admin", Instant.now(), "\"requestObject\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"miner\","
                        + "\"annotations\":{\"x\":\"a\\u0000b\",\"long\":\"" + "L".repeat(10_000) + "\"}},"
                        + "\"spec\":{\"containers\":[{\"name\":\"m\","
                        + "\"image\":\"example.com/m:1\",\"securityContext\":{\"privileged\":true}}]}}");
        String credentials = TestClusters.event(UUID.randomUUID().toString(), "create", "configmaps", "shop", "aws",
                "kubernetes-admin", Instant.now(), "\"requestObject\":{\"kind\":\"ConfigMap\",\"data\":"
                        + "{\"creds\":\"aws_access_key_id = AKIAEXAMPLE\\naws_secret_access_key = s3cr3t\"}}");
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body(eventList(TestClusters.clusterAdminBinding(longId, "long-id", Instant.now()), withNul, credentials,
                        TestClusters.clusterAdminBinding(UUID.randomUUID().toString(), "b".repeat(6000), Instant.now())))
                .when().post(INGEST).then().statusCode(200).body("accepted", equalTo(4));

        JsonNode binding = TestClusters.awaitAlert(c.clusterId(), a -> "long-id".equals(a.at("/extendedProperties/bindingName").asText()));
        assertTrue(binding.at("/extendedProperties/auditId").asText().startsWith("sha256:"), binding.toString());
        JsonNode privileged = TestClusters.awaitAlert(c.clusterId(),
                a -> "K8S_PrivilegedContainer".equals(a.path("alertType").asText()));
        assertTrue(privileged.toString().contains("mi\uFFFDner"), privileged.toString());
        assertTrue(privileged.toString().contains("10000 characters; the full event is in the audit archive"),
                "long values are cut in evidence");
        assertTrue(!privileged.toString().contains("L".repeat(StoredJson.MAX_EVIDENCE_VALUE_CHARS + 1)));
        JsonNode leak = TestClusters.awaitAlert(c.clusterId(),
                a -> "K8S_ConfigMapWithCredentials".equals(a.path("alertType").asText()));
        assertTrue(leak.toString().contains("<redacted: "), leak.toString());
        assertTrue(!leak.toString().contains("s3cr3t"), "the credentials a rule found are not in the alert");
        // a forged name of 6,000 characters is cut in the alert (it would otherwise appear in it several times)
        JsonNode longName = TestClusters.awaitAlert(c.clusterId(),
                a -> a.at("/extendedProperties/bindingName").asText().startsWith("bbbb"));
        assertTrue(longName.at("/extendedProperties/bindingName").asText().endsWith("<6000 characters; the full event "
                + "is in the audit archive>"), longName.at("/extendedProperties/bindingName").asText());
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> QuarkusTransaction.requiringNew().call(() -> archive.count(c.clusterId())) == 4);
    }

    @Test
    void ingestRefusesWhatItCannotAccept() {
        TestCluster protectedCluster = cluster(true);
        TestCluster unprotected = cluster(false);
        String body = eventList(event("a", "get", "pods", null, Instant.now()));
        given().contentType(ContentType.JSON).body(body).when().post(INGEST).then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(IngestTokens.generate()).contentType(ContentType.JSON).body(body)
                .when().post(INGEST).then().statusCode(401);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(body)
                .when().post(INGEST).then().statusCode(401);
        given().auth().oauth2(unprotected.token()).contentType(ContentType.JSON).body(body)
                .when().post(INGEST).then().statusCode(403).body("detail", containsString("Containers"));
        given().auth().oauth2(protectedCluster.token()).contentType(ContentType.JSON).body("{\"kind\": 0}")
                .when().post(INGEST).then().statusCode(400)
                .body("detail", containsString("not recognized as a k8s audit event"));
        given().auth().oauth2(protectedCluster.token()).contentType(ContentType.JSON)
                .body("{\"kind\":\"EventList\",\"items\":[{\"kind\":\"Event\",\"verb\":\"get\"}]}")
                .when().post(INGEST).then().statusCode(400).body("detail", containsString("items[0]"));
    }

    @Test
    void anUnreadableAuditRecordGoesToTheDeadLetterTopicWithItsReason() {
        String key = UUID.randomUUID().toString();
        KafkaTestClient.send(Topics.AUDIT_EVENTS, key, "{\"type\":\"audit-event\",\"version\":99}");
        var dead = KafkaTestClient.awaitRecord(Topics.AUDIT_EVENTS_DLQ, r -> key.equals(r.key()), Duration.ofSeconds(20));
        assertTrue(KafkaTestClient.header(dead, "dead-letter-reason").contains("unsupported version 99"));
    }

    @Test
    void readersSeeTheRuleCatalogue() {
        given().auth().oauth2(Tokens.reader()).when().get("/api/rules").then().statusCode(200)
                .body("value.find { it.id == 'cluster-admin-binding' }.alertType", equalTo("K8S_ClusterAdminBinding"));
        given().auth().oauth2(Tokens.noRole()).when().get("/api/rules").then().statusCode(403);
        given().when().get("/api/rules/fields").then().statusCode(401);
        assertEquals(200, given().auth().oauth2(Tokens.reader()).when().get("/api/rules/fields").statusCode());
    }
}
