package io.palisade.plan.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.palisade.common.events.ConnectorEvent;
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
class PlanResourceTest {
    private static final String STANDARD = "{\"pricingTier\":\"Standard\"}";

    /** A connector as connector-service would publish it; returns once plan-service knows it. */
    static String knownConnector() {
        UUID id = UUID.randomUUID();
        KafkaTestClient.send(Topics.CONNECTORS, id.toString(),
                EventCodec.encode(ConnectorEvent.of(id, "OnPrem", "lab", null, Instant.now())));
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().auth().oauth2(Tokens.reader())
                .when().get("/api/plans/" + id).then().statusCode(200));
        return id.toString();
    }

    @Test
    void everyPlanIsFreeUntilEnabled() {
        String scope = knownConnector();
        given().auth().oauth2(Tokens.reader()).when().get("/api/plans/" + scope)
                .then().statusCode(200)
                .body("value.size()", equalTo(3))
                .body("value.find { it.name == 'Containers' }.pricingTier", equalTo("Free"))
                .body("value.find { it.name == 'Kubernetes' }.deprecated", equalTo(true));
    }

    @Test
    void adminEnablesContainersAndThePlanStateIsPublished() {
        String scope = knownConnector();
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(STANDARD)
                .when().put("/api/plans/" + scope + "/Containers")
                .then().statusCode(200)
                .body("pricingTier", equalTo("Standard"))
                .body("enablementTime", notNullValue())
                .body("lastModifiedBy", equalTo("alice"));
        var record = KafkaTestClient.awaitRecord(Topics.PLANS, r -> scope.equals(r.key()), Duration.ofSeconds(10));
        assertTrue(record.value().contains("\"name\":\"Containers\",\"pricingTier\":\"Standard\""), record.value());

        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"pricingTier\":\"Free\"}")
                .when().put("/api/plans/" + scope + "/Containers")
                .then().statusCode(200).body("enablementTime", nullValue());
    }

    @Test
    void onlyAdminsChangePlans() {
        String scope = knownConnector();
        given().auth().oauth2(Tokens.reader()).contentType(ContentType.JSON).body(STANDARD)
                .when().put("/api/plans/" + scope + "/Containers").then().statusCode(403);
        given().auth().oauth2(Tokens.noRole()).contentType(ContentType.JSON).body(STANDARD)
                .when().put("/api/plans/" + scope + "/Containers").then().statusCode(403);
        given().contentType(ContentType.JSON).body(STANDARD)
                .when().put("/api/plans/" + scope + "/Containers").then().statusCode(401);
        given().auth().oauth2(Tokens.noRole()).when().get("/api/plans/" + scope).then().statusCode(403);
        given().when().get("/api/plans/" + scope).then().statusCode(401);
    }

    @Test
    void theDeprecatedKubernetesPlanCannotBeNewlyEnabled() {
        String scope = knownConnector();
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(STANDARD)
                .when().put("/api/plans/" + scope + "/Kubernetes")
                .then().statusCode(409).body("detail", containsString("Containers"));
    }

    @Test
    void unknownScopesAndBadBodiesAreRefusedClearly() {
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(STANDARD)
                .when().put("/api/plans/" + UUID.randomUUID() + "/Containers").then().statusCode(404);
        String scope = knownConnector();
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"pricingTier\":\"Gold\"}")
                .when().put("/api/plans/" + scope + "/Containers").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("pricingTier"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{}")
                .when().put("/api/plans/" + scope + "/Containers").then().statusCode(400)
                .body("errors[0].field", equalTo("pricingTier"));
    }

    @Test
    void aDeletedConnectorTakesItsPlansWithIt() {
        String scope = knownConnector();
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(STANDARD)
                .when().put("/api/plans/" + scope + "/Containers").then().statusCode(200);
        KafkaTestClient.send(Topics.CONNECTORS, scope, null);
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().auth().oauth2(Tokens.reader())
                .when().get("/api/plans/" + scope).then().statusCode(404));
        KafkaTestClient.awaitRecord(Topics.PLANS, r -> scope.equals(r.key()) && r.value() == null,
                Duration.ofSeconds(10));
    }

    @Test
    void anUnreadableConnectorRecordGoesToTheDeadLetterTopicWithItsReason() {
        String key = UUID.randomUUID().toString();
        KafkaTestClient.send(Topics.CONNECTORS, key, "{not json");
        var dead = KafkaTestClient.awaitRecord(Topics.CONNECTORS_DLQ, r -> key.equals(r.key()), Duration.ofSeconds(15));
        String reason = KafkaTestClient.header(dead, "dead-letter-reason");
        assertNotNull(reason);
        assertTrue(reason.contains("not JSON"), reason);
        // the consumer is still alive after the bad record
        knownConnector();
    }
}
