package io.palisade.connector.rest;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.palisade.connector.persistence.Cluster;
import io.palisade.connector.persistence.ClusterKind;
import io.palisade.connector.persistence.Connector;
import io.palisade.connector.persistence.Environment;

/** Request and response bodies of the connectors API; entities never leave the service. */
public final class ConnectorDtos {
    private ConnectorDtos() {
    }

    public record CreateConnector(
            @NotNull(message = "is required (AzureSubscription, AwsAccount, GcpProject or OnPrem)") Environment environment,
            @NotBlank(message = "is required") @Size(max = 200) String displayName,
            @Size(max = 100) String hierarchyIdentifier) {
    }

    public record ConnectorView(UUID id, Environment environment, String displayName, String hierarchyIdentifier,
            String createdBy, Instant createdAt, String lastModifiedBy, Instant lastModifiedAt) {
        static ConnectorView of(Connector c) {
            return new ConnectorView(c.id, c.environment, c.displayName, c.hierarchyIdentifier, c.createdBy,
                    c.createdAt, c.lastModifiedBy, c.lastModifiedAt);
        }
    }

    public record RegisterCluster(
            @NotBlank(message = "is required") @Size(max = 200) String name,
            @NotNull(message = "is required (AKS, EKS, GKE or OnPrem)") ClusterKind kind,
            @Size(max = 64) String region) {
    }

    public record ClusterView(UUID id, UUID connectorId, String name, ClusterKind kind, String region,
            String createdBy, Instant createdAt) {
        static ClusterView of(Cluster c) {
            return new ClusterView(c.id, c.connectorId, c.name, c.kind, c.region, c.createdBy, c.createdAt);
        }
    }

    /** The answer to registering a cluster: the only time its ingest token is shown. */
    public record RegisteredClusterView(UUID id, UUID connectorId, String name, ClusterKind kind, String region,
            String createdBy, Instant createdAt, String ingestToken) {
        static RegisteredClusterView of(Cluster c, String token) {
            return new RegisteredClusterView(c.id, c.connectorId, c.name, c.kind, c.region, c.createdBy, c.createdAt,
                    token);
        }
    }
}
