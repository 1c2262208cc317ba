package io.palisade.alert.export;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;

import io.palisade.alert.persistence.Alert;
import io.palisade.alert.service.AlertChanged;

/**
 * Queues every alert change for the exports whose filter it matches, in the transaction that changes the alert:
 * the change and its deliveries commit together or not at all, so a restart between the two can never lose an
 * export record (an observer after commit could). The write is one INSERT … SELECT without constraints that another
 * transaction could break; if it fails anyway (database trouble) the alert change fails with it and is not silently
 * half-done: the Kafka record goes to the dead-letter topic with the reason, a user's status change gets an error.
 */
@ApplicationScoped
public class ExportOutbox {
    private static final String ENQUEUE = """
            INSERT INTO export_delivery (id, export_id, alert_id, change_kind, attempts, next_attempt_at, created_at)
            SELECT gen_random_uuid(), e.id, :alertId, :kind, 0, now(), now()
              FROM alert_export e
             WHERE e.enabled
               AND e.min_severity_rank <= :rank
               AND (e.alert_types IS NULL OR e.alert_types @> to_jsonb(CAST(:alertType AS text)))
               AND (e.statuses IS NULL OR e.statuses @> to_jsonb(CAST(:status AS text)))
               AND (e.connector_ids IS NULL OR e.connector_ids @> to_jsonb(CAST(:connectorId AS text)))
            """;

    private final EntityManager em;

    public ExportOutbox(EntityManager em) {
        this.em = em;
    }

    void onAlertChanged(@Observes(during = TransactionPhase.IN_PROGRESS) AlertChanged change) {
        Alert alert = Alert.findById(change.alertId());
        if (alert == null) {
            return;
        }
        em.createNativeQuery(ENQUEUE)
                .setParameter("alertId", alert.id)
                .setParameter("kind", change.kind().name())
                .setParameter("rank", ExportSeverity.rank(alert.severity))
                .setParameter("alertType", alert.alertType)
                .setParameter("status", alert.status.name())
                .setParameter("connectorId", alert.connectorId.toString())
                .executeUpdate();
    }
}
