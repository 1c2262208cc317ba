package io.palisade.connector.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A Kubernetes cluster under a connector; it sends its audit logs with its own ingest token. */
@Entity
@Table(name = "cluster")
public class Cluster extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "connector_id", nullable = false)
    public UUID connectorId;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ClusterKind kind;

    public String region;

    /** SHA-256 of the ingest token, hex; the token itself is shown once and never stored. */
    @Column(name = "ingest_token_hash", nullable = false)
    public String ingestTokenHash;

    @Column(name = "ingest_token_issued_at", nullable = false)
    public Instant ingestTokenIssuedAt;

    /** The Kubernetes API server, when API access is configured (not a secret: shown to readers). */
    @Column(name = "kubernetes_api_server")
    public String kubernetesApiServer;

    /** The access credentials (token, CA, or kubeconfig), encrypted; never returned, never logged. */
    @Column(name = "kubernetes_api_credentials")
    public String kubernetesApiCredentials;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Version
    public long version;
}
