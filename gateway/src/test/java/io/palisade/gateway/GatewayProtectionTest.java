package io.palisade.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The gateway's own walls: ingest limits (size, per-cluster rate, no user tokens), timeouts and the circuit breaker in
 * front of a service that is down or slow, security headers on every answer, and the portal's login and CSRF guard.
 */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(EchoUpstream.class)
class GatewayProtectionTest {
    /** %test.palisade.routing.timeout */
    private static final long TIMEOUT_MILLIS = 3000;

    @Test
    void aUserTokenIsRefusedOnIngest() {
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"kind\":\"EventList\"}")
                .when().post("/ingest/k8s-audit")
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("User tokens are not accepted on /ingest"));
        given().contentType(ContentType.JSON).body("{}").when().post("/ingest/falco")
                .then().statusCode(401).body("detail", containsString("ingest token is required"));
    }

    @Test
    void anOversizedIngestBodyIsRefusedWith413() {
        byte[] body = new byte[65536 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        given().auth().oauth2("pit_oversized-cluster").contentType(ContentType.JSON).body(body)
                .when().post("/ingest/k8s-audit")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("65536 bytes"));
        // the same cluster's request within the limit goes through
        given().auth().oauth2("pit_oversized-cluster").contentType(ContentType.JSON).body("{}")
                .when().post("/ingest/k8s-audit").then().statusCode(201);
    }

    @Test
    void aClusterOverItsRateGets429WithRetryAfterWhileOthersGoOn() {
        int accepted = 0;
        Response limited = null;
        for (int i = 0; i < 20 && limited == null; i++) {
            Response r = given().auth().oauth2("pit_noisy-cluster").contentType(ContentType.JSON).body("{}")
                    .when().post("/ingest/k8s-audit");
            if (r.statusCode() == 429) {
                limited = r;
            } else {
                r.then().statusCode(201);
                accepted++;
            }
        }
        org.junit.jupiter.api.Assertions.assertNotNull(limited, "20 requests at once never hit the limit");
        org.junit.jupiter.api.Assertions.assertTrue(accepted >= 5, "the burst of 5 is allowed, got " + accepted);
        limited.then().contentType("application/problem+json").header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("detail", containsString("ingest requests per second"));
        // another cluster is not held back by the noisy one
        given().auth().oauth2("pit_quiet-cluster").contentType(ContentType.JSON).body("{}")
                .when().post("/ingest/k8s-audit").then().statusCode(201);
    }

    @Test
    void aStoppedServiceAnswers503QuicklyAndItsCircuitOpens() {
        for (int i = 0; i < 6; i++) {
            given().auth().oauth2(Tokens.reader()).when().get("/api/alerts")
                    .then().time(lessThan(TIMEOUT_MILLIS), TimeUnit.MILLISECONDS)
                    .statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", matchesPattern("[1-9]"))
                    .body("detail", containsString("alert-service"));
        }
        // after enough failures the gateway stops calling it at all
        given().auth().oauth2(Tokens.reader()).when().get("/api/exports")
                .then().statusCode(503).body("detail", containsString("circuit open"));
        // the other services keep working
        given().auth().oauth2(Tokens.reader()).when().get("/api/connectors").then().statusCode(200);
    }

    @Test
    void aSlowServiceAnswers504AfterTheTimeout() {
        given().auth().oauth2(Tokens.reader()).when().get("/api/rules/slow")
                .then().statusCode(504).contentType("application/problem+json")
                .body("detail", containsString("detection-service did not answer within 3 s"));
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        for (Response r : new Response[] {
                given().auth().oauth2(Tokens.reader()).when().get("/api/connectors"),
                given().when().get("/api/connectors"),
                given().auth().oauth2("pit_headers-cluster").body("{}").when().post("/ingest/k8s-audit"),
                given().redirects().follow(false).when().get("/portal"),
                given().when().get("/assets/portal.css"),
                given().when().get("/no-such-page") }) {
            r.then().header("Content-Security-Policy", containsString("default-src 'self'"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                    .header("X-Content-Type-Options", equalTo("nosniff"))
                    .header("X-Frame-Options", equalTo("DENY"))
                    .header("Referrer-Policy", equalTo("no-referrer"));
        }
    }

    @Test
    void thePortalSignsInWithTheCodeFlowAndPkce() {
        given().redirects().follow(false).when().get("/portal/alerts")
                .then().statusCode(302)
                .header("Location", containsString("/realms/quarkus"))
                .header("Location", containsString("response_type=code"))
                .header("Location", containsString("client_id=palisade-portal"))
                .header("Location", containsString("code_challenge_method=S256"))
                .header("Location", containsString("code_challenge="));
        // the front door leads to the portal
        given().redirects().follow(false).when().get("/").then().statusCode(303)
                .header("Location", startsWith("http")).header("Location", containsString("/portal"));
    }

    @Test
    void aPortalChangeWithoutTheCsrfTokenIsRefused() {
        given().cookie("palisade-csrf", "a".repeat(43)).contentType(ContentType.URLENC).formParam("comment", "x")
                .when().post("/portal/alerts/some-alert/dismiss")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("X-CSRF-Token"));
        given().cookie("palisade-csrf", "a".repeat(43)).header("X-CSRF-Token", "b".repeat(43))
                .when().post("/portal/alerts/some-alert/dismiss").then().statusCode(403);
        given().cookie("palisade-csrf", "a".repeat(43)).header("X-CSRF-Token", "a".repeat(43))
                .header("Sec-Fetch-Site", "cross-site")
                .when().post("/portal/alerts/some-alert/dismiss").then().statusCode(403);
    }

    @Test
    void thePortalsScriptsAndStylesAreServedFromTheGatewayItself() {
        given().when().get("/assets/portal.css").then().statusCode(200);
        given().when().get("/assets/portal.js").then().statusCode(200);
        given().when().get("/webjars/htmx.org/2.0.10/dist/htmx.min.js").then().statusCode(200);
        given().when().get("/signed-out").then().statusCode(200).body(containsString("signed out"));
    }
}
