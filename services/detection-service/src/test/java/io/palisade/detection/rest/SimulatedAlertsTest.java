package io.palisade.detection.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.detection.TestClusters;
import io.palisade.detection.TestClusters.Protection;
import io.palisade.detection.TestClusters.TestCluster;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/** The synthetic events of alert-service's simulation: judged like any, alerts marked simulated, nothing archived. */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class SimulatedAlertsTest {
    @Inject
    EntityManager em;

    static void simulate(TestCluster c, String event) {
        KafkaTestClient.send(Topics.AUDIT_EVENTS, c.clusterId().toString(), EventCodec.encode(AuditEventEnvelope.of(
                c.clusterId(), c.connectorId(), AuditEventEnvelope.SIMULATION, Instant.now(), TestClusters.json(event))));
    }

    @Test
    void aSimulationEnvelopeYieldsSimulatedAlertsButNoArchiveAndNoBaseline() {
        TestCluster c = TestClusters.register(Protection.standard());
        String run = "palisade-simulation-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        simulate(c, TestClusters.clusterAdminBinding(run + "1", "simulated-admin", Instant.now()));
        // a service account's first operation would start its baseline, were it real
        simulate(c, TestClusters.event(run + "2", "get", "pods", "default", "web", "system:serviceaccount:default:sim",
                Instant.now(), null));

        JsonNode alert = TestClusters.awaitAlert(c.clusterId(),
                a -> "K8S_ClusterAdminBinding".equals(a.path("alertType").asText()));
        assertEquals("[Simulated] Role binding to the cluster-admin role detected",
                alert.path("alertDisplayName").asText());
        assertEquals("true", alert.path("extendedProperties").path("simulated").asText());
        assertEquals(run + "1", alert.path("extendedProperties").path("auditId").asText());

        // real activity of the same cluster, after the simulation on the same partition: once it is archived and
        // learnt, the simulated events have been through both consumer groups
        String real = "real-" + UUID.randomUUID();
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body(TestClusters.eventList(TestClusters.clusterAdminBinding(real + "-1", "real-admin", Instant.now()),
                        TestClusters.event(real + "-2", "get", "pods", "default", "web",
                                "system:serviceaccount:default:real", Instant.now(), null)))
                .when().post("/ingest/k8s-audit").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> archivedAuditIds(c).size() == 2);
        assertEquals(List.of(real + "-1", real + "-2"), archivedAuditIds(c));

        JsonNode realAlert = TestClusters.awaitAlert(c.clusterId(),
                a -> (real + "-1").equals(a.path("extendedProperties").path("auditId").asText()));
        assertEquals("Role binding to the cluster-admin role detected", realAlert.path("alertDisplayName").asText());
        assertTrue(realAlert.path("extendedProperties").path("simulated").isMissingNode());
        // simulated alerts correlate apart: the real binding is a new alert, not a second count of the simulated one
        assertTrue(!realAlert.path("systemAlertId").asText().equals(alert.path("systemAlertId").asText()));

        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> baselineSubjects(c).contains("system:serviceaccount:default:real"));
        assertEquals(List.of("system:serviceaccount:default:real"), baselineSubjects(c));
    }

    @SuppressWarnings("unchecked")
    List<String> archivedAuditIds(TestCluster c) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT audit_id FROM audit_event_archive WHERE cluster_id = ?1 ORDER BY audit_id", String.class)
                .setParameter(1, c.clusterId()).getResultList());
    }

    @SuppressWarnings("unchecked")
    List<String> baselineSubjects(TestCluster c) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT subject FROM baseline_subject WHERE cluster_id = ?1 ORDER BY subject", String.class)
                .setParameter(1, c.clusterId()).getResultList());
    }
}
