package io.palisade.connector.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.palisade.common.messaging.Topics;
import io.palisade.common.security.IngestTokens;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class ClusterResourceTest {
    private static final String CLUSTER = "{\"name\":\"%s\",\"kind\":\"OnPrem\",\"region\":\"dc-1\"}";

    @Test
    void registeringAClusterShowsItsIngestTokenOnceAndPublishesOnlyItsHash() {
        String connectorId = ConnectorResourceTest.createOnPremConnector("with clusters");
        var created = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(CLUSTER.formatted("prod-1"))
                .when().post("/api/connectors/" + connectorId + "/clusters")
                .then().statusCode(201)
                .body("connectorId", equalTo(connectorId))
                .body("ingestToken", startsWith(IngestTokens.PREFIX))
                .extract();
        String clusterId = created.path("id");
        String token = created.path("ingestToken");

        given().auth().oauth2(Tokens.reader()).when().get("/api/connectors/" + connectorId + "/clusters/" + clusterId)
                .then().statusCode(200).body("name", equalTo("prod-1")).body("ingestToken", nullValue());
        given().auth().oauth2(Tokens.reader()).when().get("/api/connectors/" + connectorId + "/clusters")
                .then().statusCode(200).body("value[0].ingestToken", nullValue());

        var record = KafkaTestClient.awaitRecord(Topics.CONNECTORS, r -> clusterId.equals(r.key()),
                Duration.ofSeconds(10));
        assertTrue(record.value().contains("\"ingestTokenHash\":\"" + IngestTokens.hash(token) + "\""));
        assertTrue(!record.value().contains(token), "the token itself must never be published");
    }

    @Test
    void onlyAdminsRegisterAndDeleteClusters() {
        String connectorId = ConnectorResourceTest.createOnPremConnector("rbac");
        String path = "/api/connectors/" + connectorId + "/clusters";
        given().auth().oauth2(Tokens.reader()).contentType(ContentType.JSON).body(CLUSTER.formatted("a"))
                .when().post(path).then().statusCode(403);
        given().contentType(ContentType.JSON).body(CLUSTER.formatted("a"))
                .when().post(path).then().statusCode(401);
        String clusterId = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(CLUSTER.formatted("a")).when().post(path).then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.reader()).when().delete(path + "/" + clusterId).then().statusCode(403);
        given().when().delete(path + "/" + clusterId).then().statusCode(401);
        given().auth().oauth2(Tokens.admin()).when().delete(path + "/" + clusterId).then().statusCode(204);
        given().auth().oauth2(Tokens.admin()).when().get(path + "/" + clusterId).then().statusCode(404);
        KafkaTestClient.awaitRecord(Topics.CONNECTORS, r -> clusterId.equals(r.key()) && r.value() == null,
                Duration.ofSeconds(10));
    }

    @Test
    void clusterNamesAreUniquePerConnectorAndTheConnectorMustExist() {
        String connectorId = ConnectorResourceTest.createOnPremConnector("unique names");
        String path = "/api/connectors/" + connectorId + "/clusters";
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(CLUSTER.formatted("dup"))
                .when().post(path).then().statusCode(201);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(CLUSTER.formatted("dup"))
                .when().post(path).then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(CLUSTER.formatted("x"))
                .when().post("/api/connectors/00000000-0000-0000-0000-000000000000/clusters").then().statusCode(404);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"name\":\"k\",\"kind\":\"Nomad\"}")
                .when().post(path).then().statusCode(400);
    }
}
