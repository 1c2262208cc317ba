package io.palisade.plan.rest;

import static io.restassured.RestAssured.given;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/** Every endpoint of plan-service: no token 401, no Palisade role 403, a reader 403 on every change. */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class EndpointSecurityTest {

    record Endpoint(String method, String path, String body, boolean mutating) {
    }

    @Test
    void everyEndpointChecksTheCallerItself() {
        String p = "/api/plans/" + PlanResourceTest.knownConnector();
        List<Endpoint> endpoints = List.of(
                new Endpoint("GET", p, null, false),
                new Endpoint("GET", p + "/Containers", null, false),
                new Endpoint("PUT", p + "/Containers", "{\"pricingTier\":\"Standard\"}", true),
                new Endpoint("POST", p + "/Kubernetes/upgrade", null, true),
                new Endpoint("GET", p + "/history", null, false));
        for (Endpoint e : endpoints) {
            call(null, e).then().statusCode(401);
            call(Tokens.noRole(), e).then().statusCode(403);
            call(Tokens.reader(), e).then().statusCode(e.mutating() ? 403 : 200);
        }
    }

    static io.restassured.response.Response call(String token, Endpoint e) {
        var request = token == null ? given() : given().auth().oauth2(token);
        if (e.body() != null) {
            request = request.contentType(ContentType.JSON).body(e.body());
        }
        return request.when().request(e.method(), e.path());
    }
}
