package io.palisade.plan.rest;

import static io.palisade.plan.rest.PlanResourceTest.knownConnector;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.palisade.common.messaging.Topics;
import io.palisade.plan.persistence.Plan;
import io.palisade.plan.persistence.PlanName;
import io.palisade.plan.persistence.PricingTier;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/** Extensions, audit-log retention, history and the Kubernetes → Containers upgrade. */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class PlanSettingsTest {

    static io.restassured.response.ValidatableResponse put(String token, String scope, String plan, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().put("/api/plans/" + scope + "/" + plan).then();
    }

    @Test
    void containersKeepsAuditLogsThirtyDaysUnlessToldOtherwise() {
        String scope = knownConnector();
        put(Tokens.admin(), scope, "Containers", "{\"pricingTier\":\"Standard\"}")
                .statusCode(200).body("auditLogRetentionDays", equalTo(30))
                .body("extensions.find { it.name == 'ContainerSensor' }.isEnabled", equalTo(true));
        put(Tokens.admin(), scope, "Containers", "{\"pricingTier\":\"Standard\",\"auditLogRetentionDays\":14,"
                + "\"extensions\":[{\"name\":\"ContainerSensor\",\"isEnabled\":false}]}")
                .statusCode(200).body("auditLogRetentionDays", equalTo(14))
                .body("extensions.find { it.name == 'ContainerSensor' }.isEnabled", equalTo(false))
                .body("extensions.find { it.name == 'AuditLogCollection' }.isEnabled", equalTo(true));
        given().auth().oauth2(Tokens.reader()).when().get("/api/plans/" + scope + "/Containers")
                .then().statusCode(200).body("auditLogRetentionDays", equalTo(14));
        var record = KafkaTestClient.awaitRecord(Topics.PLANS,
                r -> scope.equals(r.key()) && r.value() != null && r.value().contains("\"auditLogRetentionDays\":14"),
                Duration.ofSeconds(10));
        assertTrue(record.value().contains("\"ContainerSensor\":false"), record.value());
    }

    @Test
    void retentionAndExtensionsAreValidatedAndNamed() {
        String scope = knownConnector();
        put(Tokens.admin(), scope, "Containers", "{\"pricingTier\":\"Standard\",\"auditLogRetentionDays\":0}")
                .statusCode(400).body("errors.field", hasItem("auditLogRetentionDays"));
        put(Tokens.admin(), scope, "Containers", "{\"pricingTier\":\"Standard\",\"auditLogRetentionDays\":366}")
                .statusCode(400).body("errors.field", hasItem("auditLogRetentionDays"));
        put(Tokens.admin(), scope, "Servers", "{\"pricingTier\":\"Standard\",\"auditLogRetentionDays\":10}")
                .statusCode(400).body("detail", containsString("Containers plan only"));
        put(Tokens.admin(), scope, "Containers",
                "{\"pricingTier\":\"Standard\",\"extensions\":[{\"name\":\"Teleport\",\"isEnabled\":true}]}")
                .statusCode(400).body("errors[0].field", equalTo("extensions[0].name"));
        put(Tokens.admin(), scope, "Servers",
                "{\"pricingTier\":\"Standard\",\"extensions\":[{\"name\":\"ContainerSensor\",\"isEnabled\":true}]}")
                .statusCode(400).body("detail", containsString("no extension ContainerSensor"));
        // nothing half-written: the plan is still Free with the default retention
        given().auth().oauth2(Tokens.reader()).when().get("/api/plans/" + scope + "/Containers")
                .then().body("pricingTier", equalTo("Free"));
        given().auth().oauth2(Tokens.reader()).when().get("/api/plans/" + scope + "/history")
                .then().statusCode(200).body("value.size()", equalTo(0));
    }

    @Test
    void everyChangeIsInTheHistoryThatReadersCanRead() {
        String scope = knownConnector();
        put(Tokens.admin(), scope, "Containers", "{\"pricingTier\":\"Standard\"}").statusCode(200);
        put(Tokens.admin(), scope, "Containers", "{\"pricingTier\":\"Standard\",\"auditLogRetentionDays\":7}")
                .statusCode(200);
        put(Tokens.admin(), scope, "Containers", "{\"pricingTier\":\"Free\"}").statusCode(200);
        given().auth().oauth2(Tokens.reader()).when().get("/api/plans/" + scope + "/history")
                .then().statusCode(200)
                .body("value.size()", equalTo(3))
                .body("value[0].toTier", equalTo("Free"))
                .body("value[1].changes", equalTo("auditLogRetentionDays 30 → 7"))
                .body("value[2].fromTier", equalTo("Free"))
                .body("value[2].toTier", equalTo("Standard"))
                .body("value[2].changedBy", equalTo("alice"));
        given().auth().oauth2(Tokens.noRole()).when().get("/api/plans/" + scope + "/history").then().statusCode(403);
        given().when().get("/api/plans/" + scope + "/history").then().statusCode(401);
        given().auth().oauth2(Tokens.reader()).when().get("/api/plans/" + UUID.randomUUID() + "/history")
                .then().statusCode(404);
    }

    @Test
    void theKubernetesPlanUpgradesToContainersInOneStepWithoutAGapInProtection() {
        String scope = knownConnector();
        Instant legacySince = Instant.parse("2025-01-01T00:00:00Z");
        QuarkusTransaction.requiringNew().run(() -> {
            // a scope that had the Kubernetes plan before it was deprecated
            Plan legacy = new Plan();
            legacy.key = new Plan.Key(UUID.fromString(scope), PlanName.Kubernetes);
            legacy.pricingTier = PricingTier.Standard;
            legacy.enablementTime = legacySince;
            legacy.lastModifiedBy = "migration";
            legacy.lastModifiedAt = legacySince;
            legacy.persist();
        });
        // it may stay on
        put(Tokens.admin(), scope, "Kubernetes", "{\"pricingTier\":\"Standard\"}").statusCode(200);
        given().auth().oauth2(Tokens.reader()).when().post("/api/plans/" + scope + "/Kubernetes/upgrade")
                .then().statusCode(403);
        given().when().post("/api/plans/" + scope + "/Kubernetes/upgrade").then().statusCode(401);
        given().auth().oauth2(Tokens.admin()).when().post("/api/plans/" + scope + "/Kubernetes/upgrade")
                .then().statusCode(200)
                .body("value.find { it.name == 'Containers' }.pricingTier", equalTo("Standard"))
                .body("value.find { it.name == 'Containers' }.enablementTime", equalTo(legacySince.toString()))
                .body("value.find { it.name == 'Kubernetes' }.pricingTier", equalTo("Free"));
        given().auth().oauth2(Tokens.admin()).when().post("/api/plans/" + scope + "/Kubernetes/upgrade")
                .then().statusCode(409).body("detail", notNullValue());
    }
}
