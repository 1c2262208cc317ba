package io.palisade.e2e;

import static io.palisade.e2e.Stack.as;
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
        as("alice").contentType(ContentType.JSON).body("{\"name\":\"prod-eks\",\"kind\":\"EKS\",\"region\":\"eu-west-1\"}")
                .when().post("/api/connectors/" + connector + "/clusters").then().statusCode(201)
                .body("kind", equalTo("EKS"));

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
    }
}
