package io.palisade.detection.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.palisade.detection.engine.BaselineDecision;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.ingest.AuditEvents;

/**
 * The baselines of anomaly rules, kept in PostgreSQL so that learning survives restarts: per cluster, rule and
 * subject, when the subject was first seen and which operations it performed (see {@link BaselineDecision}).
 */
@ApplicationScoped
public class Baselines {
    /** Longest subject or operation stored as it is (the columns' size); longer ones by digest. */
    static final int MAX_STORED_KEY = 512;

    /** How many known operations and subjects each replica keeps in memory (least recently used go first). */
    static final int REMEMBERED_OPERATIONS = 50_000;
    static final int REMEMBERED_SUBJECTS = 10_000;

    private final EntityManager em;
    /**
     * What the database already holds, to spare it the reads of the common case (a known subject performing a known
     * operation, the bulk of service-account traffic). Exact: an operation's row is written once and never changed,
     * and a subject's first sighting only moves earlier, so an event older than the remembered first sighting goes
     * to the database as before.
     */
    private final Map<String, BaselineDecision.KnownOperation> knownOperations = lru(REMEMBERED_OPERATIONS);
    private final Map<String, Instant> subjectsFirstSeen = lru(REMEMBERED_SUBJECTS);

    public Baselines(EntityManager em) {
        this.em = em;
    }

    private static <V> Map<String, V> lru(int size) {
        return Collections.synchronizedMap(new LinkedHashMap<>(size * 4 / 3, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > size;
            }
        });
    }

    /** Whether the event is rare for the rule's baseline; reads and writes the database only when it must. */
    public boolean isRare(UUID clusterId, DetectionRule rule, JsonNode event) {
        DetectionRule.Baseline baseline = rule.baseline();
        List<JsonNode> subjects = baseline.subject().values(event);
        if (subjects.isEmpty()) {
            return false;
        }
        String subject = StoredKeys.keyOf(subjects.get(0).asText(), MAX_STORED_KEY);
        String operation = StoredKeys.keyOf(BaselineDecision.operationKey(baseline, event), MAX_STORED_KEY);
        Instant time = AuditEvents.eventTime(event);
        String auditId = AuditEvents.auditKey(event);
        String subjectKey = clusterId + "|" + rule.id() + "|" + subject;
        String operationKey = subjectKey + "|" + operation;
        Instant firstSeen = subjectsFirstSeen.get(subjectKey);
        BaselineDecision.KnownOperation known = knownOperations.get(operationKey);
        if (firstSeen != null && !time.isBefore(firstSeen) && known != null) {
            return BaselineDecision.decide(firstSeen, known, time, auditId, baseline.learningPeriod()).rare();
        }
        return QuarkusTransaction.joiningExisting().call(() -> isRareByDatabase(clusterId, rule, subject, operation,
                time, auditId, subjectKey, operationKey));
    }

    private boolean isRareByDatabase(UUID clusterId, DetectionRule rule, String subject, String operation,
            Instant time, String auditId, String subjectKey, String operationKey) {
        DetectionRule.Baseline baseline = rule.baseline();
        Instant firstSeen = subjectFirstSeen(clusterId, rule.id(), subject, time);
        @SuppressWarnings("unchecked")
        List<Object[]> known = em.createNativeQuery("""
                SELECT first_seen, first_audit_id, was_rare FROM baseline_operation
                WHERE cluster_id = ?1 AND rule_id = ?2 AND subject = ?3 AND operation = ?4""")
                .setParameter(1, clusterId).setParameter(2, rule.id()).setParameter(3, subject)
                .setParameter(4, operation).getResultList();
        BaselineDecision.KnownOperation knownOperation = known.isEmpty() ? null
                : new BaselineDecision.KnownOperation(instant(known.get(0)[0]), (String) known.get(0)[1],
                        (Boolean) known.get(0)[2]);
        subjectsFirstSeen.put(subjectKey, firstSeen);
        if (knownOperation != null) {
            knownOperations.put(operationKey, knownOperation);
        }
        BaselineDecision.Outcome outcome = BaselineDecision.decide(firstSeen, knownOperation, time, auditId,
                baseline.learningPeriod());
        if (outcome.remember() != null) {
            em.createNativeQuery("""
                    INSERT INTO baseline_operation (cluster_id, rule_id, subject, operation, first_seen, first_audit_id,
                        was_rare) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING""")
                    .setParameter(1, clusterId).setParameter(2, rule.id()).setParameter(3, subject)
                    .setParameter(4, operation).setParameter(5, Timestamp.from(outcome.remember().firstSeen()))
                    .setParameter(6, outcome.remember().firstAuditId()).setParameter(7, outcome.remember().wasRare())
                    .executeUpdate();
            // remembered only once read back: another replica may have written the row first
        }
        return outcome.rare();
    }

    /**
     * When the subject was first seen, counting this event. Written only when the subject is new or the event is
     * older than what was known (a read otherwise): every matching event passes here.
     */
    private Instant subjectFirstSeen(UUID clusterId, String ruleId, String subject, Instant time) {
        @SuppressWarnings("unchecked")
        List<Object> known = em.createNativeQuery("""
                SELECT first_seen FROM baseline_subject WHERE cluster_id = ?1 AND rule_id = ?2 AND subject = ?3""")
                .setParameter(1, clusterId).setParameter(2, ruleId).setParameter(3, subject).getResultList();
        if (!known.isEmpty() && !time.isBefore(instant(known.get(0)))) {
            return instant(known.get(0));
        }
        return instant(em.createNativeQuery("""
                INSERT INTO baseline_subject (cluster_id, rule_id, subject, first_seen) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (cluster_id, rule_id, subject)
                DO UPDATE SET first_seen = LEAST(baseline_subject.first_seen, EXCLUDED.first_seen)
                RETURNING first_seen""")
                .setParameter(1, clusterId).setParameter(2, ruleId).setParameter(3, subject)
                .setParameter(4, Timestamp.from(time)).getSingleResult());
    }

    static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected time value " + value);
    }
}
