package io.palisade.detection.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One archived stage of one audit event, as read back from the archive. Written only by {@link AuditArchive#store}
 * (an idempotent insert), so the entity is read-only.
 */
@Entity
@Immutable
@Table(name = "audit_event_archive")
@IdClass(ArchivedAuditEvent.Key.class)
public class ArchivedAuditEvent extends PanacheEntityBase {
    @Id
    @Column(name = "cluster_id")
    public UUID clusterId;

    @Id
    @Column(name = "audit_id")
    public String auditId;

    @Id
    @Column(name = "stage")
    public String stage;

    /** When the activity happened (the partition key: every list query bounds it). */
    @Id
    @Column(name = "event_time")
    public Instant eventTime;

    @Column(name = "connector_id")
    public UUID connectorId;

    @Column(name = "verb")
    public String verb;

    @Column(name = "resource")
    public String resource;

    @Column(name = "namespace")
    public String namespace;

    @Column(name = "name")
    public String name;

    @Column(name = "username")
    public String username;

    @Column(name = "received_at")
    public Instant receivedAt;

    /** The audit event exactly as the API server sent it. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "event")
    public Map<String, Object> event;

    /** The archive's primary key: a stage of a request of a cluster, at its time. */
    public static class Key implements Serializable {
        public UUID clusterId;
        public String auditId;
        public String stage;
        public Instant eventTime;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(clusterId, k.clusterId) && Objects.equals(auditId, k.auditId)
                    && Objects.equals(stage, k.stage) && Objects.equals(eventTime, k.eventTime);
        }

        @Override
        public int hashCode() {
            return Objects.hash(clusterId, auditId, stage, eventTime);
        }
    }
}
