package io.palisade.connector.recommendation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.palisade.common.problem.ProblemException;
import io.palisade.connector.config.ConnectorConfig;
import io.palisade.connector.persistence.Cluster;
import io.palisade.connector.persistence.ClusterActivity;
import io.palisade.connector.persistence.ClusterKind;
import io.palisade.connector.persistence.ClusterStatus;
import io.palisade.connector.persistence.ScopePlanState;
import io.palisade.connector.recommendation.Recommendation.Status;
import io.palisade.connector.service.ClusterService;

/** Assesses a cluster against what a protected cluster should have, from what Palisade last saw of it. */
@ApplicationScoped
public class RecommendationService {
    public static final String SENSOR = "sensor-installed";
    public static final String AUDIT_LOGS = "audit-log-collection";
    public static final String VERSION = "supported-kubernetes-version";
    static final List<String> FIXES = List.of(FixScripts.BASH, FixScripts.POWERSHELL);
    private static final Pattern MINOR = Pattern.compile("v?(\\d+)\\.(\\d+)");

    private final ClusterService clusters;
    private final ConnectorConfig config;

    public RecommendationService(ClusterService clusters, ConnectorConfig config) {
        this.clusters = clusters;
        this.config = config;
    }

    public List<Recommendation> forCluster(UUID connectorId, UUID clusterId) {
        Cluster cluster = clusters.get(connectorId, clusterId);
        ClusterStatus status = ClusterStatus.findById(clusterId);
        ScopePlanState plan = ScopePlanState.findById(connectorId);
        ClusterActivity activity = ClusterActivity.findById(clusterId);
        return List.of(sensor(status), auditLogs(cluster, plan, activity, Instant.now()), version(status));
    }

    public Recommendation one(UUID connectorId, UUID clusterId, String id) {
        return forCluster(connectorId, clusterId).stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("Recommendation", id));
    }

    Recommendation sensor(ClusterStatus status) {
        String name = "Clusters should have the Palisade sensor installed";
        String description = "The sensor (Falco on every node) reports runtime threats: K8S.NODE_* alerts need it.";
        List<String> steps = List.of("Install the sensor: the cluster's 'Install sensor' action, or run the Fix script "
                + "with kubectl access to the cluster and PALISADE_INGEST_TOKEN set.",
                "Check that every node runs a ready palisade-sensor pod (namespace palisade).");
        if (status == null) {
            return new Recommendation(SENSOR, name, "High", Status.NotApplicable,
                    "Not verified: the cluster has not been checked (it needs Kubernetes API access)", description,
                    steps, FIXES);
        }
        if (status.connectivity == ClusterStatus.Connectivity.Disconnected && status.sensorInstalled == null) {
            return new Recommendation(SENSOR, name, "High", Status.NotApplicable,
                    "Not verified: the cluster's Kubernetes API could not be reached (" + status.reason + ")",
                    description, steps, FIXES);
        }
        if (!Boolean.TRUE.equals(status.sensorInstalled)) {
            return new Recommendation(SENSOR, name, "High", Status.Unhealthy,
                    "The palisade-sensor DaemonSet is not installed", description, steps, FIXES);
        }
        int desired = status.sensorDesired == null ? 0 : status.sensorDesired;
        int ready = status.sensorReady == null ? 0 : status.sensorReady;
        if (ready < desired) {
            return new Recommendation(SENSOR, name, "High", Status.Unhealthy,
                    ready + " of " + desired + " sensor pods are ready", description, steps, FIXES);
        }
        return new Recommendation(SENSOR, name, "High", Status.Healthy,
                "The sensor runs on all " + desired + " scheduled nodes", description, steps, FIXES);
    }

    Recommendation auditLogs(Cluster cluster, ScopePlanState plan, ClusterActivity activity, Instant now) {
        String name = "Audit-log collection should be configured for the cluster";
        String description = "Control-plane detections (K8S_* alerts) read the cluster's Kubernetes audit log.";
        List<String> steps = cluster.kind == ClusterKind.OnPrem
                ? List.of("On every control-plane node, run the Fix script as root with PALISADE_INGEST_TOKEN set: it "
                        + "writes the audit policy and the audit webhook configuration.",
                        "Add the kube-apiserver flags the script prints and restart the API server.")
                : List.of("Managed " + cluster.kind + " control planes send audit logs through the cloud's log "
                        + "export; the Fix script prints the steps for " + cluster.kind + ".");
        if (plan == null || !plan.collectsAuditLogs) {
            return new Recommendation(AUDIT_LOGS, name, "High", Status.NotApplicable,
                    "The connector has no plan collecting audit logs (enable Containers with AuditLogCollection)",
                    description, steps, FIXES);
        }
        Duration silence = config.auditLogSilence();
        if (activity == null || activity.lastAuditEventAt == null) {
            return new Recommendation(AUDIT_LOGS, name, "High", Status.Unhealthy,
                    "No audit event has been received from this cluster", description, steps, FIXES);
        }
        if (activity.lastAuditEventAt.isBefore(now.minus(silence))) {
            return new Recommendation(AUDIT_LOGS, name, "High", Status.Unhealthy,
                    "No audit event received since " + activity.lastAuditEventAt + " (more than "
                            + silence.toMinutes() + " minutes)", description, steps, FIXES);
        }
        return new Recommendation(AUDIT_LOGS, name, "High", Status.Healthy,
                "Audit events received, the last at " + activity.lastAuditEventAt, description, steps, FIXES);
    }

    Recommendation version(ClusterStatus status) {
        String name = "Clusters should run a supported Kubernetes version";
        String min = config.minSupportedKubernetesVersion();
        String description = "Versions older than " + min + " no longer receive security fixes upstream.";
        List<String> steps = List.of("Upgrade the control plane and then the nodes to " + min + " or newer, one minor "
                + "version at a time, following your distribution's upgrade procedure.");
        int[] running = status == null ? null : minor(status.kubernetesVersion);
        int[] supported = minor(min);
        if (running == null || supported == null) {
            return new Recommendation(VERSION, name, "Medium", Status.NotApplicable,
                    "Not verified: the cluster's version is not known yet (it needs Kubernetes API access)",
                    description, steps, List.of());
        }
        boolean old = running[0] < supported[0] || (running[0] == supported[0] && running[1] < supported[1]);
        return new Recommendation(VERSION, name, "Medium", old ? Status.Unhealthy : Status.Healthy,
                "The cluster runs " + status.kubernetesVersion + "; the oldest supported version is " + min,
                description, steps, List.of());
    }

    private static int[] minor(String version) {
        if (version == null) {
            return null;
        }
        Matcher m = MINOR.matcher(version);
        return m.lookingAt() ? new int[] { Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) } : null;
    }
}
