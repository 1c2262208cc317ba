package io.palisade.connector.kubernetes;

import static io.palisade.connector.ConnectorFixtures.createOnPremConnector;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/** Connectivity, inventory and sensor status read through a cluster's Kubernetes API (fabric8 mock server, CRUD). */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
@WithKubernetesTestServer(crud = true, https = false)
class ClusterCheckTest {
    @KubernetesTestServer
    KubernetesServer apiServer;

    @BeforeEach
    void aClusterWithTwoNodesAWorkloadAndTheSensor() {
        KubernetesClient admin = apiServer.getClient();
        apiServer.getKubernetesMockServer().reset();
        apiServer.getKubernetesMockServer().setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("31+").build());
        for (String node : new String[] { "node-a", "node-b" }) {
            admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
                    .createOr(existing -> existing.update());
        }
        for (String ns : new String[] { "default", "kube-system", Sensor.NAMESPACE }) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .createOr(existing -> existing.update());
        }
        admin.apps().deployments().inNamespace("default").resource(new DeploymentBuilder()
                .withNewMetadata().withName("shop").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("shop").withImage("shop:1")
                .endContainer().endSpec().endTemplate().endSpec().build()).createOr(existing -> existing.update());
        admin.apps().daemonSets().inNamespace(Sensor.NAMESPACE).resource(new DaemonSetBuilder()
                .withNewMetadata().withName(Sensor.DAEMON_SET).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("falco")
                .withImage("falcosecurity/falco:0.39.2").endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withDesiredNumberScheduled(2).withNumberReady(1).endStatus()
                .build()).createOr(existing -> existing.update());
    }

    String clusterReachableAt(String connectorId, String server) {
        return given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"c" + System.nanoTime() + "\",\"kind\":\"OnPrem\",\"kubernetesApi\":{\"serverUrl\":\""
                        + server + "\",\"bearerToken\":\"sa-token\"}}")
                .when().post("/api/connectors/" + connectorId + "/clusters").then().statusCode(201).extract().path("id");
    }

    @Test
    void aCheckRecordsConnectivityInventoryAndSensorStatus() {
        String connector = createOnPremConnector("checked");
        String cluster = clusterReachableAt(connector, apiServer.getClient().getConfiguration().getMasterUrl());
        String base = "/api/connectors/" + connector + "/clusters/" + cluster;
        given().auth().oauth2(Tokens.reader()).when().get(base + "/status").then().statusCode(200)
                .body("connectivity", equalTo("NotChecked"));

        given().auth().oauth2(Tokens.admin()).when().post(base + "/check").then().statusCode(200)
                .body("connectivity", equalTo("Connected"))
                .body("kubernetesVersion", equalTo("v1.31"))
                .body("inventory.nodes", equalTo(2))
                .body("inventory.workloads.Deployment", equalTo(1))
                .body("inventory.workloads.DaemonSet", equalTo(1))
                .body("sensor.installed", equalTo(true))
                .body("sensor.desired", equalTo(2))
                .body("sensor.ready", equalTo(1))
                .body("sensor.image", equalTo("falcosecurity/falco:0.39.2"));
        given().auth().oauth2(Tokens.reader()).when().get(base + "/status").then().statusCode(200)
                .body("connectivity", equalTo("Connected"))
                .body("inventory.namespaces", equalTo(3));
    }

    @Test
    void anUnreachableClusterIsDisconnectedWithTheReason() {
        String connector = createOnPremConnector("unreachable");
        String cluster = clusterReachableAt(connector, "http://127.0.0.1:1");
        given().auth().oauth2(Tokens.admin()).when()
                .post("/api/connectors/" + connector + "/clusters/" + cluster + "/check").then().statusCode(200)
                .body("connectivity", equalTo("Disconnected"))
                .body("reason", containsString("unreachable"))
                .body("reason", org.hamcrest.Matchers.not(containsString("sa-token")));
    }

    @Test
    void checksNeedAccessAndAnAdmin() {
        String connector = createOnPremConnector("no access");
        String cluster = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"plain\",\"kind\":\"OnPrem\"}")
                .when().post("/api/connectors/" + connector + "/clusters").then().statusCode(201).extract().path("id");
        String check = "/api/connectors/" + connector + "/clusters/" + cluster + "/check";
        given().auth().oauth2(Tokens.admin()).when().post(check).then().statusCode(409)
                .body("detail", containsString("no Kubernetes API access"));
        given().auth().oauth2(Tokens.reader()).when().post(check).then().statusCode(403);
        given().when().post(check).then().statusCode(401);
        given().auth().oauth2(Tokens.noRole()).when()
                .get("/api/connectors/" + connector + "/clusters/" + cluster + "/status").then().statusCode(403);
    }

    @Test
    void anAdminInstallsTheSensorFromTheClusterKitWithTheClustersToken() {
        KubernetesClient admin = apiServer.getClient();
        admin.apps().daemonSets().inNamespace(Sensor.NAMESPACE).withName(Sensor.DAEMON_SET).delete();
        String connector = createOnPremConnector("sensor install");
        var created = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"to-protect\",\"kind\":\"OnPrem\",\"kubernetesApi\":{\"serverUrl\":\""
                        + admin.getConfiguration().getMasterUrl() + "\",\"bearerToken\":\"sa\"}}")
                .when().post("/api/connectors/" + connector + "/clusters").then().statusCode(201).extract();
        String sensor = "/api/connectors/" + connector + "/clusters/" + created.path("id") + "/sensor";
        String token = created.path("ingestToken");
        String body = "{\"ingestToken\":\"" + token + "\",\"gatewayUrl\":\"https://palisade.example.com\"}";

        given().auth().oauth2(Tokens.reader()).contentType(ContentType.JSON).body(body).when().post(sensor)
                .then().statusCode(403);
        given().contentType(ContentType.JSON).body(body).when().post(sensor).then().statusCode(401);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"ingestToken\":\"pit_wrong\"}").when().post(sensor)
                .then().statusCode(400).body("errors[0].field", equalTo("ingestToken"));

        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(body).when().post(sensor)
                .then().statusCode(200)
                .body("connectivity", equalTo("Connected"))
                .body("sensor.installed", equalTo(true))
                .body("sensor.image", containsString("falcosecurity/falco"));
        var secret = admin.secrets().inNamespace(Sensor.NAMESPACE).withName("palisade-sensor-ingest").get();
        String webhook = secret.getStringData() != null ? secret.getStringData().get("WEBHOOK_ADDRESS")
                : new String(java.util.Base64.getDecoder().decode(secret.getData().get("WEBHOOK_ADDRESS")));
        org.junit.jupiter.api.Assertions.assertEquals("https://palisade.example.com/ingest/falco", webhook);
        // applying again upgrades in place
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(body).when().post(sensor)
                .then().statusCode(200).body("sensor.installed", equalTo(true));
    }
}
