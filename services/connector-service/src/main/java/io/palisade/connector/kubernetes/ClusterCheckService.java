package io.palisade.connector.kubernetes;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.IngestTokens;
import io.palisade.connector.config.ConnectorConfig;
import io.palisade.connector.persistence.Cluster;
import io.palisade.connector.persistence.ClusterStatus;
import io.palisade.connector.service.ClusterService;
import io.palisade.connector.service.KubernetesApiAccess;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Looks at clusters through their Kubernetes API, on a schedule and on demand, and records what it saw. The network
 * calls happen outside any database transaction.
 */
@ApplicationScoped
public class ClusterCheckService {
    private static final Logger LOG = Logger.getLogger(ClusterCheckService.class);

    private final ClusterService clusters;
    private final ClusterClients clients;
    private final ClusterInspector inspector;
    private final SensorInstaller installer;
    private final ConnectorConfig config;

    public ClusterCheckService(ClusterService clusters, ClusterClients clients, ClusterInspector inspector,
            SensorInstaller installer, ConnectorConfig config) {
        this.clusters = clusters;
        this.clients = clients;
        this.inspector = inspector;
        this.installer = installer;
        this.config = config;
    }

    /** Checks one cluster now; 409 when it has no Kubernetes API access to check with. */
    public ClusterStatus check(UUID connectorId, UUID clusterId) {
        Cluster cluster = QuarkusTransaction.requiringNew().call(() -> clusters.get(connectorId, clusterId));
        KubernetesApiAccess access = requireAccess(cluster);
        ClusterInspector.Observation seen = inspector.inspect(clients.clientFor(cluster, access));
        return QuarkusTransaction.requiringNew().call(() -> record(cluster, seen));
    }

    /**
     * Installs or upgrades the sensor with the cluster's ingest token (which Palisade only keeps hashed, so the admin
     * supplies it), then checks the cluster and answers what it now sees.
     */
    public ClusterStatus installSensor(UUID connectorId, UUID clusterId, String ingestToken, String gatewayUrl) {
        Cluster cluster = QuarkusTransaction.requiringNew().call(() -> clusters.get(connectorId, clusterId));
        if (ingestToken == null || !IngestTokens.hash(ingestToken).equals(cluster.ingestTokenHash)) {
            throw ProblemException.badRequest("ingestToken", "is not the cluster's current ingest token "
                    + "(rotate it to get a new one if it was lost)");
        }
        KubernetesApiAccess access = requireAccess(cluster);
        try {
            installer.apply(clients.clientFor(cluster, access), gatewayUrl == null ? config.publicGatewayUrl()
                    : gatewayUrl, ingestToken);
        } catch (KubernetesClientException e) {
            throw new ProblemException(502, "Bad Gateway", "The sensor could not be applied to cluster " + clusterId
                    + ": " + ClusterInspector.describe(e));
        }
        return check(connectorId, clusterId);
    }

    /** The last recorded status, or null when the cluster was never checked. */
    public ClusterStatus lastStatus(UUID connectorId, UUID clusterId) {
        clusters.get(connectorId, clusterId);
        return ClusterStatus.findById(clusterId);
    }

    @Scheduled(every = "${palisade.connector.check-interval}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkAll() {
        List<Cluster> withAccess = QuarkusTransaction.requiringNew()
                .call(() -> Cluster.<Cluster> list("kubernetesApiCredentials is not null"));
        for (Cluster cluster : withAccess) {
            try {
                check(cluster.connectorId, cluster.id);
            } catch (RuntimeException e) {
                LOG.warnf("Checking cluster %s failed: %s", cluster.id, e.getMessage());
            }
        }
    }

    private KubernetesApiAccess requireAccess(Cluster cluster) {
        KubernetesApiAccess access = clusters.access(cluster);
        if (access == null) {
            throw ProblemException.conflict("Cluster " + cluster.id + " has no Kubernetes API access configured; "
                    + "add a serverUrl with a bearerToken, or a kubeconfig");
        }
        return access;
    }

    private static ClusterStatus record(Cluster cluster, ClusterInspector.Observation seen) {
        ClusterStatus status = ClusterStatus.findById(cluster.id);
        if (status == null) {
            status = new ClusterStatus();
            status.clusterId = cluster.id;
        }
        status.connectorId = cluster.connectorId;
        status.lastCheckedAt = seen.at();
        status.connectivity = seen.connected() ? ClusterStatus.Connectivity.Connected
                : ClusterStatus.Connectivity.Disconnected;
        status.reason = seen.reason();
        if (seen.connected()) {
            status.lastSeenAt = seen.at();
            status.kubernetesVersion = seen.kubernetesVersion();
            status.nodes = seen.nodes();
            status.namespaces = seen.namespaces();
            status.workloads = seen.workloads();
            status.sensorInstalled = seen.sensorInstalled();
            status.sensorDesired = seen.sensorDesired();
            status.sensorReady = seen.sensorReady();
            status.sensorImage = seen.sensorImage();
        }
        status.persist();
        return status;
    }
}
