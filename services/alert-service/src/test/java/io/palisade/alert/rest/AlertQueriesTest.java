package io.palisade.alert.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.palisade.alert.service.AlertRetention;
import io.palisade.common.events.AlertEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.testsupport.EndpointSecurity;
import io.palisade.testsupport.EndpointSecurity.Endpoint;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/**
 * The alert list as security teams use it: every filter, both orders, paging across a page boundary, dashboard counts,
 * bulk triage, connector scopes and retention; every endpoint refuses callers without the right role.
 */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class AlertQueriesTest {
    @Inject
    AlertRetention retention;

    /** An alert as detection publishes it. */
    record Spec(String alertType, String severity, String intent, UUID connectorId, UUID clusterId, String clusterKind,
            String entity, Instant start, Instant end) {
        AlertEvent event(String id) {
            return new AlertEvent(AlertEvent.TYPE, AlertEvent.VERSION, id, alertType, "Display of " + alertType,
                    "Something about " + entity, severity, intent, List.of("T1098"), "cluster-" + clusterKind,
                    List.of(Map.of("type", "K8s-cluster", "name", "c"), Map.of("type", "account", "name", entity)),
                    List.of("Look at it"), start, end, Instant.now(),
                    List.of(Map.of("type", "PalisadeCluster", "connectorId", connectorId.toString(), "clusterId",
                            clusterId.toString(), "clusterKind", clusterKind)),
                    Map.of("count", "1"), EventCodec.mapper().createObjectNode().put("type", "auditEvents"),
                    clusterId + "|" + alertType, "Containers", connectorId, clusterId, "rule");
        }
    }

    /** Publishes the alerts and waits until alert-service lists all of them; returns their ids. */
    static List<String> publish(List<Spec> specs) {
        List<String> ids = new ArrayList<>();
        for (Spec spec : specs) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            KafkaTestClient.send(Topics.ALERTS, id, EventCodec.encode(spec.event(id)));
        }
        for (String id : ids) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth()
                    .oauth2(Tokens.reader()).when().get("/api/alerts/" + id).then().statusCode(200));
        }
        return ids;
    }

    static List<String> names(String query) {
        return given().auth().oauth2(Tokens.reader()).when().get("/api/alerts?" + query).then().statusCode(200)
                .extract().path("value.name");
    }

    @Test
    void everyEndpointChecksTheCaller() {
        UUID connector = UUID.randomUUID();
        String id = publish(List.of(new Spec("K8S_Rbac" + connector.toString().substring(0, 8), "Low", "Execution",
                connector, UUID.randomUUID(), "EKS", "x", Instant.now(), Instant.now()))).get(0);
        List<Endpoint> endpoints = new ArrayList<>(List.of(
                Endpoint.read("/api/alerts"),
                Endpoint.read("/api/alerts/summary"),
                Endpoint.read("/api/alerts/" + id),
                Endpoint.change("POST", "/api/alerts/bulk/dismiss?connectorId=" + connector, null)));
        for (String action : List.of("dismiss", "resolve", "activate", "inProgress")) {
            endpoints.add(Endpoint.change("POST", "/api/alerts/" + id + "/" + action, null));
        }
        EndpointSecurity.assertEveryEndpointChecksTheCaller(endpoints);
    }

    @Test
    void filtersOrderAndPagesAcrossAPageBoundary() {
        UUID connector = UUID.randomUUID();
        UUID otherConnector = UUID.randomUUID();
        UUID eks = UUID.randomUUID();
        UUID aks = UUID.randomUUID();
        String type = "K8S_Filter" + connector.toString().substring(0, 8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> ids = publish(List.of(
                new Spec(type, "High", "Persistence, PrivilegeEscalation", connector, eks, "EKS", "mallory",
                        now.minus(3, ChronoUnit.DAYS), now.minus(3, ChronoUnit.DAYS)),
                new Spec(type, "Low", "Execution", connector, eks, "EKS", "bob", now.minus(2, ChronoUnit.HOURS),
                        now.minus(1, ChronoUnit.HOURS)),
                new Spec(type, "Medium", "Execution", connector, aks, "AKS", "mallory", now, now),
                new Spec(type, "Informational", "Discovery", otherConnector, aks, "AKS", "eve", now, now),
                new Spec(type + "Other", "High", "Execution", connector, aks, "AKS", "mallory", now, now)));
        String base = "alertType=" + type;

        assertEquals(Set.of(ids.get(0), ids.get(2)), Set.copyOf(names(base + "&severity=High,Medium")));
        assertEquals(Set.of(ids.get(2), ids.get(3)), Set.copyOf(names(base + "&resourceType=aks")));
        assertEquals(Set.of(ids.get(0), ids.get(1)), Set.copyOf(names(base + "&clusterId=" + eks)));
        assertEquals(Set.of(ids.get(3)), Set.copyOf(names(base + "&connectorId=" + otherConnector)));
        assertEquals(Set.of(ids.get(0)), Set.copyOf(names(base + "&tactic=privilegeescalation")));
        assertEquals(Set.of(ids.get(0), ids.get(2)), Set.copyOf(names(base + "&q=MALLORY")));
        assertEquals(Set.of(ids.get(1), ids.get(2), ids.get(3)),
                Set.copyOf(names(base + "&from=" + now.minus(1, ChronoUnit.DAYS))), "activity overlapping the range");
        assertEquals(Set.of(ids.get(1)), Set.copyOf(names(base + "&from=" + now.minus(1, ChronoUnit.DAYS) + "&to="
                + now.minus(30, ChronoUnit.MINUTES))));
        assertEquals(List.of(ids.get(0), ids.get(2), ids.get(1), ids.get(3)),
                names(base + "&orderBy=severity"), "High, Medium, Low, Informational");
        assertEquals(List.of(ids.get(3), ids.get(1), ids.get(2), ids.get(0)), names(base + "&orderBy=severity asc"));

        // paging: two per page, newest first, the nextLink leads on without gaps or repeats
        var first = given().auth().oauth2(Tokens.reader()).when().get("/api/alerts?" + base + "&top=2")
                .then().statusCode(200).extract();
        List<String> seen = new ArrayList<>(first.<List<String>> path("value.name"));
        String next = first.path("nextLink");
        assertTrue(next != null && next.contains("skip=2"), String.valueOf(next));
        var second = given().auth().oauth2(Tokens.reader()).when().get(next.substring(next.indexOf("/api/alerts")))
                .then().statusCode(200).body("nextLink", nullValue()).extract();
        seen.addAll(second.<List<String>> path("value.name"));
        assertEquals(4, seen.size());
        assertEquals(Set.copyOf(ids.subList(0, 4)), Set.copyOf(seen));
        assertEquals(names(base), seen, "the two pages are the list in order");

        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts/summary?" + base).then().statusCode(200)
                .body("total", equalTo(4)).body("bySeverity.High", equalTo(1)).body("bySeverity.Low", equalTo(1))
                .body("byStatus.Active", equalTo(4)).body("byStatus.Dismissed", equalTo(0));

        assertEquals(4, names(base + "&simulated=false").size(), "real alerts");
        assertEquals(0, names(base + "&simulated=true").size());
        for (String bad : List.of("q=%00", "alertType=%00x", "simulated=maybe", "severity=Critical", "status=Open", "clusterId=nope", "from=yesterday",
                "orderBy=name", "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")) {
            // sent as written (already URL-encoded: %00 is a NUL character)
            given().urlEncodingEnabled(false).auth().oauth2(Tokens.reader()).when().get("/api/alerts?" + bad)
                    .then().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void adminsTriageByFilterAndEachChangeIsInTheHistory() {
        UUID connector = UUID.randomUUID();
        String type = "K8S_Bulk" + connector.toString().substring(0, 8);
        Instant now = Instant.now();
        List<String> ids = publish(List.of(
                new Spec(type, "Low", "Execution", connector, UUID.randomUUID(), "OnPrem", "ci-bot", now, now),
                new Spec(type, "Low", "Execution", connector, UUID.randomUUID(), "OnPrem", "ci-bot", now, now),
                new Spec(type, "High", "Execution", connector, UUID.randomUUID(), "OnPrem", "ci-bot", now, now)));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"comment\":\"known CI noise\"}")
                .when().post("/api/alerts/bulk/dismiss?alertType=" + type + "&severity=Low")
                .then().statusCode(200).body("changed", equalTo(2)).body("status", equalTo("Dismissed"));
        given().auth().oauth2(Tokens.admin()).when().post("/api/alerts/bulk/dismiss?alertType=" + type + "&severity=Low")
                .then().statusCode(200).body("changed", equalTo(0));
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts/" + ids.get(0)).then()
                .body("properties.status", equalTo("Dismissed"))
                .body("properties.stateHistory[0].changedBy", equalTo("alice"))
                .body("properties.stateHistory[0].comment", equalTo("known CI noise"));
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts/" + ids.get(2)).then()
                .body("properties.status", equalTo("Active"));
        given().auth().oauth2(Tokens.admin()).when().post("/api/alerts/bulk/resolve").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("filter"));
    }

    @Test
    void aScopedCallerSeesAndTouchesOnlyItsConnectors() {
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        String type = "K8S_Scope" + mine.toString().substring(0, 8);
        Instant now = Instant.now();
        List<String> ids = publish(List.of(
                new Spec(type, "High", "Execution", mine, UUID.randomUUID(), "GKE", "x", now, now),
                new Spec(type, "High", "Execution", theirs, UUID.randomUUID(), "GKE", "x", now, now)));
        String reader = Tokens.forUser("dana", Set.of("security-reader"), List.of(mine.toString()));
        String admin = Tokens.forUser("erin", Set.of("security-admin"), List.of(mine.toString()));
        given().auth().oauth2(reader).when().get("/api/alerts?alertType=" + type).then().statusCode(200)
                .body("value.name", equalTo(List.of(ids.get(0))));
        given().auth().oauth2(reader).when().get("/api/alerts/summary?alertType=" + type).then()
                .body("total", equalTo(1));
        given().auth().oauth2(reader).when().get("/api/alerts/" + ids.get(1)).then().statusCode(404);
        given().auth().oauth2(admin).when().post("/api/alerts/" + ids.get(1) + "/dismiss").then().statusCode(404);
        given().auth().oauth2(admin).when().post("/api/alerts/bulk/dismiss?alertType=" + type).then()
                .body("changed", equalTo(1));
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts/" + ids.get(1)).then()
                .body("properties.status", equalTo("Active"));
        String everything = Tokens.forUser("fay", Set.of("security-reader"), List.of("*"));
        given().auth().oauth2(everything).when().get("/api/alerts?alertType=" + type).then()
                .body("value.size()", equalTo(2));
    }

    @Test
    void alertsPastRetentionArePurgedWithTheirHistory() {
        UUID connector = UUID.randomUUID();
        String type = "K8S_Old" + connector.toString().substring(0, 8);
        Instant now = Instant.now();
        List<String> ids = publish(List.of(
                new Spec(type, "Low", "Execution", connector, UUID.randomUUID(), "EKS", "x",
                        now.minus(100, ChronoUnit.DAYS), now.minus(95, ChronoUnit.DAYS)),
                new Spec(type, "Low", "Execution", connector, UUID.randomUUID(), "EKS", "x",
                        now.minus(100, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS))));
        given().auth().oauth2(Tokens.admin()).when().post("/api/alerts/" + ids.get(0) + "/resolve").then()
                .statusCode(204);
        assertTrue(retention.purge(now) >= 1);
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts/" + ids.get(0)).then().statusCode(404);
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts/" + ids.get(1)).then().statusCode(200);
    }
}
