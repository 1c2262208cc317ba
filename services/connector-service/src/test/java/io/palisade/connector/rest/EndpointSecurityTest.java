package io.palisade.connector.rest;

import static io.palisade.testsupport.EndpointSecurity.Endpoint.change;
import static io.palisade.testsupport.EndpointSecurity.Endpoint.read;
import static io.restassured.RestAssured.given;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.palisade.connector.ConnectorFixtures;
import io.palisade.testsupport.EndpointSecurity;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/** Every endpoint of connector-service checks the caller itself. */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class EndpointSecurityTest {

    @Test
    void everyEndpointChecksTheCallerItself() {
        String connector = ConnectorFixtures.createOnPremConnector("security");
        String cluster = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"sec\",\"kind\":\"OnPrem\"}")
                .when().post("/api/connectors/" + connector + "/clusters").then().statusCode(201).extract().path("id");
        String c = "/api/connectors/" + connector;
        String k = c + "/clusters/" + cluster;
        EndpointSecurity.assertEveryEndpointChecksTheCaller(List.of(
                read("/api/connectors"),
                change("POST", "/api/connectors", "{\"environment\":\"OnPrem\",\"displayName\":\"x\"}"),
                read(c),
                change("PUT", c, "{\"displayName\":\"x\"}"),
                change("DELETE", c, null),
                read(c + "/clusters"),
                change("POST", c + "/clusters", "{\"name\":\"y\",\"kind\":\"OnPrem\"}"),
                read(k),
                change("PUT", k, "{\"name\":\"sec\"}"),
                change("DELETE", k, null),
                change("DELETE", k + "/kubernetes-api", null),
                change("POST", k + "/rotate-ingest-token", null),
                read(k + "/status"),
                change("POST", k + "/check", null),
                change("POST", k + "/sensor", "{\"ingestToken\":\"pit_x\"}"),
                read(k + "/recommendations"),
                read(k + "/recommendations/sensor-installed"),
                read(k + "/recommendations/sensor-installed/fix")));
    }
}
