package io.palisade.connector.recommendation;

import static io.palisade.connector.ConnectorFixtures.createOnPremConnector;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.palisade.common.events.ClusterActivityEvent;
import io.palisade.common.events.PlanStateEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.connector.kubernetes.Sensor;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
@WithKubernetesTestServer(crud = true, https = false)
class RecommendationTest {
    private static final String TOKEN = "pit_Abc123-def_456";

    @KubernetesTestServer
    KubernetesServer apiServer;

    @BeforeEach
    void emptyCluster() {
        apiServer.getKubernetesMockServer().reset();
        apiServer.getKubernetesMockServer().setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("28").build());
    }

    record Target(String connector, String cluster) {
        String path() {
            return "/api/connectors/" + connector + "/clusters/" + cluster;
        }
    }

    static Target cluster(String connector, String kind, String server) {
        String access = server == null ? "" : ",\"kubernetesApi\":{\"serverUrl\":\"" + server + "\",\"bearerToken\":\"sa\"}";
        String id = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"c" + System.nanoTime() + "\",\"kind\":\"" + kind + "\"" + access + "}")
                .when().post("/api/connectors/" + connector + "/clusters").then().statusCode(201).extract().path("id");
        return new Target(connector, id);
    }

    static String status(Target t, String recommendation) {
        return given().auth().oauth2(Tokens.reader()).when().get(t.path() + "/recommendations/" + recommendation)
                .then().statusCode(200).extract().path("status");
    }

    @Test
    void whatCannotBeVerifiedIsNotApplicableWithTheReason() {
        Target t = cluster(createOnPremConnector("unverified"), "OnPrem", null);
        given().auth().oauth2(Tokens.reader()).when().get(t.path() + "/recommendations").then().statusCode(200)
                .body("value.size()", equalTo(3))
                .body("value.find { it.id == 'sensor-installed' }.status", equalTo("NotApplicable"))
                .body("value.find { it.id == 'sensor-installed' }.cause", containsString("not been checked"))
                .body("value.find { it.id == 'audit-log-collection' }.status", equalTo("NotApplicable"))
                .body("value.find { it.id == 'supported-kubernetes-version' }.status", equalTo("NotApplicable"));
    }

    @Test
    void sensorAndVersionFollowWhatTheKubernetesApiShows() {
        Target t = cluster(createOnPremConnector("observed"),
                "OnPrem", apiServer.getClient().getConfiguration().getMasterUrl());
        given().auth().oauth2(Tokens.admin()).when().post(t.path() + "/check").then().statusCode(200);
        assertEquals("Unhealthy", status(t, "sensor-installed"));
        given().auth().oauth2(Tokens.reader()).when().get(t.path() + "/recommendations/supported-kubernetes-version")
                .then().body("status", equalTo("Unhealthy")).body("cause", containsString("v1.28"));

        apiServer.getKubernetesMockServer().setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("33").build());
        apiServer.getClient().apps().daemonSets().inNamespace(Sensor.NAMESPACE).resource(new DaemonSetBuilder()
                .withNewMetadata().withName(Sensor.DAEMON_SET).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("falco").withImage("falco")
                .endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withDesiredNumberScheduled(2).withNumberReady(2).endStatus().build()).create();
        given().auth().oauth2(Tokens.admin()).when().post(t.path() + "/check").then().statusCode(200);
        assertEquals("Healthy", status(t, "sensor-installed"));
        assertEquals("Healthy", status(t, "supported-kubernetes-version"));
    }

    @Test
    void auditLogCollectionFollowsThePlanAndTheClustersActivity() {
        String connector = createOnPremConnector("audit");
        Target t = cluster(connector, "OnPrem", null);
        var containers = new PlanStateEvent.PlanEntry("Containers", "Standard", Instant.now().minusSeconds(3600),
                Map.of("AuditLogCollection", true), 30);
        KafkaTestClient.send(Topics.PLANS, connector, EventCodec.encode(
                PlanStateEvent.of(UUID.fromString(connector), List.of(containers), Instant.now())));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> "Unhealthy".equals(status(t, "audit-log-collection")));
        given().auth().oauth2(Tokens.reader()).when().get(t.path() + "/recommendations/audit-log-collection")
                .then().body("cause", containsString("No audit event"));

        KafkaTestClient.send(Topics.CLUSTER_ACTIVITY, t.cluster(), EventCodec.encode(ClusterActivityEvent.of(
                UUID.fromString(t.cluster()), UUID.fromString(connector), Instant.now())));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> "Healthy".equals(status(t, "audit-log-collection")));
    }

    @Test
    void recommendationsAreForReadersAndAdminsOnly() {
        Target t = cluster(createOnPremConnector("rbac"), "OnPrem", null);
        given().auth().oauth2(Tokens.noRole()).when().get(t.path() + "/recommendations").then().statusCode(403);
        given().when().get(t.path() + "/recommendations").then().statusCode(401);
        given().auth().oauth2(Tokens.noRole()).when().get(t.path() + "/recommendations/sensor-installed/fix")
                .then().statusCode(403);
        given().auth().oauth2(Tokens.reader()).when().get(t.path() + "/recommendations/nope").then().statusCode(404);
        given().auth().oauth2(Tokens.reader()).when().get(t.path() + "/recommendations/supported-kubernetes-version/fix")
                .then().statusCode(400).body("detail", containsString("no Fix script"));
    }

    @Test
    void theSensorFixAppliesTheKitWithTheTokenItIsGiven() throws Exception {
        Target t = cluster(createOnPremConnector("fix sensor"), "OnPrem", null);
        String script = given().auth().oauth2(Tokens.reader())
                .when().get(t.path() + "/recommendations/sensor-installed/fix?format=bash")
                .then().statusCode(200).contentType("text/x-shellscript")
                .header("Content-Disposition", containsString(".sh")).extract().asString();
        assertFalse(java.util.regex.Pattern.compile("pit_[A-Za-z0-9_-]{16,}").matcher(script).find(),
                "a Fix never carries a token");
        Path dir = Files.createTempDirectory("fix");
        Path file = write(dir.resolve("fix.sh"), script);
        assertEquals(0, run(dir, Map.of(), "bash", "-n", file.toString()).exitCode(), "valid bash");

        // kubectl stand-in: records what it was asked to apply
        Path bin = Files.createDirectory(dir.resolve("bin"));
        write(bin.resolve("kubectl"), "#!/usr/bin/env bash\necho \"$*\" >>\"" + dir + "/kubectl.args\"\n"
                + "[[ \"$1\" == apply ]] && cat >>\"" + dir + "/applied.yaml\"\nexit 0\n");
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"), "PALISADE_INGEST_TOKEN", TOKEN);
        Run ok = run(dir, env, "bash", file.toString());
        assertEquals(0, ok.exitCode(), ok.output());
        String applied = Files.readString(dir.resolve("applied.yaml"));
        assertTrue(applied.contains("Authorization:Bearer " + TOKEN), "the forwarder gets the token");
        assertTrue(applied.contains("http://127.0.0.1:8080/ingest/falco"), "and the gateway");
        assertTrue(applied.contains("kind: DaemonSet"));
        assertTrue(Files.readString(dir.resolve("kubectl.args")).contains("--server-side"));

        Run noToken = run(dir, Map.of("PATH", bin + ":" + System.getenv("PATH")), "bash", file.toString());
        assertTrue(noToken.exitCode() != 0 && noToken.output().contains("PALISADE_INGEST_TOKEN"), noToken.output());

        given().auth().oauth2(Tokens.reader())
                .when().get(t.path() + "/recommendations/sensor-installed/fix?format=powershell")
                .then().statusCode(200).body(containsString("kubectl apply --server-side"))
                .body(containsString("$env:PALISADE_INGEST_TOKEN"));
    }

    @Test
    void theAuditLogFixWritesThePolicyAndTheWebhookForTheApiServer() throws Exception {
        Target t = cluster(createOnPremConnector("fix audit"), "OnPrem", null);
        String script = given().auth().oauth2(Tokens.admin())
                .when().get(t.path() + "/recommendations/audit-log-collection/fix")
                .then().statusCode(200).extract().asString();
        Path dir = Files.createTempDirectory("fix-audit");
        Path file = write(dir.resolve("fix.sh"), script);
        assertEquals(0, run(dir, Map.of(), "bash", "-n", file.toString()).exitCode(), "valid bash");
        Path target = dir.resolve("etc-palisade");
        Run run = run(dir, Map.of("PALISADE_INGEST_TOKEN", TOKEN, "PALISADE_AUDIT_DIR", target.toString()),
                "bash", file.toString());
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("--audit-webhook-config-file=" + target), run.output());
        String webhook = Files.readString(target.resolve("audit-webhook-kubeconfig.yaml"));
        assertTrue(webhook.contains("token: " + TOKEN) && webhook.contains("http://127.0.0.1:8080/ingest/k8s-audit"));
        assertTrue(Files.readString(target.resolve("audit-policy.yaml")).contains("kind: Policy"));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(target.resolve("audit-webhook-kubeconfig.yaml"))));

        Target eks = cluster(t.connector(), "EKS", null);
        given().auth().oauth2(Tokens.admin()).when().get(eks.path() + "/recommendations/audit-log-collection/fix")
                .then().statusCode(200).body(containsString("aws eks update-cluster-config"));
    }

    record Run(int exitCode, String output) {
    }

    static Path write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        file.toFile().setExecutable(true);
        return file;
    }

    static Run run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("PALISADE_INGEST_TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }
}
