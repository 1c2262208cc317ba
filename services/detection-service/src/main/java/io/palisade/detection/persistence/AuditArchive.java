package io.palisade.detection.persistence;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.engine.FieldIndex;
import io.palisade.detection.ingest.AuditEvents;
import io.palisade.detection.messaging.AuditEventRecord;

/**
 * The audit-log archive: every accepted event once (a redelivered event is not stored twice), in daily partitions
 * (see {@link ArchivePartitions}), until its scope's retention is over.
 */
@ApplicationScoped
public class AuditArchive {
    /** What the archive reads of an event for its columns; the event itself is stored as its JSON text. */
    private static final FieldIndex COLUMNS = FieldIndex.ofPaths(List.of("auditID", "stage", "verb", "objectRef",
            "user.username", "stageTimestamp", "requestReceivedTimestamp"), EventCodec.mapper().getNodeFactory());

    private final EntityManager em;

    public AuditArchive(EntityManager em) {
        this.em = em;
    }

    /**
     * The event's JSON as stored: its text as received when plain; else (an escaped NUL or surrogate, an exponent
     * beyond ±999: valid JSON that {@code jsonb} refuses) read and written again, NUL replaced, as Jackson writes it.
     */
    private static String storedJson(AuditEventRecord record) {
        if (record.plainJson()) {
            return record.eventJson();
        }
        return EventCodec.encode(StoredJson.withoutNul(record.wholeEvent()));
    }

    /** What the archive reads of an event for its columns ({@link AuditEventRecord#read}). */
    public static FieldIndex columns() {
        return COLUMNS;
    }

    /**
     * Stores the events in one transaction, as one JDBC batch of inserts (a redelivered event is skipped by the
     * primary key). NUL is replaced (PostgreSQL cannot store it); the columns are cut to their size, the event is
     * whole: its JSON text as it came, not read into a tree and written again.
     */
    @Transactional
    public void storeAll(List<AuditEventRecord> records) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO audit_event_archive (cluster_id, audit_id, stage, connector_id, verb, resource,
                        namespace, name, username, event_time, received_at, event)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))
                    ON CONFLICT (cluster_id, audit_id, stage, event_time) DO NOTHING""")) {
                for (AuditEventRecord record : records) {
                    AuditEventEnvelope envelope = record.envelope();
                    var event = StoredJson.withoutNul(envelope.event());
                    var ref = event.path("objectRef");
                    insert.setObject(1, envelope.clusterId());
                    insert.setString(2, AuditEvents.auditKey(event));
                    insert.setString(3, cut(event.path("stage").asText(), 32));
                    insert.setObject(4, envelope.connectorId());
                    insert.setString(5, cut(event.path("verb").asText(), 32));
                    insert.setString(6, cut(ref.path("resource").asText(null), 128));
                    insert.setString(7, cut(ref.path("namespace").asText(null), 253));
                    insert.setString(8, cut(ref.path("name").asText(null), 253));
                    insert.setString(9, cut(event.path("user").path("username").asText(null), 512));
                    insert.setObject(10, utc(AuditEvents.eventTime(event)));
                    insert.setObject(11, utc(envelope.receivedAt()));
                    insert.setString(12, storedJson(record));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
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
