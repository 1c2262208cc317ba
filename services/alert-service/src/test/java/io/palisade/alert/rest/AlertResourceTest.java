package io.palisade.alert.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.palisade.common.events.AlertEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class AlertResourceTest {
    static final UUID CONNECTOR = UUID.randomUUID();

    static AlertEvent alert(String id, UUID clusterId, String severity, Instant end) {
        return new AlertEvent(AlertEvent.TYPE, AlertEvent.VERSION, id, "K8S_ClusterAdminBinding",
                "Role binding to the cluster-admin role detected", "A new binding to cluster-admin", severity,
                "Persistence, PrivilegeEscalation", List.of("T1098"), "prod-eu",
                List.of(Map.of("type", "K8s-cluster", "name", "prod-eu")), List.of("Review the binding"),
                end.minusSeconds(1), end, Instant.now(), List.of(), Map.of("username", "mallory"),
                EventCodec.mapper().createObjectNode().put("type", "auditEvents"), "k", "Containers", CONNECTOR,
                clusterId, "cluster-admin-binding");
    }

    /** Detection publishes the alert; returns its id once alert-service shows it. */
    static String published(AlertEvent alert) {
        KafkaTestClient.send(Topics.ALERTS, alert.systemAlertId(), EventCodec.encode(alert));
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().auth().oauth2(Tokens.reader())
                .when().get("/api/alerts/" + alert.systemAlertId()).then().statusCode(200));
        return alert.systemAlertId();
    }

    @Test
    void readersSeeAlertsInTheAzureShape() {
        UUID cluster = UUID.randomUUID();
        String id = published(alert(UUID.randomUUID().toString(), cluster, "Informational", Instant.now()));
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts?clusterId=" + cluster)
                .then().statusCode(200)
                .body("value.size()", equalTo(1))
                .body("value[0].name", equalTo(id))
                .body("value[0].id", equalTo("/api/alerts/" + id))
                .body("value[0].properties.alertType", equalTo("K8S_ClusterAdminBinding"))
                .body("value[0].properties.status", equalTo("Active"))
                .body("value[0].properties.compromisedEntity", equalTo("prod-eu"))
                .body("value[0].properties.extendedProperties.clusterId", equalTo(cluster.toString()));
    }

    @Test
    void onlyAdminsChangeStatusAndEachChangeIsInTheHistory() {
        String id = published(alert(UUID.randomUUID().toString(), UUID.randomUUID(), "High", Instant.now()));
        for (String action : List.of("dismiss", "resolve", "activate", "inProgress")) {
            given().auth().oauth2(Tokens.reader()).when().post("/api/alerts/" + id + "/" + action)
                    .then().statusCode(403);
            given().auth().oauth2(Tokens.noRole()).when().post("/api/alerts/" + id + "/" + action)
                    .then().statusCode(403);
            given().when().post("/api/alerts/" + id + "/" + action).then().statusCode(401);
        }
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"comment\":\"known admin\"}")
                .when().post("/api/alerts/" + id + "/dismiss").then().statusCode(204);
        given().auth().oauth2(Tokens.admin()).when().post("/api/alerts/" + id + "/inProgress").then().statusCode(204);
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts/" + id)
                .then().statusCode(200)
                .body("properties.status", equalTo("InProgress"))
                .body("properties.stateHistory.size()", equalTo(2))
                .body("properties.stateHistory[0].to", equalTo("Dismissed"))
                .body("properties.stateHistory[0].changedBy", equalTo("alice"))
                .body("properties.stateHistory[0].comment", equalTo("known admin"));
        given().auth().oauth2(Tokens.admin()).when().post("/api/alerts/nope/dismiss").then().statusCode(404);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"comment\": 7")
                .when().post("/api/alerts/" + id + "/resolve").then().statusCode(400)
                .body("errors[0].field", equalTo("comment"));
    }

    @Test
    void aRedeliveredAlertIsNotDuplicatedAndKeepsTheStatusAUserGaveIt() {
        UUID cluster = UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        Instant first = Instant.now().minusSeconds(60);
        published(alert(id, cluster, "Low", first));
        given().auth().oauth2(Tokens.admin()).when().post("/api/alerts/" + id + "/dismiss").then().statusCode(204);

        Instant later = Instant.now().truncatedTo(ChronoUnit.MICROS);
        KafkaTestClient.send(Topics.ALERTS, id, EventCodec.encode(alert(id, cluster, "Low", later)));
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().auth().oauth2(Tokens.reader())
                .when().get("/api/alerts/" + id).then().body("properties.endTimeUtc", equalTo(later.toString())));
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts?clusterId=" + cluster)
                .then().statusCode(200)
                .body("value.size()", equalTo(1))
                .body("value[0].properties.status", equalTo("Dismissed"));
    }

    /** The same alert as detection publishes it after {@code count} correlated events. */
    static AlertEvent correlated(String id, UUID clusterId, int count, Instant end) {
        AlertEvent a = alert(id, clusterId, "Low", end);
        var evidence = EventCodec.mapper().createObjectNode().put("type", "auditEvents").put("count", count);
        for (int i = 1; i <= count; i++) {
            evidence.withArray("events").addObject().put("auditID", "audit-" + i);
        }
        return new AlertEvent(a.type(), a.version(), id, a.alertType(), a.alertDisplayName(), a.description(),
                a.severity(), a.intent(), a.techniques(), a.compromisedEntity(), a.entities(), a.remediationSteps(),
                a.startTimeUtc(), end, a.timeGeneratedUtc(), a.resourceIdentifiers(),
                Map.of("username", "mallory", "count", Integer.toString(count)), evidence, a.correlationKey(),
                a.productComponentName(), a.connectorId(), a.clusterId(), a.ruleId());
    }

    @Test
    void aCorrelationUpdateCarriesTheNewCountAndEvidenceAndAnOlderStateNeverWinsOverANewerOne() {
        UUID cluster = UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);
        published(correlated(id, cluster, 1, t.minusSeconds(30)));
        KafkaTestClient.send(Topics.ALERTS, id, EventCodec.encode(correlated(id, cluster, 3, t)));
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().auth().oauth2(Tokens.reader())
                .when().get("/api/alerts/" + id).then()
                .body("properties.extendedProperties.count", equalTo("3"))
                .body("properties.supportingEvidence.events.size()", equalTo(3))
                .body("properties.endTimeUtc", equalTo(t.toString())));
        // an older state arriving late (two events) never takes the place of the newer one; only its end time,
        // later here, widens the range - which also tells when it was processed
        Instant later = t.plusSeconds(5);
        KafkaTestClient.send(Topics.ALERTS, id, EventCodec.encode(correlated(id, cluster, 2, later)));
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().auth().oauth2(Tokens.reader())
                .when().get("/api/alerts/" + id).then().body("properties.endTimeUtc", equalTo(later.toString())));
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts/" + id).then()
                .body("properties.extendedProperties.count", equalTo("3"))
                .body("properties.supportingEvidence.events.size()", equalTo(3));
    }

    @Test
    void listsFilterAndPage() {
        UUID cluster = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            published(alert(UUID.randomUUID().toString(), cluster, i == 0 ? "High" : "Low", Instant.now()));
        }
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts?clusterId=" + cluster + "&severity=High")
                .then().statusCode(200).body("value.size()", equalTo(1));
        var firstPage = given().auth().oauth2(Tokens.reader()).when().get("/api/alerts?clusterId=" + cluster + "&top=2")
                .then().statusCode(200).body("value.size()", equalTo(2)).extract();
        String next = firstPage.path("nextLink");
        given().auth().oauth2(Tokens.reader()).when().get(next)
                .then().statusCode(200).body("value.size()", equalTo(1))
                .body("value.name", not(hasItem(firstPage.path("value[0].name").toString())));
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts?status=Gone").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        given().when().get("/api/alerts").then().statusCode(401);
        given().auth().oauth2(Tokens.noRole()).when().get("/api/alerts").then().statusCode(403);
    }

    @Test
    void anAlertNamedAfterALongFalcoRuleIsStored() {
        // found by IngestAndApiFuzzTest: names come from events (detection cuts them at 4 KiB, not at 128)
        String longName = "K8S.NODE_" + "VeryLongCustomRule".repeat(200);
        AlertEvent plain = alert(UUID.randomUUID().toString(), UUID.randomUUID(), "High", Instant.now());
        AlertEvent named = new AlertEvent(plain.type(), plain.version(), plain.systemAlertId(), longName,
                "d".repeat(3000), plain.description(), plain.severity(), "i".repeat(1000), plain.techniques(),
                "e".repeat(2000), plain.entities(), plain.remediationSteps(), plain.startTimeUtc(), plain.endTimeUtc(),
                plain.timeGeneratedUtc(), plain.resourceIdentifiers(), plain.extendedProperties(),
                plain.supportingEvidence(), "k".repeat(2000), "p".repeat(200), plain.connectorId(), plain.clusterId(),
                "r".repeat(1000));
        String id = published(named);
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts/" + id).then().statusCode(200)
                .body("properties.alertType", org.hamcrest.Matchers.equalTo(longName));
    }

    @Test
    void anUnreadableAlertRecordGoesToTheDeadLetterTopic() {
        String key = UUID.randomUUID().toString();
        KafkaTestClient.send(Topics.ALERTS, key, "{\"type\":\"connector\",\"version\":1}");
        var dead = KafkaTestClient.awaitRecord(Topics.ALERTS_DLQ, r -> key.equals(r.key()), Duration.ofSeconds(15));
        assertTrue(KafkaTestClient.header(dead, "dead-letter-reason").contains("expected event type 'alert'"));
    }
}
