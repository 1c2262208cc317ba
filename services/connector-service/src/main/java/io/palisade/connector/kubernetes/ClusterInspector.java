package io.palisade.connector.kubernetes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Reads what a security team wants to know of a cluster through its Kubernetes API: whether it answers and which
 * version it runs, how many nodes, namespaces and workloads of each kind it has, and whether the Palisade sensor is
 * installed and ready. Read-only; any failure is reported as the reason the cluster is Disconnected.
 */
@ApplicationScoped
public class ClusterInspector {

    /** What one look at the cluster found. */
    public record Observation(boolean connected, String reason, Instant at, String kubernetesVersion, Integer nodes,
            Integer namespaces, Map<String, Integer> workloads, Boolean sensorInstalled, Integer sensorDesired,
            Integer sensorReady, String sensorImage) {

        static Observation disconnected(String reason, Instant at) {
            return new Observation(false, reason, at, null, null, null, null, null, null, null, null);
        }
    }

    public Observation inspect(KubernetesClient client) {
        Instant now = Instant.now();
        try {
            var version = client.getKubernetesVersion();
            int nodes = client.nodes().list().getItems().size();
            int namespaces = client.namespaces().list().getItems().size();
            Map<String, Integer> workloads = new LinkedHashMap<>();
            workloads.put("Deployment", client.apps().deployments().inAnyNamespace().list().getItems().size());
            workloads.put("StatefulSet", client.apps().statefulSets().inAnyNamespace().list().getItems().size());
            workloads.put("DaemonSet", client.apps().daemonSets().inAnyNamespace().list().getItems().size());
            workloads.put("Job", client.batch().v1().jobs().inAnyNamespace().list().getItems().size());
            workloads.put("CronJob", client.batch().v1().cronjobs().inAnyNamespace().list().getItems().size());
            workloads.put("Pod", client.pods().inAnyNamespace().list().getItems().size());
            DaemonSet sensor = client.apps().daemonSets().inNamespace(Sensor.NAMESPACE).withName(Sensor.DAEMON_SET).get();
            Integer desired = null;
            Integer ready = null;
            String image = null;
            if (sensor != null) {
                desired = sensor.getStatus() == null ? 0 : zeroIfNull(sensor.getStatus().getDesiredNumberScheduled());
                ready = sensor.getStatus() == null ? 0 : zeroIfNull(sensor.getStatus().getNumberReady());
                var containers = sensor.getSpec().getTemplate().getSpec().getContainers();
                image = containers.isEmpty() ? null : containers.get(0).getImage();
            }
            return new Observation(true, null, now, versionOf(version), nodes, namespaces, workloads, sensor != null, desired,
                    ready, image);
        } catch (KubernetesClientException e) {
            return Observation.disconnected(describe(e), now);
        } catch (RuntimeException e) {
            return Observation.disconnected("the Kubernetes API could not be read: " + e.getClass().getSimpleName(), now);
        }
    }

    /** "v1.31.2" from gitVersion; else "v1.31" from major/minor (EKS and GKE append "+" to the minor). */
    static String versionOf(io.fabric8.kubernetes.client.VersionInfo version) {
        if (version == null) {
            return null;
        }
        if (version.getGitVersion() != null && !version.getGitVersion().isBlank()) {
            return version.getGitVersion();
        }
        if (version.getMajor() == null || version.getMinor() == null) {
            return null;
        }
        return "v" + version.getMajor() + "." + version.getMinor().replace("+", "");
    }

    private static int zeroIfNull(Integer value) {
        return value == null ? 0 : value;
    }

    /** A reason a user can act on; never the request's credentials. */
    static String describe(KubernetesClientException e) {
        int code = e.getCode();
        if (code == 401) {
            return "the Kubernetes API refused the credentials (401): update the cluster's bearer token or kubeconfig";
        }
        if (code == 403) {
            return "the credentials lack permission (403): grant read access to nodes, namespaces and workloads";
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return (code > 0 ? "the Kubernetes API answered " + code + ": " : "the Kubernetes API is unreachable: ")
                + (detail.length() > 300 ? detail.substring(0, 300) : detail);
    }
}
