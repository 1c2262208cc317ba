package io.palisade.detection.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.palisade.common.events.ClusterEvent;
import io.palisade.common.events.PlanStateEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.common.security.IngestTokens;
import io.palisade.detection.persistence.AuditArchive;
import io.palisade.detection.service.AlertFactory;
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

    record TestCluster(UUID clusterId, UUID connectorId, String token) {
    }

    /** A cluster as connector-service publishes it, under a connector with the given plan state. */
    static TestCluster cluster(boolean containersEnabled) {
        UUID connectorId = UUID.randomUUID();
        UUID clusterId = UUID.randomUUID();
        String token = IngestTokens.generate();
        KafkaTestClient.send(Topics.CONNECTORS, clusterId.toString(), EventCodec.encode(
                ClusterEvent.of(clusterId, connectorId, "prod-eu", "OnPrem", IngestTokens.hash(token), Instant.now())));
        var plans = List.of(new PlanStateEvent.PlanEntry("Containers", containersEnabled ? "Standard" : "Free",
                containersEnabled ? Instant.now().minusSeconds(60) : null));
        KafkaTestClient.send(Topics.PLANS, connectorId.toString(),
                EventCodec.encode(PlanStateEvent.of(connectorId, plans, Instant.now())));
        // the cluster is known once its token is no longer refused
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> given().auth().oauth2(token)
                .contentType(ContentType.JSON).body("{").post(INGEST).statusCode() != 401);
        return new TestCluster(clusterId, connectorId, token);
    }

    static String event(String auditId, String verb, String resource, String roleRef, Instant time) {
        String request = roleRef == null ? "" : ",\"requestObject\":{\"kind\":\"ClusterRoleBinding\","
                + "\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"" + roleRef + "\"},"
                + "\"subjects\":[{\"kind\":\"User\",\"name\":\"mallory\"}]}";
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\","
                + "\"auditID\":\"" + auditId + "\",\"stage\":\"ResponseComplete\",\"verb\":\"" + verb + "\","
                + "\"user\":{\"username\":\"mallory\"},\"sourceIPs\":[\"203.0.113.7\"],"
                + "\"objectRef\":{\"resource\":\"" + resource + "\",\"name\":\"x\",\"apiGroup\":\"rbac.authorization.k8s.io\"},"
                + "\"responseStatus\":{\"code\":201},\"stageTimestamp\":\"" + time + "\"" + request + "}";
    }

    static String eventList(String... events) {
        return "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[" + String.join(",", events) + "]}";
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

        String alertId = AlertFactory.alertId(c.clusterId(), "cluster-admin-binding", attack);
        var alert = KafkaTestClient.awaitRecord(Topics.ALERTS, r -> alertId.equals(r.key()), Duration.ofSeconds(20));
        assertTrue(alert.value().contains("\"alertType\":\"K8S_ClusterAdminBinding\""), alert.value());
        assertTrue(alert.value().contains("\"compromisedEntity\":\"prod-eu\""), alert.value());
        assertTrue(alert.value().contains("\"auditID\":\"" + attack + "\""), "the audit event is the evidence");

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
                .body(eventList(event(old, "create", "clusterrolebindings", "cluster-admin", Instant.now().minusSeconds(3600)),
                        event(fresh, "create", "clusterrolebindings", "cluster-admin", Instant.now())))
                .when().post(INGEST).then().statusCode(200);
        String oldId = AlertFactory.alertId(c.clusterId(), "cluster-admin-binding", old);
        String freshId = AlertFactory.alertId(c.clusterId(), "cluster-admin-binding", fresh);
        // Both events share an audit partition (keyed by cluster), and the detector publishes each alert before it
        // reads on: once the fresh alert is out, the old event was judged, and any alert for it is on the topic.
        KafkaTestClient.awaitRecord(Topics.ALERTS, r -> freshId.equals(r.key()), Duration.ofSeconds(20));
        assertTrue(KafkaTestClient.readToEnd(Topics.ALERTS).stream().noneMatch(r -> oldId.equals(r.key())),
                "no alert for activity before enablement");
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
