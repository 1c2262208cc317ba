package io.palisade.e2e;

import static io.palisade.e2e.Stack.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

/** Environment settings as a new user meets them through the gateway: an AWS connector, an EKS cluster, plans. */
class EnvironmentSettingsTest {

    @Test
    void anAdminOnboardsAnAwsAccountAndAReaderCanOnlyLook() {
        as("alice").contentType(ContentType.JSON)
                .body("{\"environment\":\"AwsAccount\",\"displayName\":\"prod\",\"hierarchyIdentifier\":\"12345\"}")
                .when().post("/api/connectors").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("hierarchyIdentifier"));
        String connector = as("alice").contentType(ContentType.JSON)
                .body("{\"environment\":\"AwsAccount\",\"displayName\":\"prod\",\"hierarchyIdentifier\":\"123456789012\","
                        + "\"regions\":[\"eu-west-1\"]}")
                .when().post("/api/connectors").then().statusCode(201).extract().path("id");
        String cluster = as("alice").contentType(ContentType.JSON)
                .body("{\"name\":\"prod-eks\",\"kind\":\"EKS\",\"region\":\"eu-west-1\"}")
                .when().post("/api/connectors/" + connector + "/clusters").then().statusCode(201)
                .body("kind", equalTo("EKS")).extract().path("id");

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                as("alice").contentType(ContentType.JSON)
                        .body("{\"pricingTier\":\"Standard\",\"auditLogRetentionDays\":14}")
                        .when().put("/api/plans/" + connector + "/Containers").then().statusCode(200));
        as("bob").when().get("/api/plans/" + connector + "/Containers").then().statusCode(200)
                .body("pricingTier", equalTo("Standard"))
                .body("auditLogRetentionDays", equalTo(14));
        as("bob").contentType(ContentType.JSON).body("{\"pricingTier\":\"Free\"}")
                .when().put("/api/plans/" + connector + "/Containers").then().statusCode(403);
        as("bob").when().get("/api/plans/" + connector + "/history").then().statusCode(200)
                .body("value[0].changedBy", equalTo("alice"));
        as("bob").when().get("/api/connectors/" + connector + "/clusters").then().statusCode(200)
                .body("value[0].name", equalTo("prod-eks"));

        // The cluster's recommendations: with Containers on and no audit log received yet, collection is Unhealthy.
        String recommendations = "/api/connectors/" + connector + "/clusters/" + cluster + "/recommendations";
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                as("bob").when().get(recommendations).then().statusCode(200)
                        .body("value.find { it.id == 'audit-log-collection' }.status", equalTo("Unhealthy")));
        as("bob").when().get(recommendations).then()
                .body("value.find { it.id == 'sensor-installed' }.status", equalTo("NotApplicable"));
        as("bob").when().get(recommendations + "/audit-log-collection/fix?format=bash").then().statusCode(200)
                .header("Content-Disposition", containsString("palisade-fix-audit-log-collection-prod-eks.sh"))
                .body(containsString("aws eks update-cluster-config --name prod-eks"));
        as("bob").when().get(recommendations + "/sensor-installed/fix?format=powershell").then().statusCode(200)
                .body(containsString("kubectl apply --server-side"));
    }
}
