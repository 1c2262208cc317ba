package io.palisade.detection.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.detection.TestClusters;
import io.palisade.detection.TestClusters.Protection;
import io.palisade.detection.TestClusters.TestCluster;
import io.palisade.testsupport.EndpointSecurity;
import io.palisade.testsupport.EndpointSecurity.Endpoint;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/**
 * Security admins shape detection without a restart: custom rules (validated like the shipped ones), turning rules
 * off and on, and the threat-intelligence IP lists; the service-account baseline learns and is kept in PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class RuleManagementTest {
    @Inject
    EntityManager em;

    static String customRule(String id, String namespace) {
        return """
                {"id":"%s","alertType":"K8S_CrownJewelsTouched","displayName":"Crown-jewels namespace changed",
                 "description":"A change in the payments namespace.","severity":"High","intent":["Impact"],
                 "condition":{"all":[{"field":"verb","in":["create","update","patch","delete"]},
                                     {"field":"objectRef.namespace","equals":"%s"}]},
                 "entity":["objectRef.namespace"],
                 "remediationSteps":["Ask the payments team."]}""".formatted(id, namespace);
    }

    static String change(String auditId, String namespace, String user) {
        return TestClusters.event(auditId, "create", "configmaps", namespace, "cfg", user, Instant.now(), null);
    }

    static void send(TestCluster c, String... events) {
        given().auth().oauth2(c.token()).contentType(ContentType.JSON).body(TestClusters.eventList(events))
                .when().post("/ingest/k8s-audit").then().statusCode(200);
    }

    @Test
    void everyChangeOfTheCatalogueNeedsAnAdmin() {
        EndpointSecurity.assertEveryEndpointChecksTheCaller(List.of(
                Endpoint.read("/api/rules"),
                Endpoint.read("/api/rules/cluster-admin-binding"),
                Endpoint.read("/api/rules/lists"),
                Endpoint.read("/api/threat-intel/ip-lists"),
                Endpoint.read("/api/threat-intel/ip-lists/proxy"),
                Endpoint.change("POST", "/api/rules", customRule("x-rule", "x")),
                Endpoint.change("PUT", "/api/rules/x-rule", customRule("x-rule", "x")),
                Endpoint.change("DELETE", "/api/rules/x-rule", null),
                Endpoint.change("POST", "/api/rules/cluster-admin-binding/disable", null),
                Endpoint.change("POST", "/api/rules/cluster-admin-binding/enable", null),
                Endpoint.change("PUT", "/api/threat-intel/ip-lists/proxy", "{\"entries\":[]}")));
    }

    @Test
    void aCustomRuleTakesEffectWithoutARestartAndCanBeChangedDisabledAndDeleted() {
        TestCluster c = TestClusters.register(Protection.standard());
        String id = "payments-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(customRule(id, "payments"))
                .when().post("/api/rules")
                .then().statusCode(201).header("Location", containsString("/api/rules/" + id))
                .body("source", equalTo("custom")).body("enabled", equalTo(true));
        String first = UUID.randomUUID().toString();
        send(c, change(first, "payments", "kubernetes-admin"));
        JsonNode alert = TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(first));
        assertEquals("K8S_CrownJewelsTouched", alert.path("alertType").asText());
        assertEquals(id, alert.path("ruleId").asText());

        // updated: now about another namespace
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(customRule(id, "billing"))
                .when().put("/api/rules/" + id).then().statusCode(200);
        String second = UUID.randomUUID().toString();
        send(c, change(UUID.randomUUID().toString(), "payments", "kubernetes-admin"), change(second, "billing",
                "kubernetes-admin"));
        TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(second));

        // disabled, then deleted
        given().auth().oauth2(Tokens.admin()).when().post("/api/rules/" + id + "/disable").then().statusCode(200)
                .body("enabled", equalTo(false));
        given().auth().oauth2(Tokens.admin()).when().delete("/api/rules/" + id).then().statusCode(204);
        given().auth().oauth2(Tokens.reader()).when().get("/api/rules/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        String third = UUID.randomUUID().toString();
        String sentinel = UUID.randomUUID().toString();
        send(c, change(third, "billing", "kubernetes-admin"),
                TestClusters.clusterAdminBinding(sentinel, "sentinel", Instant.now()));
        TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(sentinel));
        assertTrue(TestClusters.alertsOf(c.clusterId()).stream().noneMatch(a -> a.toString().contains(third)),
                "a deleted rule raises nothing");
    }

    @Test
    void customRulesAreValidatedLikeShippedOnesAndShippedRulesCannotBeRewritten() {
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(customRule("typo-rule", "x").replace("objectRef.namespace\",\"equals", "objectRef.nmespace\",\"equals"))
                .when().post("/api/rules")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("unknown field 'objectRef.nmespace'"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(customRule("bad-severity", "x").replace("\"High\"", "\"Critical\""))
                .when().post("/api/rules").then().statusCode(400).body("detail", containsString("severity"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"id\":\"x\"")
                .when().post("/api/rules").then().statusCode(400);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(customRule("cluster-admin-binding", "x"))
                .when().post("/api/rules").then().statusCode(409);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(customRule("cluster-admin-binding", "x"))
                .when().put("/api/rules/cluster-admin-binding").then().statusCode(409)
                .body("detail", containsString("disable it"));
        given().auth().oauth2(Tokens.admin()).when().delete("/api/rules/cluster-admin-binding").then().statusCode(409);
        given().auth().oauth2(Tokens.admin()).when().post("/api/rules/no-such-rule/disable").then().statusCode(404);
    }

    @Test
    void aShippedRuleTurnedOffStopsFiringAndFiresAgainWhenTurnedOn() {
        TestCluster c = TestClusters.register(Protection.standard());
        given().auth().oauth2(Tokens.admin()).when().post("/api/rules/delete-events/disable").then().statusCode(200)
                .body("enabled", equalTo(false)).body("source", equalTo("shipped"));
        try {
            String off = UUID.randomUUID().toString();
            String sentinel = UUID.randomUUID().toString();
            send(c, TestClusters.event(off, "delete", "events", "e1", "kubernetes-admin", Instant.now(), null),
                    TestClusters.clusterAdminBinding(sentinel, "s1", Instant.now()));
            TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(sentinel));
            assertTrue(TestClusters.alertsOf(c.clusterId()).stream().noneMatch(a -> a.toString().contains(off)));
        } finally {
            given().auth().oauth2(Tokens.admin()).when().post("/api/rules/delete-events/enable").then().statusCode(200);
        }
        String on = UUID.randomUUID().toString();
        send(c, TestClusters.event(on, "delete", "events", "e2", "kubernetes-admin", Instant.now(), null));
        assertEquals("K8S_DeleteEvents",
                TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(on)).path("alertType").asText());
    }

    @Test
    void requestsFromAnAddressOfTheProxyListRaiseTheThreatIntelligenceAlert() {
        TestCluster c = TestClusters.register(Protection.standard());
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"entries\":[\"203.0.113.0/24\",\"not-an-ip\"]}")
                .when().put("/api/threat-intel/ip-lists/proxy").then().statusCode(400)
                .body("detail", containsString("not-an-ip"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.TEXT)
                .body("# TOR exits\n198.51.100.23\n203.0.113.0/24\n")
                .when().put("/api/threat-intel/ip-lists/proxy").then().statusCode(200).body("size", equalTo(2));
        given().auth().oauth2(Tokens.reader()).when().get("/api/threat-intel/ip-lists/proxy").then().statusCode(200)
                .body("entries.size()", equalTo(2));
        try {
            // TestClusters events come from 203.0.113.7
            String auditId = UUID.randomUUID().toString();
            send(c, TestClusters.event(auditId, "get", "namespaces", "default", "kubernetes-admin", Instant.now(),
                    null));
            JsonNode alert = TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(auditId)
                    && "K8S_TI_Proxy".equals(a.path("alertType").asText()));
            assertEquals("203.0.113.7", alert.at("/extendedProperties/sourceIPs").asText());
        } finally {
            // every other test's events come from that address too
            given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"entries\":[]}")
                    .when().put("/api/threat-intel/ip-lists/proxy").then().statusCode(200).body("size", equalTo(0));
        }
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"entries\":[null]}")
                .when().put("/api/threat-intel/ip-lists/proxy").then().statusCode(400)
                .body("detail", containsString("entry 0"));
    }

    @Test
    void aServiceAccountsNewOperationAfterItsLearningPeriodIsAnAnomalyAndTheBaselineIsKept() {
        TestCluster c = TestClusters.register(Protection.since(Instant.now().minus(30, ChronoUnit.DAYS)));
        String sa = "system:serviceaccount:shop:web-" + UUID.randomUUID().toString().substring(0, 6);
        Instant learning = Instant.now().minus(20, ChronoUnit.DAYS);
        String known = UUID.randomUUID().toString();
        String rare = UUID.randomUUID().toString();
        String sentinel = UUID.randomUUID().toString();
        send(c, TestClusters.event(UUID.randomUUID().toString(), "get", "configmaps", "cfg", sa, learning, null),
                TestClusters.event(UUID.randomUUID().toString(), "list", "pods", "", sa, learning.plus(1, ChronoUnit.DAYS), null),
                // after the 7-day learning period: a known operation, then one never seen
                TestClusters.event(known, "get", "configmaps", "cfg", sa, Instant.now(), null),
                TestClusters.event(rare, "list", "secrets", "", sa, Instant.now(), null),
                TestClusters.clusterAdminBinding(sentinel, "s2", Instant.now()));
        TestClusters.awaitAlert(c.clusterId(), a -> a.toString().contains(sentinel));
        List<JsonNode> anomalies = TestClusters.alertsOf(c.clusterId()).stream()
                .filter(a -> "K8S_ServiceAccountRareOperation".equals(a.path("alertType").asText())).toList();
        assertEquals(1, anomalies.size(), anomalies.toString());
        assertTrue(anomalies.get(0).toString().contains(rare));
        long operations = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM baseline_operation WHERE cluster_id = ?1 AND subject = ?2")
                .setParameter(1, c.clusterId()).setParameter(2, sa).getSingleResult()).longValue());
        assertEquals(3, operations, "the baseline is kept in PostgreSQL, across restarts");
    }
}
