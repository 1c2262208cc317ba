package io.palisade.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(EchoUpstream.class)
class GatewayRoutingTest {
    @Inject
    EntityManager em;

    long activityOf(String username) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("SELECT count(*) FROM api_activity WHERE username = ?1")
                .setParameter(1, username).getSingleResult()).longValue());
    }

    @Test
    void apiNeedsATokenAndAPalisadeRole() {
        given().when().get("/api/connectors").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"));
        given().auth().oauth2("garbage").when().get("/api/connectors").then().statusCode(401);
        given().auth().oauth2(Tokens.noRole()).when().get("/api/connectors").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("security-reader"));
        given().auth().oauth2(Tokens.noRole()).when().get("/api/alerts").then().statusCode(403);
    }

    @Test
    void forwardsToTheOwningServiceWithTheCallersToken() {
        String token = Tokens.reader();
        given().auth().oauth2(token).when().get("/api/connectors/abc/clusters?top=5")
                .then().statusCode(200)
                .body("method", equalTo("GET"))
                .body("uri", equalTo("/api/connectors/abc/clusters?top=5"))
                .body("authorization", equalTo("Bearer " + token));
        given().auth().oauth2(token).when().get("/api/plans/x").then().statusCode(200);
        given().auth().oauth2(token).when().get("/api/rules").then().statusCode(200);
        given().auth().oauth2(token).when().get("/api/audit-logs?clusterId=x").then().statusCode(200)
                .body("uri", equalTo("/api/audit-logs?clusterId=x"));
        given().auth().oauth2(token).when().get("/api/threat-intel/ip-lists").then().statusCode(200);
    }

    @Test
    void recordsWhoChangedWhat() {
        given().auth().oauth2(Tokens.forUser("dave", java.util.Set.of("security-admin")))
                .contentType(ContentType.JSON).body("{\"displayName\":\"x\"}")
                .when().post("/api/connectors").then().statusCode(201).body("bodyLength", equalTo("{\"displayName\":\"x\"}".length()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> activityOf("dave") == 1);
    }

    @Test
    void aChangeIsRecordedWhateverTheLengthOfItsPath() {
        String longPath = "/api/connectors/" + "a".repeat(3000);
        given().auth().oauth2(Tokens.forUser("erin", java.util.Set.of("security-admin")))
                .contentType(ContentType.JSON).body("{}")
                .when().put(longPath).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> activityOf("erin") == 1);
    }

    @Test
    void aFormBodyOnAGetIsTheCallersMistakeNotAGatewayFailure() {
        given().auth().oauth2(Tokens.reader()).contentType(ContentType.URLENC).body("a=b")
                .when().request("GET", "/api/connectors").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("form body"));
        given().auth().oauth2(Tokens.reader()).contentType("multipart/form-data; boundary=x")
                .body("--x--".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .when().request("GET", "/api/connectors").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void ingestPassesTheClusterTokenThroughWithoutOidc() {
        given().auth().oauth2("pit_cluster-token").contentType(ContentType.JSON).body("{\"kind\":\"EventList\"}")
                .when().post("/ingest/k8s-audit")
                .then().statusCode(201)
                .body("uri", equalTo("/ingest/k8s-audit"))
                .body("authorization", equalTo("Bearer pit_cluster-token"));
        // Amazon Data Firehose sends the ingest token as its access key header
        given().header("X-Amz-Firehose-Access-Key", "pit_cluster-token").contentType(ContentType.JSON).body("{}")
                .when().post("/ingest/eks")
                .then().statusCode(201).body("uri", equalTo("/ingest/eks"))
                .body("firehoseAccessKey", equalTo("pit_cluster-token"));
    }

    @Test
    void unknownResourcesAndDownServicesGetAProblemNamingThem() {
        given().auth().oauth2(Tokens.reader()).when().get("/api/nothing-here")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("/api/alerts"));
        given().auth().oauth2(Tokens.reader()).when().get("/api/alerts")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("detail", containsString("alert-service"));
        // suppression rules and exports belong to alert-service too (down in this test)
        for (String path : java.util.List.of("/api/suppression-rules", "/api/exports")) {
            given().auth().oauth2(Tokens.reader()).when().get(path)
                    .then().statusCode(503).body("detail", containsString("alert-service"));
        }
    }
}
