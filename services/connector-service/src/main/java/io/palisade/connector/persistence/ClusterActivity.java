package io.palisade.connector.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** When detection-service last accepted audit events from a cluster. */
@Entity
@Table(name = "cluster_activity")
public class ClusterActivity extends PanacheEntityBase {
    @Id
    @Column(name = "cluster_id")
    public UUID clusterId;

    @Column(name = "connector_id", nullable = false)
    public UUID connectorId;

    @Column(name = "last_audit_event_at")
    public Instant lastAuditEventAt;
}
