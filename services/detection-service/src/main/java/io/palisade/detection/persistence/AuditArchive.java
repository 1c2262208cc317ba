package io.palisade.detection.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.ingest.AuditEvents;

/**
 * The audit-log archive: every accepted event once (a redelivered event is not stored twice), in daily partitions
 * (see {@link ArchivePartitions}), until its scope's retention is over.
 */
@ApplicationScoped
public class AuditArchive {
    private final EntityManager em;

    public AuditArchive(EntityManager em) {
        this.em = em;
    }

    public void store(AuditEventEnvelope envelope) {
        var event = envelope.event();
        var ref = event.path("objectRef");
        em.createNativeQuery("""
                INSERT INTO audit_event_archive (cluster_id, audit_id, stage, connector_id, verb, resource, namespace,
                    name, username, event_time, received_at, event)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, CAST(?12 AS jsonb))
                ON CONFLICT (cluster_id, audit_id, stage, event_time) DO NOTHING""")
                .setParameter(1, envelope.clusterId())
                .setParameter(2, event.path("auditID").asText())
                .setParameter(3, event.path("stage").asText())
                .setParameter(4, envelope.connectorId())
                .setParameter(5, event.path("verb").asText())
                .setParameter(6, ref.path("resource").asText(null))
                .setParameter(7, ref.path("namespace").asText(null))
                .setParameter(8, ref.path("name").asText(null))
                .setParameter(9, event.path("user").path("username").asText(null))
                .setParameter(10, AuditEvents.eventTime(event))
                .setParameter(11, envelope.receivedAt())
                .setParameter(12, EventCodec.encode(event))
                .executeUpdate();
    }

    public long count(UUID clusterId) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM audit_event_archive WHERE cluster_id = ?1")
                .setParameter(1, clusterId).getSingleResult()).longValue();
    }

    /** Deletes the scope's events from before {@code cutoff}; how many there were. */
    public int deleteBefore(UUID connectorId, Instant cutoff) {
        return em.createNativeQuery("DELETE FROM audit_event_archive WHERE connector_id = ?1 AND event_time < ?2")
                .setParameter(1, connectorId)
                .setParameter(2, cutoff)
                .executeUpdate();
    }

    /**
     * Deletes events from before {@code cutoff} of every scope that has no retention of its own (no plan says, or
     * the scope is gone); how many there were.
     */
    public int deleteBeforeWhereDefaultRetention(Instant cutoff) {
        return em.createNativeQuery("""
                DELETE FROM audit_event_archive a WHERE a.event_time < ?1
                AND NOT EXISTS (SELECT 1 FROM scope_protection s
                    WHERE s.scope_id = a.connector_id AND s.retention_days IS NOT NULL)""")
                .setParameter(1, cutoff)
                .executeUpdate();
    }
}
