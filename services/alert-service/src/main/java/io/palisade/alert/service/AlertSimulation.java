package io.palisade.alert.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.alert.messaging.SimulatedAuditEventPublisher;
import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.ProblemException;

/**
 * Simulated alerts, as Defender's "sample alerts": for each requested bundle, one synthetic Kubernetes audit event per
 * alert type of a representative sample goes to {@code palisade.audit-events} with source format
 * {@value AuditEventEnvelope#SIMULATION}. Detection judges them like any audit event, so the alerts that come back
 * prove the whole pipeline (detection rules, correlation, {@code palisade.alerts}, this service); it marks them
 * simulated. Object and user names carry the run id, so every run raises new alerts rather than adding to the
 * previous run's.
 */
@ApplicationScoped
public class AlertSimulation {
    private static final Logger LOG = Logger.getLogger(AlertSimulation.class);

    /** The bundles Palisade can simulate (Defender's names); Kubernetes is the only one. */
    public static final String KUBERNETES_BUNDLE = "KubernetesService";
    public static final Set<String> BUNDLES = Set.of(KUBERNETES_BUNDLE);
    /** Every synthetic audit event's auditID starts with this, then the run id. */
    public static final String AUDIT_ID_PREFIX = "palisade-simulation-";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(15);

    private final SimulatedAuditEventPublisher publisher;

    public AlertSimulation(SimulatedAuditEventPublisher publisher) {
        this.publisher = publisher;
    }

    /** What a simulation sent: the alert types it should raise and how to recognise its events. */
    public record Run(String runId, UUID clusterId, UUID connectorId, List<String> bundles, String auditIdPrefix,
            int events, List<String> alertTypes) {
    }

    /** One synthetic audit event and the alert type it is meant to raise. */
    public record SampleEvent(String alertType, JsonNode event) {
    }

