package io.palisade.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

/**
 * What a platform team expects of every service: liveness, readiness that covers its database and Kafka, Prometheus
 * metrics and an OpenAPI document.
 */
class OperationsSurfaceTest {
    @Test
    void everyServiceIsLiveAndReadyWithMetricsAndOpenApi() {
        for (String service : Stack.SERVICES) {
            given().baseUri(service).when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            given().baseUri(service).when().get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.name", hasItem(containsString("Database")));
            if (!service.equals(Stack.GATEWAY)) {
                // readiness covers the broker too: a service that cannot reach Kafka is not ready
                given().baseUri(service).when().get("/q/health/ready").then()
                        .body("checks.name", hasItem(containsString("Kafka")));
            }
            given().baseUri(service).when().get("/q/metrics").then().statusCode(200)
                    .body(containsString("jvm_memory_used_bytes"));
            given().baseUri(service).when().get("/q/openapi").then().statusCode(200).body(containsString("openapi"));
        }
    }
}
