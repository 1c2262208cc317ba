package io.palisade.connector.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.GroupSequence;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.palisade.common.problem.SizesFirst;
import io.palisade.connector.persistence.Cluster;
import io.palisade.connector.persistence.ClusterKind;
import io.palisade.connector.persistence.Connector;
import io.palisade.connector.persistence.Environment;
import io.palisade.connector.service.ConnectorService;
import io.palisade.connector.service.ContainersOffering;
import io.palisade.connector.service.KubernetesApiAccess;

/** Request and response bodies of the connectors API; entities never leave the service. */
public final class ConnectorDtos {
    private ConnectorDtos() {
    }

    @GroupSequence({ SizesFirst.class, CreateConnector.class })
    public record CreateConnector(
            @NotNull(message = "is required (AzureSubscription, AwsAccount, GcpProject or OnPrem)") Environment environment,
            @NotBlank(message = "is required") @Size(max = 200) String displayName,
            @Size(max = 100) String hierarchyIdentifier,
            @Size(max = 50, groups = SizesFirst.class) List<@NotBlank @Size(max = 64) String> regions,
            ContainersOffering containersOffering) {
    }

    /** A connector's changeable settings; environment and hierarchyIdentifier, if sent, must be unchanged. */
    @GroupSequence({ SizesFirst.class, UpdateConnector.class })
    public record UpdateConnector(
            Environment environment,
            String hierarchyIdentifier,
            @NotBlank(message = "is required") @Size(max = 200) String displayName,
            @Size(max = 50, groups = SizesFirst.class) List<@NotBlank @Size(max = 64) String> regions,
            ContainersOffering containersOffering) {
    }

    public record ConnectorView(UUID id, Environment environment, String displayName, String hierarchyIdentifier,
            List<String> regions, ContainersOffering containersOffering, String createdBy, Instant createdAt,
            String lastModifiedBy, Instant lastModifiedAt) {
        static ConnectorView of(Connector c) {
            return new ConnectorView(c.id, c.environment, c.displayName, c.hierarchyIdentifier, c.regions,
                    ConnectorService.offeringOf(c), c.createdBy, c.createdAt, c.lastModifiedBy, c.lastModifiedAt);
        }
    }

    public record RegisterCluster(
            @NotBlank(message = "is required") @Size(max = 200)
            @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*", message = "letters, digits, '.', '_' and '-' only") String name,
            @NotNull(message = "is required (AKS, EKS, GKE or OnPrem)") ClusterKind kind,
            @Size(max = 64) String region,
            @Valid KubernetesApiAccess kubernetesApi) {
    }

    public record UpdateCluster(
            @NotBlank(message = "is required") @Size(max = 200)
            @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*", message = "letters, digits, '.', '_' and '-' only") String name,
            @Size(max = 64) String region,
            @Valid KubernetesApiAccess kubernetesApi) {
    }

    /** Whether the cluster's Kubernetes API can be reached by Palisade, and where; never the credentials. */
    public record KubernetesApiView(boolean configured, String server) {
    }

    public record ClusterView(UUID id, UUID connectorId, String name, ClusterKind kind, String region,
            KubernetesApiView kubernetesApi, Instant ingestTokenIssuedAt, String createdBy, Instant createdAt) {
        static ClusterView of(Cluster c) {
            return new ClusterView(c.id, c.connectorId, c.name, c.kind, c.region,
                    new KubernetesApiView(c.kubernetesApiServer != null, c.kubernetesApiServer), c.ingestTokenIssuedAt,
                    c.createdBy, c.createdAt);
        }
    }

    /** The answer to registering a cluster or rotating its token: the only time the ingest token is shown. */
    public record ClusterWithTokenView(UUID id, UUID connectorId, String name, ClusterKind kind, String region,
            KubernetesApiView kubernetesApi, Instant ingestTokenIssuedAt, String createdBy, Instant createdAt,
            String ingestToken) {
        static ClusterWithTokenView of(Cluster c, String token) {
            ClusterView v = ClusterView.of(c);
            return new ClusterWithTokenView(v.id(), v.connectorId(), v.name(), v.kind(), v.region(), v.kubernetesApi(),
                    v.ingestTokenIssuedAt(), v.createdBy(), v.createdAt(), token);
        }
    }
}
