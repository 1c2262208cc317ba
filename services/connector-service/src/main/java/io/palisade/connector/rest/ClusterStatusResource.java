package io.palisade.connector.rest;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.palisade.common.security.Roles;
import io.palisade.connector.kubernetes.ClusterCheckService;
import io.palisade.connector.persistence.ClusterStatus;

/** What Palisade sees of a cluster through its Kubernetes API: connectivity, inventory and the sensor. */
@Path("/api/connectors/{connectorId}/clusters/{clusterId}")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterStatusResource {
    private final ClusterCheckService checks;

    public ClusterStatusResource(ClusterCheckService checks) {
        this.checks = checks;
    }

    public record SensorView(boolean installed, Integer desired, Integer ready, String image) {
    }

    public record InventoryView(Integer nodes, Integer namespaces, Map<String, Integer> workloads) {
    }

    /** {@code connectivity} is Connected, Disconnected (with the reason) or NotChecked. */
    public record ClusterStatusView(UUID clusterId, UUID connectorId, String connectivity, String reason,
            Instant lastCheckedAt, Instant lastSeenAt, String kubernetesVersion, InventoryView inventory,
            SensorView sensor) {
        static ClusterStatusView of(UUID connectorId, UUID clusterId, ClusterStatus s) {
            if (s == null) {
                return new ClusterStatusView(clusterId, connectorId, "NotChecked",
                        "not checked yet (checks need Kubernetes API access; POST .../check runs one now)", null, null,
                        null, null, null);
            }
            SensorView sensor = s.sensorInstalled == null ? null
                    : new SensorView(s.sensorInstalled, s.sensorDesired, s.sensorReady, s.sensorImage);
            InventoryView inventory = s.nodes == null ? null : new InventoryView(s.nodes, s.namespaces, s.workloads);
            return new ClusterStatusView(s.clusterId, s.connectorId, s.connectivity.name(), s.reason, s.lastCheckedAt,
                    s.lastSeenAt, s.kubernetesVersion, inventory, sensor);
        }
    }

    /** What installing the sensor needs: the cluster's ingest token, and where the cluster reaches Palisade. */
    public record InstallSensor(String ingestToken, String gatewayUrl) {
        @Override
        public String toString() {
            return "InstallSensor[gatewayUrl=" + gatewayUrl + ", ingestToken=<redacted>]";
        }
    }

    /** Installs or upgrades the sensor by server-side apply of k8s/cluster-kit/sensor, then checks the cluster. */
    @POST
    @Path("sensor")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public ClusterStatusView installSensor(@PathParam("connectorId") UUID connectorId,
            @PathParam("clusterId") UUID clusterId, @NotNull(message = "a JSON body is required") InstallSensor body) {
        return ClusterStatusView.of(connectorId, clusterId,
                checks.installSensor(connectorId, clusterId, body.ingestToken(), body.gatewayUrl()));
    }

    @GET
    @Path("status")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public ClusterStatusView status(@PathParam("connectorId") UUID connectorId,
            @PathParam("clusterId") UUID clusterId) {
        return ClusterStatusView.of(connectorId, clusterId, checks.lastStatus(connectorId, clusterId));
    }

    /** Checks the cluster now (read-only on the cluster) and answers what was seen. */
    @POST
    @Path("check")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public ClusterStatusView check(@PathParam("connectorId") UUID connectorId,
            @PathParam("clusterId") UUID clusterId) {
        return ClusterStatusView.of(connectorId, clusterId, checks.check(connectorId, clusterId));
    }
}
