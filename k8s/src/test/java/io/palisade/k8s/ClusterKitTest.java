package io.palisade.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The kit a protected cluster applies sends to the gateway's real ingest paths with the cluster's token: the audit
 * webhook to /ingest/k8s-audit, the sensor (Falco DaemonSet → Falcosidekick forwarder in the cluster) to
 * /ingest/falco. The sensor kustomization renders, and its forwarder is as locked down as Palisade's own services.
 */
class ClusterKitTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theAuditWebhookSendsToTheGatewaysAuditIngestWithTheClustersToken() throws IOException {
        JsonNode kubeconfig = YAML.readTree(Repository.file("k8s/cluster-kit/audit-webhook-kubeconfig.yaml").toFile());
        assertEquals("PALISADE_GATEWAY_URL/ingest/k8s-audit", kubeconfig.at("/clusters/0/cluster/server").asText());
        assertEquals("PALISADE_INGEST_TOKEN", kubeconfig.at("/users/0/user/token").asText());
        assertTrue(ingestPaths().contains("k8s-audit"), "detection-service serves /ingest/k8s-audit");
    }

    @Test
    void theSensorSendsFalcosEventsThroughItsForwarderToTheGatewaysFalcoIngest() throws IOException {
        RenderedOverlay sensor = RenderedOverlay.at("cluster-kit/sensor", Repository.K8S.resolve("cluster-kit/sensor"));
        DaemonSet falco = sensor.all(DaemonSet.class).stream().findFirst()
                .orElseThrow(() -> new AssertionError("the sensor has no DaemonSet"));
        assertTrue(falco.getSpec().getTemplate().getSpec().getContainers().stream()
                .anyMatch(c -> c.getImage().startsWith("falcosecurity/falco:")), "the DaemonSet runs Falco");

        // Falco → the forwarder's Service
        String falcoConfig = sensor.all(ConfigMap.class).stream().flatMap(c -> c.getData().values().stream())
                .filter(v -> v.contains("http_output")).findFirst()
                .orElseThrow(() -> new AssertionError("no Falco configuration with http_output"));
        URI forwarderUrl = URI.create(YAML.readTree(falcoConfig).at("/http_output/url").asText());
        assertTrue(YAML.readTree(falcoConfig).at("/http_output/enabled").asBoolean(), "Falco's http_output is on");
        Service forwarder = sensor.require(Service.class, forwarderUrl.getHost().split("\\.")[0]);
        assertEquals(forwarderUrl.getHost(), forwarder.getMetadata().getName() + "." + forwarder.getMetadata().getNamespace()
                + ".svc", "Falco posts to the forwarder's Service");
        assertTrue(forwarder.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == forwarderUrl.getPort()),
                "on the forwarder's port");

        // the forwarder → the gateway, with the cluster's token
        Secret ingest = sensor.all(Secret.class).stream().findFirst().orElseThrow();
        assertEquals("PALISADE_GATEWAY_URL/ingest/falco", ingest.getStringData().get("WEBHOOK_ADDRESS"));
        assertEquals("Authorization:Bearer PALISADE_INGEST_TOKEN", ingest.getStringData().get("WEBHOOK_CUSTOMHEADERS"));
        assertTrue(ingestPaths().contains("falco"), "detection-service serves /ingest/falco");

        Deployment deployment = sensor.all(Deployment.class).stream().findFirst().orElseThrow();
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(container.getEnvFrom().stream().anyMatch(e -> e.getSecretRef() != null
                && ingest.getMetadata().getName().equals(e.getSecretRef().getName())), "the forwarder reads the ingest Secret");
        var security = container.getSecurityContext();
        assertTrue(Boolean.TRUE.equals(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
                && Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())
                && Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())
                && security.getCapabilities().getDrop().contains("ALL"), "the forwarder runs locked down");
        assertTrue(container.getReadinessProbe() != null && container.getLivenessProbe() != null
                && container.getResources().getLimits().containsKey("memory"), "the forwarder is probed and sized");
    }

    /** The sub-paths detection-service's IngestResource serves under /ingest. */
    private static List<String> ingestPaths() throws IOException {
        String resource = Files.readString(Repository.file(
                "services/detection-service/src/main/java/io/palisade/detection/rest/IngestResource.java"));
        return java.util.regex.Pattern.compile("@Path\\(\"([a-z0-9-]+)\"\\)").matcher(resource).results()
                .map(m -> m.group(1)).toList();
    }
}
