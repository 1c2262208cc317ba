package io.palisade.detection.persistence;

import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A cluster allowed to send audit logs, known by the hash of its ingest token. */
@Entity
@Table(name = "cluster_registration")
public class ClusterRegistration extends PanacheEntityBase {
    @Id
    @Column(name = "cluster_id")
    public UUID clusterId;

    @Column(name = "connector_id", nullable = false)
    public UUID connectorId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String kind;

    @Column(name = "ingest_token_hash", nullable = false)
    public String ingestTokenHash;

    public static Optional<ClusterRegistration> byTokenHash(String hash) {
        return find("ingestTokenHash", hash).firstResultOptional();
    }
}
