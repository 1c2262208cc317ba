package io.palisade.connector.rest;

import static io.restassured.RestAssured.given;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.palisade.connector.ConnectorFixtures;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/**
 * Every endpoint of connector-service, checked by the service itself: no token 401, no Palisade role 403, and a
 * reader 403 on everything that changes something.
 */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class EndpointSecurityTest {

    record Endpoint(String method, String path, String body, boolean mutating) {
    }

    @Test
    void everyEndpointChecksTheCallerItself() {
        String connector = ConnectorFixtures.createOnPremConnector("security");
        String cluster = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"sec\",\"kind\":\"OnPrem\"}")
                .when().post("/api/connectors/" + connector + "/clusters").then().statusCode(201).extract().path("id");
        String c = "/api/connectors/" + connector;
        String k = c + "/clusters/" + cluster;
        List<Endpoint> endpoints = List.of(
                new Endpoint("GET", "/api/connectors", null, false),
                new Endpoint("POST", "/api/connectors", "{\"environment\":\"OnPrem\",\"displayName\":\"x\"}", true),
                new Endpoint("GET", c, null, false),
                new Endpoint("PUT", c, "{\"displayName\":\"x\"}", true),
                new Endpoint("DELETE", c, null, true),
                new Endpoint("GET", c + "/clusters", null, false),
                new Endpoint("POST", c + "/clusters", "{\"name\":\"y\",\"kind\":\"OnPrem\"}", true),
                new Endpoint("GET", k, null, false),
                new Endpoint("PUT", k, "{\"name\":\"sec\"}", true),
                new Endpoint("DELETE", k, null, true),
                new Endpoint("DELETE", k + "/kubernetes-api", null, true),
                new Endpoint("POST", k + "/rotate-ingest-token", null, true),
                new Endpoint("GET", k + "/status", null, false),
                new Endpoint("POST", k + "/check", null, true),
                new Endpoint("POST", k + "/sensor", "{\"ingestToken\":\"pit_x\"}", true),
                new Endpoint("GET", k + "/recommendations", null, false),
                new Endpoint("GET", k + "/recommendations/sensor-installed", null, false),
                new Endpoint("GET", k + "/recommendations/sensor-installed/fix", null, false));
        for (Endpoint e : endpoints) {
            call(null, e).then().statusCode(401);
            call(Tokens.noRole(), e).then().statusCode(403);
            if (e.mutating()) {
                call(Tokens.reader(), e).then().statusCode(403);
            } else {
                call(Tokens.reader(), e).then().statusCode(200);
            }
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
