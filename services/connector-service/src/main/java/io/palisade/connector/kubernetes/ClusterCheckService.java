package io.palisade.connector.kubernetes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.IngestTokens;
import io.palisade.connector.config.ConnectorConfig;
import io.palisade.connector.persistence.Cluster;
import io.palisade.connector.persistence.ClusterStatus;
import io.palisade.common.scheduling.ScheduledJobs;
import io.palisade.connector.persistence.ConnectorJobs;
import io.palisade.connector.service.ClusterService;
import io.palisade.connector.service.KubernetesApiAccess;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Looks at clusters through their Kubernetes API, on a schedule and on demand, and records what it saw. The network
 * calls happen outside any database transaction. With several replicas, one runs each scheduled round (each cluster
 * is checked about once per interval, not once per replica), and a check recorded while another is recording the
 * same cluster updates the same row.
 */
@ApplicationScoped
public class ClusterCheckService {
    private static final Logger LOG = Logger.getLogger(ClusterCheckService.class);

    private final ClusterService clusters;
    private final ClusterClients clients;
    private final ClusterInspector inspector;
    private final SensorInstaller installer;
    private final ConnectorConfig config;
    private final ScheduledJobs jobs;

    public ClusterCheckService(ClusterService clusters, ClusterClients clients, ClusterInspector inspector,
            SensorInstaller installer, ConnectorConfig config, ScheduledJobs jobs) {
        this.clusters = clusters;
        this.clients = clients;
        this.inspector = inspector;
        this.installer = installer;
        this.config = config;
        this.jobs = jobs;
    }

    /** Checks one cluster now; 409 when it has no Kubernetes API access to check with. */
    public ClusterStatus check(UUID connectorId, UUID clusterId) {
        Cluster cluster = QuarkusTransaction.requiringNew().call(() -> clusters.get(connectorId, clusterId));
        KubernetesApiAccess access = requireAccess(cluster);
        KubernetesClient client;
        try {
            client = clients.clientFor(cluster, access);
        } catch (KubernetesClientException e) {
            throw new ProblemException(502, "Bad Gateway", "No client for cluster " + clusterId
                    + "'s Kubernetes API could be set up from its access: " + ClusterInspector.describe(e));
        }
        ClusterInspector.Observation seen = inspector.inspect(client);
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
    void scheduledChecks() {
        closeStaleClients();
        checkAll();
    }

    /**
     * Checks every cluster with Kubernetes API access, unless another replica is running a round or ran one less than
     * about an interval ago; whether this replica ran it.
     */
    boolean checkAll() {
        Duration interval = ScheduledJobs.interval(config.checkInterval());
        return jobs.runOnOneReplica(ConnectorJobs.CLUSTER_CHECK_ROUND, interval, () -> {
            List<Cluster> withAccess = QuarkusTransaction.requiringNew()
                    .call(() -> Cluster.<Cluster> list("kubernetesApiCredentials is not null"));
            for (Cluster cluster : withAccess) {
                try {
                    check(cluster.connectorId, cluster.id);
                } catch (RuntimeException e) {
                    LOG.warnf("Checking cluster %s failed: %s", cluster.id, e.getMessage());
                }
            }
        });
    }

    /**
     * On every replica, round or not: closes the clients of clusters deleted or changed, possibly through another
     * replica, since this one last used them.
     */
    void closeStaleClients() {
        Instant readAt = Instant.now();
        Map<UUID, Long> current = QuarkusTransaction.requiringNew().call(() -> Cluster.getEntityManager()
                .createQuery("select c.id, c.version from Cluster c where c.kubernetesApiCredentials is not null",
                        Object[].class)
                .getResultStream()
                .collect(Collectors.toMap(row -> (UUID) row[0], row -> (Long) row[1])));
        clients.retainOnly(current, readAt);
    }

    private KubernetesApiAccess requireAccess(Cluster cluster) {
        KubernetesApiAccess access = clusters.access(cluster);
        if (access == null) {
            throw ProblemException.conflict("Cluster " + cluster.id + " has no Kubernetes API access configured; "
                    + "add a serverUrl with a bearerToken, or a kubeconfig");
        }
        return access;
    }

    /**
     * Records what a check saw. Another check of the same cluster may be recording at the same time (a round on one
     * replica, an admin's check on another), so the row is created if missing without failing when the other creates
     * it first, then locked and updated; an observation older than the one recorded is not written over it.
     */
    private static ClusterStatus record(Cluster cluster, ClusterInspector.Observation seen) {
        ClusterStatus.Connectivity connectivity = seen.connected() ? ClusterStatus.Connectivity.Connected
                : ClusterStatus.Connectivity.Disconnected;
        boolean created = ClusterStatus.getEntityManager().createNativeQuery("""
                INSERT INTO cluster_status (cluster_id, connector_id, connectivity, last_checked_at)
                SELECT id, connector_id, ?2, ?3 FROM cluster WHERE id = ?1
                ON CONFLICT (cluster_id) DO NOTHING""")
                .setParameter(1, cluster.id)
                .setParameter(2, connectivity.name())
                .setParameter(3, seen.at())
                .executeUpdate() == 1;
        ClusterStatus status = ClusterStatus.findById(cluster.id, LockModeType.PESSIMISTIC_WRITE);
        if (status == null) {
            throw ProblemException.notFound("Cluster", cluster.id); // deleted while it was being checked
        }
        if (!created && status.lastCheckedAt.isAfter(seen.at())) {
            return status;
        }
        status.connectorId = cluster.connectorId;
        status.lastCheckedAt = seen.at();
        status.connectivity = connectivity;
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
        return status;
    }
}
