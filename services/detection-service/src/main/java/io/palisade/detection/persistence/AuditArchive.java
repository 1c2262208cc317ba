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
        // NUL is replaced (PostgreSQL cannot store it); the columns are cut to their size, the event is whole.
        var event = StoredJson.withoutNul(envelope.event());
        var ref = event.path("objectRef");
        em.createNativeQuery("""
                INSERT INTO audit_event_archive (cluster_id, audit_id, stage, connector_id, verb, resource, namespace,
                    name, username, event_time, received_at, event)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, CAST(?12 AS jsonb))
                ON CONFLICT (cluster_id, audit_id, stage, event_time) DO NOTHING""")
                .setParameter(1, envelope.clusterId())
                .setParameter(2, AuditEvents.auditKey(event))
                .setParameter(3, cut(event.path("stage").asText(), 32))
                .setParameter(4, envelope.connectorId())
                .setParameter(5, cut(event.path("verb").asText(), 32))
                .setParameter(6, cut(ref.path("resource").asText(null), 128))
                .setParameter(7, cut(ref.path("namespace").asText(null), 253))
                .setParameter(8, cut(ref.path("name").asText(null), 253))
                .setParameter(9, cut(event.path("user").path("username").asText(null), 512))
                .setParameter(10, AuditEvents.eventTime(event))
                .setParameter(11, envelope.receivedAt())
                .setParameter(12, EventCodec.encode(event))
                .executeUpdate();
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
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
