package io.palisade.connector.kubernetes;

import static io.palisade.connector.ConnectorFixtures.createOnPremConnector;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.palisade.connector.OtherReplica;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Connectivity, inventory and sensor status read through a cluster's Kubernetes API (fabric8 mock server, CRUD). */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
@WithKubernetesTestServer(crud = true, https = false)
class ClusterCheckTest {
    @KubernetesTestServer
    KubernetesServer apiServer;

    @Inject
    ClusterCheckService checks;

    @Inject
    ClusterClients clients;

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

    @Test
    void whileOneReplicaRunsTheRoundOfChecksAnotherSkipsIt() throws Exception {
        CountDownLatch firstCallArrived = new CountDownLatch(1);
        CountDownLatch answerFirstCall = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        HttpServer slowApi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slowApi.createContext("/", exchange -> {
            if (calls.incrementAndGet() == 1) {
                firstCallArrived.countDown();
                try {
                    answerFirstCall.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        ExecutorService threads = Executors.newCachedThreadPool();
        slowApi.setExecutor(threads);
        slowApi.start();
        try {
            String connector = createOnPremConnector("slow api");
            clusterReachableAt(connector, "http://127.0.0.1:" + slowApi.getAddress().getPort());

            Future<Boolean> first = threads.submit(checks::checkAll);
            assertTrue(firstCallArrived.await(30, TimeUnit.SECONDS), "the first round reaches the slow cluster");
            // the round is in progress: another replica's scheduler fires now
            assertFalse(checks.checkAll(), "a second round while the first runs is skipped");
            assertEquals(1, calls.get(), "the slow cluster was called by one round only");

            answerFirstCall.countDown();
            assertTrue(first.get(30, TimeUnit.SECONDS), "the first round ran");
            assertTrue(checks.checkAll(), "once no round runs, the next one does");
            assertEquals(2, calls.get());
        } finally {
            answerFirstCall.countDown();
            slowApi.stop(0);
            threads.shutdownNow();
        }
    }

    @Test
    void aCheckRecordedWhileAnotherReplicaRecordsTheFirstStatusOfTheClusterUpdatesIt() throws Exception {
        String connector = createOnPremConnector("recorded twice");
        String cluster = clusterReachableAt(connector, apiServer.getClient().getConfiguration().getMasterUrl());
        try (Connection otherReplica = OtherReplica.connection()) {
            otherReplica.setAutoCommit(false);
            // another replica's check of the cluster inserted its first status and has not committed yet
            try (PreparedStatement insert = otherReplica.prepareStatement("""
                    INSERT INTO cluster_status (cluster_id, connector_id, connectivity, reason, last_checked_at)
                    VALUES (?, ?, 'Disconnected', 'seen by the other replica', now() - interval '1 minute')""")) {
                insert.setObject(1, UUID.fromString(cluster));
                insert.setObject(2, UUID.fromString(connector));
                insert.executeUpdate();
            }
            CompletableFuture<Response> check = CompletableFuture.supplyAsync(() -> given().auth()
                    .oauth2(Tokens.admin()).when().post("/api/connectors/" + connector + "/clusters/" + cluster
                            + "/check"));
            OtherReplica.awaitBlockedBy(otherReplica);
            otherReplica.commit();

            check.get(30, TimeUnit.SECONDS).then().statusCode(200)
                    .body("connectivity", equalTo("Connected"))
                    .body("inventory.nodes", equalTo(2));
        }
        given().auth().oauth2(Tokens.reader()).when()
                .get("/api/connectors/" + connector + "/clusters/" + cluster + "/status").then().statusCode(200)
                .body("connectivity", equalTo("Connected"));
    }

    @Test
    void clientsOfClustersDeletedOrChangedThroughAnotherReplicaAreClosed() throws Exception {
        String server = apiServer.getClient().getConfiguration().getMasterUrl();
        String connector = createOnPremConnector("clients");
        String kept = clusterReachableAt(connector, server);
        String changed = clusterReachableAt(connector, server);
        String deleted = clusterReachableAt(connector, server);
        for (String cluster : new String[] { kept, changed, deleted }) {
            given().auth().oauth2(Tokens.admin()).when()
                    .post("/api/connectors/" + connector + "/clusters/" + cluster + "/check").then().statusCode(200);
            assertTrue(clients.isOpenFor(UUID.fromString(cluster)));
        }
        // another replica handled these: it closed its own clients, not this replica's
        try (Connection otherReplica = OtherReplica.connection()) {
            execute(otherReplica, "UPDATE cluster SET name = name || '-renamed', version = version + 1 WHERE id = ?",
                    changed);
            execute(otherReplica, "DELETE FROM cluster WHERE id = ?", deleted);
        }

        checks.closeStaleClients();

        assertTrue(clients.isOpenFor(UUID.fromString(kept)), "an unchanged cluster keeps its client");
        assertFalse(clients.isOpenFor(UUID.fromString(changed)), "a changed cluster's client is closed");
        assertFalse(clients.isOpenFor(UUID.fromString(deleted)), "a deleted cluster's client is closed");
    }

    static void execute(Connection connection, String sql, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, UUID.fromString(id));
            assertEquals(1, statement.executeUpdate());
        }
    }
}
