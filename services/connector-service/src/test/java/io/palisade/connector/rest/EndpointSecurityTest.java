package io.palisade.connector.rest;

import static io.palisade.testsupport.EndpointSecurity.Endpoint.change;
import static io.palisade.testsupport.EndpointSecurity.Endpoint.read;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.palisade.connector.ConnectorFixtures;
import io.palisade.testsupport.EndpointSecurity;
import io.palisade.testsupport.EndpointSecurity.Endpoint;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/** Every endpoint of connector-service checks the caller itself: role and scopes. */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class EndpointSecurityTest {

    @Test
    void everyEndpointChecksTheCallerItself() {
        String connector = ConnectorFixtures.createOnPremConnector("security");
        EndpointSecurity.assertEveryEndpointChecksTheCaller(endpointsOf(connector, cluster(connector)));
    }

    @Test
    void aConnectorBeyondTheCallersScopesIsHiddenOnEveryEndpoint() {
        String connector = ConnectorFixtures.createOnPremConnector("scoped");
        List<Endpoint> ofTheConnector = endpointsOf(connector, cluster(connector)).stream()
                .filter(e -> e.path().startsWith("/api/connectors/")).toList();
        EndpointSecurity.assertEveryEndpointHidesTheConnectorBeyondScopes(connector, ofTheConnector);
    }

    @Test
    void aScopedCallerListsOnlyItsConnectorsAndCannotCreateOne() {
        String mine = ConnectorFixtures.createOnPremConnector("mine");
        String theirs = ConnectorFixtures.createOnPremConnector("theirs");
        String scoped = Tokens.forUser("dave", Set.of("security-admin", "security-reader"), List.of(mine));
        List<String> listed = given().auth().oauth2(scoped).queryParam("top", 100)
                .when().get("/api/connectors").then().statusCode(200).extract().path("value.id");
        assertEquals(List.of(mine), listed, "only the connector of the token's scopes");
        given().auth().oauth2(scoped).when().get("/api/connectors/" + theirs).then().statusCode(404);
        given().auth().oauth2(Tokens.admin()).when().get("/api/connectors/" + theirs).then().statusCode(200);
        given().auth().oauth2(scoped).contentType(ContentType.JSON)
                .body("{\"environment\":\"OnPrem\",\"displayName\":\"x\"}")
                .when().post("/api/connectors").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("palisade_scopes"));
        String everyConnector = Tokens.forUser("dave", Set.of("security-admin"), List.of("*"));
        given().auth().oauth2(everyConnector).contentType(ContentType.JSON)
                .body("{\"environment\":\"OnPrem\",\"displayName\":\"x\"}")
                .when().post("/api/connectors").then().statusCode(201);
    }

    private static String cluster(String connector) {
        return given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"sec\",\"kind\":\"OnPrem\"}")
                .when().post("/api/connectors/" + connector + "/clusters").then().statusCode(201).extract().path("id");
    }

    private static List<Endpoint> endpointsOf(String connector, String cluster) {
        String c = "/api/connectors/" + connector;
        String k = c + "/clusters/" + cluster;
        return List.of(
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
                read(k + "/recommendations/sensor-installed/fix"));
    }
}