    /** Sends the sample of each bundle for the cluster; returns once Kafka took every event (503 if it did not). */
    public Run simulate(UUID clusterId, UUID connectorId, List<String> bundles, String requestedBy) {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        List<SampleEvent> sample = kubernetesSample(runId, now);
        List<AuditEventEnvelope> envelopes = sample.stream().map(s -> AuditEventEnvelope.of(clusterId, connectorId,
                AuditEventEnvelope.SIMULATION, now, s.event())).toList();
        try {
            publisher.publish(envelopes, PUBLISH_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Alert simulation %s for cluster %s could not be published", runId, clusterId);
            throw new ProblemException(503, "Service Unavailable",
                    "The simulation's audit events could not be handed to detection (Kafka); retry later");
        }
        LOG.infof("Alert simulation %s by %s: %d synthetic audit events for cluster %s (connector %s)", runId,
                requestedBy, envelopes.size(), clusterId, connectorId);
        List<String> alertTypes = new ArrayList<>();
        sample.forEach(s -> alertTypes.add(s.alertType()));
        alertTypes.add("K8S_DisallowedUser");
        return new Run(runId, clusterId, connectorId, List.copyOf(bundles), AUDIT_ID_PREFIX + runId + "-",
                envelopes.size(), alertTypes);
    }

    /**
     * The Kubernetes bundle: one audit event per alert type, as the API server would record the request. All are made
     * by the user {@code palisade-simulation-<run>}, which is in no allow list, so the sample also raises one
     * {@code K8S_DisallowedUser} alert for that user.
     */
    public static List<SampleEvent> kubernetesSample(String runId, Instant now) {
        String user = "palisade-simulation-" + runId;
        String ns = "palisade-simulation-" + runId;
        Sample s = new Sample(runId, user, now);
        List<SampleEvent> events = new ArrayList<>();

        events.add(new SampleEvent("K8S_DisallowedNamespace",
                s.event("create", "namespaces", null, ns, "", "v1", 201, null)
                        .set("requestObject", json(Map.of("kind", "Namespace", "metadata", Map.of("name", ns))))));

        events.add(new SampleEvent("K8S_ClusterAdminBinding",
                s.event("create", "clusterrolebindings", null, "simulated-admin-" + runId,
                        "rbac.authorization.k8s.io", "v1", 201, null)
                        .set("requestObject", json(Map.of("kind", "ClusterRoleBinding",
                                "roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole",
                                        "name", "cluster-admin"),
                                "subjects", List.of(Map.of("kind", "User", "name", user)))))));

        events.add(new SampleEvent("K8S_HighPrivilegesRole",
                s.event("create", "clusterroles", null, "simulated-everything-" + runId,
                        "rbac.authorization.k8s.io", "v1", 201, null)
                        .set("requestObject", json(Map.of("kind", "ClusterRole", "rules", List.of(Map.of(
                                "apiGroups", List.of("*"), "resources", List.of("*"), "verbs", List.of("*"))))))));

        events.add(new SampleEvent("K8S_PrivilegedContainer",
                s.event("create", "deployments", ns, "simulated-privileged", "apps", "v1", 201, null)
                        .set("requestObject", json(Map.of("kind", "Deployment", "metadata",
                                Map.of("name", "simulated-privileged", "namespace", ns),
                                "spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(Map.of(
                                        "name", "app", "image", "docker.io/library/busybox:1.36",
                                        "securityContext", Map.of("privileged", true)))))))))));

        events.add(new SampleEvent("K8S_SensitiveMount",
                s.event("create", "pods", ns, "simulated-host-mount", "", "v1", 201, null)
                        .set("requestObject", json(Map.of("kind", "Pod", "metadata",
                                Map.of("name", "simulated-host-mount", "namespace", ns),
                                "spec", Map.of(
                                        "volumes", List.of(Map.of("name", "host-etc", "hostPath",
                                                Map.of("path", "/etc"))),
                                        "containers", List.of(Map.of("name", "app",
                                                "image", "docker.io/library/busybox:1.36",
                                                "volumeMounts", List.of(Map.of("name", "host-etc",
                                                        "mountPath", "/host/etc"))))))))));

        events.add(new SampleEvent("K8S_KubeSystemContainer",
                s.event("create", "pods", "kube-system", "simulated-system-pod-" + runId, "", "v1", 201, null)
                        .set("requestObject", json(Map.of("kind", "Pod", "metadata",
                                Map.of("name", "simulated-system-pod-" + runId, "namespace", "kube-system"),
                                "spec", Map.of("containers", List.of(Map.of("name", "app",
                                        "image", "docker.io/library/busybox:1.36"))))))));

        events.add(new SampleEvent("K8S_MaliciousContainerImage",
                s.event("create", "pods", ns, "simulated-miner", "", "v1", 201, null)
                        .set("requestObject", json(Map.of("kind", "Pod", "metadata",
                                Map.of("name", "simulated-miner", "namespace", ns),
                                "spec", Map.of("containers", List.of(Map.of("name", "miner",
                                        "image", "docker.io/xmrig/xmrig:6.21.0"))))))));

        ObjectNode exec = s.event("create", "pods", ns, "simulated-privileged-0", "", "v1", 101,
                "/api/v1/namespaces/" + ns + "/pods/simulated-privileged-0/exec?command=sh&container=app&stdin=true&tty=true");
        exec.put("stage", "ResponseStarted");
        ((ObjectNode) exec.get("objectRef")).put("subresource", "exec");
        events.add(new SampleEvent("K8S_ExecIntoPod", exec));

        events.add(new SampleEvent("K8S_SecretRead",
                s.event("get", "secrets", ns, "simulated-credentials", "", "v1", 200, null)));

        events.add(new SampleEvent("K8S_ConfigMapWithCredentials",
                s.event("create", "configmaps", ns, "simulated-settings", "", "v1", 201, null)
                        .set("requestObject", json(Map.of("kind", "ConfigMap", "metadata",
                                Map.of("name", "simulated-settings", "namespace", ns),
                                "data", Map.of("DB_PASSWORD", "simulated-not-a-secret"))))));

        events.add(new SampleEvent("K8S_NodePortService",
                s.event("create", "services", ns, "simulated-nodeport", "", "v1", 201, null)
                        .set("requestObject", json(Map.of("kind", "Service", "metadata",
                                Map.of("name", "simulated-nodeport", "namespace", ns),
                                "spec", Map.of("type", "NodePort", "ports",
                                        List.of(Map.of("port", 80, "nodePort", 30080))))))));

        ObjectNode hunter = s.event("list", "pods", null, null, "", "v1", 200, "/api/v1/pods");
        hunter.put("userAgent", "kube-hunter/0.6.8 (palisade-simulation)");
        events.add(new SampleEvent("K8S_PenTestToolsKubeHunter", hunter));
        return events;
    }

    private static JsonNode json(Object value) {
        return EventCodec.mapper().valueToTree(value);
    }

    /** Builds audit events of one run: numbered audit ids, one user, one time. */
    private static final class Sample {
        private final String runId;
        private final String user;
        private final Instant time;
        private int next = 1;

        Sample(String runId, String user, Instant time) {
            this.runId = runId;
            this.user = user;
            this.time = time;
        }

        ObjectNode event(String verb, String resource, String namespace, String name, String apiGroup,
                String apiVersion, int code, String requestUri) {
            ObjectNode e = EventCodec.mapper().createObjectNode();
            e.put("kind", "Event").put("apiVersion", "audit.k8s.io/v1").put("level", "RequestResponse")
                    .put("auditID", AUDIT_ID_PREFIX + runId + "-" + next++)
                    .put("stage", "ResponseComplete")
                    .put("requestURI", requestUri != null ? requestUri
                            : uri(resource, namespace, "create".equals(verb) ? null : name, apiGroup, apiVersion))
                    .put("verb", verb);
            ObjectNode u = e.putObject("user").put("username", user);
            u.putArray("groups").add("system:authenticated");
            ArrayNode ips = e.putArray("sourceIPs");
            ips.add("192.0.2.10");
            e.put("userAgent", "kubectl/v1.30.0 (palisade-simulation)");
            ObjectNode ref = e.putObject("objectRef").put("resource", resource);
            if (namespace != null) {
                ref.put("namespace", namespace);
            }
            if (name != null) {
                ref.put("name", name);
            }
            if (!apiGroup.isEmpty()) {
                ref.put("apiGroup", apiGroup);
            }
            ref.put("apiVersion", apiVersion);
            e.putObject("responseStatus").put("code", code);
            e.put("requestReceivedTimestamp", time.toString()).put("stageTimestamp", time.toString());
            e.putObject("annotations").put("authorization.k8s.io/decision", "allow")
                    .put("authorization.k8s.io/reason", "simulated by Palisade");
            return e;
        }

        private static String uri(String resource, String namespace, String name, String apiGroup,
                String apiVersion) {
            String base = apiGroup.isEmpty() ? "/api/" + apiVersion : "/apis/" + apiGroup + "/" + apiVersion;
            return base + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + resource
                    + (name == null ? "" : "/" + name);
        }
    }
}
