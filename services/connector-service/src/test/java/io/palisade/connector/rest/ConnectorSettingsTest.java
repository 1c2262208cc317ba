package io.palisade.connector.rest;

import static io.palisade.connector.rest.ConnectorResourceTest.createOnPremConnector;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.palisade.common.messaging.Topics;
import io.palisade.common.security.IngestTokens;
import io.palisade.connector.persistence.Cluster;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/** Connector settings with optimistic concurrency, cluster API access kept secret, ingest-token rotation. */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class ConnectorSettingsTest {
    private static final String API_TOKEN = "eyJhbGciOiJSUzI1NiJ9.super-secret-service-account-token";

    @Test
    void aConnectorCarriesRegionsAndOfferingSettings() {
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"environment\":\"AwsAccount\",\"displayName\":\"prod\",\"hierarchyIdentifier\":\"210987654321\","
                        + "\"regions\":[\"eu-west-1\",\"us-east-1\"],\"containersOffering\":{\"policyAgent\":false}}")
                .when().post("/api/connectors").then().statusCode(201)
                .header("ETag", equalTo("\"0\""))
                .body("regions", hasItem("eu-west-1"))
                .body("containersOffering.policyAgent", equalTo(false))
                .body("containersOffering.auditLogAutoProvisioning", equalTo(true));
    }

    @Test
    void aStaleUpdateIsRefusedAndNothingIsOverwritten() {
        String id = createOnPremConnector("concurrent");
        String etag = given().auth().oauth2(Tokens.reader()).when().get("/api/connectors/" + id)
                .then().statusCode(200).extract().header("ETag");
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).header("If-Match", etag)
                .body("{\"displayName\":\"renamed by alice\",\"regions\":[\"dc-2\"]}")
                .when().put("/api/connectors/" + id).then().statusCode(200)
                .header("ETag", not(equalTo(etag)))
                .body("displayName", equalTo("renamed by alice"))
                .body("lastModifiedBy", equalTo("alice"));
        // a second admin still holding the old ETag
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).header("If-Match", etag)
                .body("{\"displayName\":\"renamed by dave\"}")
                .when().put("/api/connectors/" + id).then().statusCode(412)
                .contentType("application/problem+json").body("detail", containsString("changed since you read it"));
        given().auth().oauth2(Tokens.reader()).when().get("/api/connectors/" + id)
                .then().body("displayName", equalTo("renamed by alice"));
        KafkaTestClient.awaitRecord(Topics.CONNECTORS,
                r -> id.equals(r.key()) && r.value() != null && r.value().contains("renamed by alice"),
                Duration.ofSeconds(10));
    }

    @Test
    void updatesAreForAdminsAndCannotChangeWhatAConnectorIs() {
        String id = createOnPremConnector("immutable");
        String body = "{\"displayName\":\"x\"}";
        given().auth().oauth2(Tokens.reader()).contentType(ContentType.JSON).body(body)
                .when().put("/api/connectors/" + id).then().statusCode(403);
        given().contentType(ContentType.JSON).body(body).when().put("/api/connectors/" + id).then().statusCode(401);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"displayName\":\"x\",\"environment\":\"AwsAccount\"}")
                .when().put("/api/connectors/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("environment"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"displayName\":\"\"}")
                .when().put("/api/connectors/" + id).then().statusCode(400)
                .body("errors.field", hasItem("displayName"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).header("If-Match", "\"nonsense\"")
                .body(body).when().put("/api/connectors/" + id).then().statusCode(400);
    }

    @Test
    void kubernetesApiCredentialsAreEncryptedAndNeverShown() {
        String connectorId = createOnPremConnector("api access");
        String clusterId = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"with-api\",\"kind\":\"OnPrem\",\"kubernetesApi\":{\"serverUrl\":"
                        + "\"https://127.0.0.1:16443\",\"bearerToken\":\"" + API_TOKEN + "\"}}")
                .when().post("/api/connectors/" + connectorId + "/clusters")
                .then().statusCode(201)
                .body("kubernetesApi.configured", equalTo(true))
                .body("kubernetesApi.server", equalTo("https://127.0.0.1:16443"))
                .body(not(containsString(API_TOKEN)))
                .extract().path("id");
        given().auth().oauth2(Tokens.admin()).when().get("/api/connectors/" + connectorId + "/clusters/" + clusterId)
                .then().statusCode(200).body(not(containsString(API_TOKEN)));
        String stored = QuarkusTransaction.requiringNew()
                .call(() -> Cluster.<Cluster> findById(UUID.fromString(clusterId)).kubernetesApiCredentials);
        assertFalse(stored.contains(API_TOKEN) || stored.contains("super-secret"), "stored encrypted");
        var event = KafkaTestClient.awaitRecord(Topics.CONNECTORS, r -> clusterId.equals(r.key()), Duration.ofSeconds(10));
        assertFalse(event.value().contains("super-secret"), "never on Kafka");

        given().auth().oauth2(Tokens.admin()).when()
                .delete("/api/connectors/" + connectorId + "/clusters/" + clusterId + "/kubernetes-api")
                .then().statusCode(200).body("kubernetesApi.configured", equalTo(false))
                .body("kubernetesApi.server", nullValue());
    }

    @Test
    void kubernetesApiAccessIsValidated() {
        String connectorId = createOnPremConnector("bad access");
        String path = "/api/connectors/" + connectorId + "/clusters";
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"a\",\"kind\":\"OnPrem\",\"kubernetesApi\":{\"serverUrl\":\"https://k:6443\"}}")
                .when().post(path).then().statusCode(400).body("errors[0].field", equalTo("kubernetesApi.bearerToken"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"a\",\"kind\":\"OnPrem\",\"kubernetesApi\":{\"kubeconfig\":\"apiVersion: v1\\nkind: Config\\n\"}}")
                .when().post(path).then().statusCode(400).body("errors[0].field", equalTo("kubernetesApi.kubeconfig"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"a\",\"kind\":\"OnPrem\",\"kubernetesApi\":{\"serverUrl\":\"ftp://k\",\"bearerToken\":\"t\"}}")
                .when().post(path).then().statusCode(400).body("errors[0].field", equalTo("kubernetesApi.serverUrl"));
        String notACertificate = java.util.Base64.getEncoder().encodeToString(
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n".getBytes());
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"a\",\"kind\":\"OnPrem\",\"kubernetesApi\":{\"serverUrl\":\"https://k:6443\","
                        + "\"bearerToken\":\"t\",\"certificateAuthorityData\":\"" + notACertificate + "\"}}")
                .when().post(path).then().statusCode(400)
                .body("errors[0].field", equalTo("kubernetesApi.certificateAuthorityData"));
        String kubeconfig = "apiVersion: v1\\nkind: Config\\ncurrent-context: c\\ncontexts:\\n- name: c\\n  context:\\n"
                + "    cluster: k\\n    user: u\\nclusters:\\n- name: k\\n  cluster:\\n    server: https://127.0.0.2:16443\\n"
                + "users:\\n- name: u\\n  user:\\n    token: " + API_TOKEN + "\\n";
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"b\",\"kind\":\"OnPrem\",\"kubernetesApi\":{\"kubeconfig\":\"" + kubeconfig + "\"}}")
                .when().post(path).then().statusCode(201)
                .body("kubernetesApi.server", equalTo("https://127.0.0.2:16443"))
                .body(not(containsString(API_TOKEN)));
    }

    @Test
    void rotatingTheIngestTokenPublishesTheNewHashAndShowsTheTokenOnce() {
        String connectorId = createOnPremConnector("rotation");
        String path = "/api/connectors/" + connectorId + "/clusters";
        var created = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"rot\",\"kind\":\"OnPrem\"}").when().post(path).then().statusCode(201).extract();
        String clusterId = created.path("id");
        String oldToken = created.path("ingestToken");
        given().auth().oauth2(Tokens.reader()).when().post(path + "/" + clusterId + "/rotate-ingest-token")
                .then().statusCode(403);
        given().when().post(path + "/" + clusterId + "/rotate-ingest-token").then().statusCode(401);
        String newToken = given().auth().oauth2(Tokens.admin()).when().post(path + "/" + clusterId + "/rotate-ingest-token")
                .then().statusCode(200).extract().path("ingestToken");
        assertNotEquals(oldToken, newToken);
        var event = KafkaTestClient.awaitRecord(Topics.CONNECTORS, r -> clusterId.equals(r.key())
                && r.value() != null && r.value().contains(IngestTokens.hash(newToken)), Duration.ofSeconds(10));
        assertTrue(!event.value().contains(IngestTokens.hash(oldToken)));
    }
}
