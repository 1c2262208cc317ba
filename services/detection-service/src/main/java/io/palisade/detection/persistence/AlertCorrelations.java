package io.palisade.detection.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.messaging.EventCodec;

/**
 * Correlation: the same rule on the same entity of a cluster within one window is one alert. Events are counted once
 * each (a redelivered event changes nothing), and the alert keeps its first event and the latest ones as evidence.
 * Windows are fixed slices of event time ({@code palisade.detection.correlation-window}), so an alert's id follows
 * from what it is about and never from when it was processed.
 */
@ApplicationScoped
public class AlertCorrelations {
    /** Evidence kept per alert: the first event and the most recent others. */
    public static final int MAX_EVIDENCE = 10;

    private final EntityManager em;

    public AlertCorrelations(EntityManager em) {
        this.em = em;
    }

    /** What an alert has seen so far. */
    public record Correlation(String alertId, int count, Instant firstEventTime, Instant lastEventTime,
            JsonNode evidence) {
    }

    public static String alertId(UUID clusterId, String ruleKey, String entityKey, Instant windowStart) {
        return UUID.nameUUIDFromBytes((clusterId + "|" + ruleKey + "|" + entityKey + "|" + windowStart)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static Instant windowStart(Instant eventTime, Duration window) {
        long size = window.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(eventTime.toEpochMilli(), size) * size);
    }

    /**
     * Counts the event into its alert (once) and returns the alert's state after it. The window is taken from
     * {@code windowTime} (when the request was received, the same for all its stages); the alert's time range from
     * {@code eventTime}.
     */
    public Correlation record(UUID clusterId, String ruleKey, String entityKey, Instant windowTime, Instant eventTime,
            String eventId, JsonNode event, Duration window) {
        String alertId = alertId(clusterId, ruleKey, entityKey, windowStart(windowTime, window));
        Timestamp time = Timestamp.from(eventTime);
        em.createNativeQuery("""
                INSERT INTO alert_correlation (alert_id, cluster_id, rule_key, entity_key, first_event_time,
                    last_event_time, event_count, evidence)
                VALUES (?1, ?2, ?3, ?4, ?5, ?5, 0, '[]'::jsonb)
                ON CONFLICT (alert_id) DO UPDATE SET updated_at = now()""")
                .setParameter(1, alertId).setParameter(2, clusterId).setParameter(3, ruleKey)
                .setParameter(4, entityKey).setParameter(5, time)
                .executeUpdate();
        int counted = em.createNativeQuery("""
                INSERT INTO alert_correlation_event (alert_id, event_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING""")
                .setParameter(1, alertId).setParameter(2, eventId).executeUpdate();
        if (counted == 1) {
            em.createNativeQuery("""
                    UPDATE alert_correlation SET
                        first_event_time = LEAST(first_event_time, ?2),
                        last_event_time = GREATEST(last_event_time, ?2),
                        event_count = event_count + 1,
                        evidence = (CASE WHEN jsonb_array_length(evidence) >= ?4 THEN evidence - 1 ELSE evidence END)
                            || jsonb_build_array(CAST(?3 AS jsonb)),
                        updated_at = now()
                    WHERE alert_id = ?1""")
                    .setParameter(1, alertId).setParameter(2, time).setParameter(3, EventCodec.encode(StoredJson.evidence(event)))
                    .setParameter(4, MAX_EVIDENCE)
                    .executeUpdate();
        }
        Object[] row = (Object[]) em.createNativeQuery("""
                SELECT event_count, first_event_time, last_event_time, CAST(evidence AS text)
                FROM alert_correlation WHERE alert_id = ?1""")
                .setParameter(1, alertId).getSingleResult();
        return new Correlation(alertId, ((Number) row[0]).intValue(), Baselines.instant(row[1]), Baselines.instant(row[2]),
                tree((String) row[3]));
    }

    // The upsert above locks the alert's row (also when it exists), so a concurrent purge cannot remove it between
    // that statement and the counting of the event.

    /** Forgets correlation state of alerts not updated since {@code before} (their windows are long closed). */
    public int purgeBefore(Instant before) {
        return em.createNativeQuery("DELETE FROM alert_correlation WHERE updated_at < ?1")
                .setParameter(1, Timestamp.from(before)).executeUpdate();
    }

    private static JsonNode tree(String json) {
        try {
            return EventCodec.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored evidence is not JSON", e);
        }
    }

}
