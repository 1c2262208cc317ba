package io.palisade.alert.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.type.TypeReference;

import io.palisade.alert.persistence.Alert;
import io.palisade.alert.persistence.AlertStateChange;
import io.palisade.alert.persistence.AlertStatus;
import io.palisade.common.security.CallerScopes;
import io.palisade.common.api.PageRequest;
import io.palisade.common.events.AlertEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.ProblemException;
import io.quarkus.panache.common.Sort;

/** Keeps alerts: takes them in from detection, lists and filters them, and changes their status. */
@ApplicationScoped
public class AlertService {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Event<AlertChanged> changes;
    private final EntityManager em;
    private final SuppressionService suppression;

    public AlertService(Event<AlertChanged> changes, EntityManager em, SuppressionService suppression) {
        this.changes = changes;
        this.em = em;
        this.suppression = suppression;
    }


    /**
     * Stores a new alert as Active. An alert seen before is a correlation update (more events of the same rule on the
     * same entity) or a redelivery: its time range widens and its count and evidence follow the newest state (the
     * higher count, or at an equal count the later end); the status a user gave it is never overwritten: the stored
     * alert is read and locked ({@code FOR UPDATE}) until this transaction ends, so a status change made meanwhile
     * (on any replica) waits for it, or is read by it, and is never written back over with the status it had before.
     */
    @Transactional
    public void receive(AlertEvent event) {
        Alert alert = Alert.findById(event.systemAlertId(), LockModeType.PESSIMISTIC_WRITE);
        if (alert != null) {
            int newCount = count(event.extendedProperties());
            int oldCount = count(alert.extendedProperties);
            boolean later = event.endTimeUtc() != null && event.endTimeUtc().isAfter(alert.endTimeUtc);
            boolean newer = newCount > oldCount || (newCount == oldCount && later);
            if (later) {
                alert.endTimeUtc = event.endTimeUtc();
            }
            if (event.startTimeUtc() != null && event.startTimeUtc().isBefore(alert.startTimeUtc)) {
                alert.startTimeUtc = event.startTimeUtc();
            }
            if (newer) {
                alert.extendedProperties = event.extendedProperties();
                alert.supportingEvidence = event.supportingEvidence() == null ? alert.supportingEvidence
                        : EventCodec.mapper().convertValue(event.supportingEvidence(), MAP);
            }
            if (newer || later) {
                changes.fire(new AlertChanged(alert.id, AlertChanged.Kind.Updated));
            }
            return;
        }
        alert = new Alert();
        alert.id = event.systemAlertId();
        alert.connectorId = event.connectorId();
        alert.clusterId = event.clusterId();
        alert.ruleId = event.ruleId();
        alert.alertType = event.alertType();
        alert.displayName = event.alertDisplayName();
        alert.description = event.description();
        alert.severity = event.severity();
        alert.intent = event.intent();
        alert.techniques = event.techniques();
        alert.compromisedEntity = event.compromisedEntity();
        alert.entities = event.entities();
        alert.remediationSteps = event.remediationSteps();
        alert.resourceIdentifiers = event.resourceIdentifiers();
        alert.extendedProperties = event.extendedProperties();
        alert.supportingEvidence = event.supportingEvidence() == null ? null
                : EventCodec.mapper().convertValue(event.supportingEvidence(), MAP);
        alert.correlationKey = event.correlationKey();
        alert.productComponentName = event.productComponentName();
        alert.startTimeUtc = event.startTimeUtc();
        alert.endTimeUtc = event.endTimeUtc();
        alert.timeGeneratedUtc = event.timeGeneratedUtc();
        alert.resourceType = resourceType(event);
        alert.status = AlertStatus.Active;
        alert.persist();
        // A matching suppression rule dismisses a new alert on arrival (never a correlation update, above), before
        // anyone hears of it: the stream and exports see one Created alert, already Dismissed, with its history.
        var rule = suppression.firstMatch(alert, Instant.now());
        if (rule.isPresent()) {
            recordChange(alert, AlertStatus.Dismissed, rule.get().actor(),
                    SuppressionService.dismissalComment(rule.get()));
        }
        changes.fire(new AlertChanged(alert.id, AlertChanged.Kind.Created));
    }

    /** The cluster kind detection names in the alert's resource identifiers. */
    private static String resourceType(AlertEvent event) {
        if (event.resourceIdentifiers() != null) {
            for (Map<String, Object> identifier : event.resourceIdentifiers()) {
                Object kind = identifier.get("clusterKind");
                if (kind != null) {
                    return kind.toString();
                }
            }
        }
        return "Unknown";
    }

    /** How many events an alert has counted (1 for alerts that do not say). */
    private static int count(Map<String, String> extendedProperties) {
        try {
            return extendedProperties == null ? 1 : Integer.parseInt(extendedProperties.getOrDefault("count", "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** One page of alerts matching the filter, in the order asked; one extra row tells whether more follow. */
    public List<Alert> list(AlertQuery.AlertFilter filter, AlertQuery.Order order, boolean ascending,
            PageRequest page) {
        AlertQuery query = AlertQuery.of(filter);
        var sql = em.createNativeQuery("SELECT id FROM alert WHERE " + query.where() + " ORDER BY "
                + AlertQuery.orderBy(order, ascending) + " LIMIT :limit OFFSET :offset");
        query.params().forEach(sql::setParameter);
        @SuppressWarnings("unchecked")
        List<String> ids = sql.setParameter("limit", page.fetchSize()).setParameter("offset", page.skip())
                .getResultList();
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Alert> byId = new HashMap<>();
        Alert.<Alert> list("id in ?1", ids).forEach(a -> byId.put(a.id, a));
        List<Alert> ordered = new ArrayList<>(ids.size());
        ids.forEach(id -> {
            if (byId.containsKey(id)) {
                ordered.add(byId.get(id));
            }
        });
        return ordered;
    }

    /** Counts for the dashboard: alerts matching the filter by severity and by status. */
    public record Summary(long total, Map<String, Long> bySeverity, Map<String, Long> byStatus) {
    }

    public Summary summary(AlertQuery.AlertFilter filter) {
        AlertQuery query = AlertQuery.of(filter);
        var sql = em.createNativeQuery("SELECT severity, status, count(*) FROM alert WHERE " + query.where()
                + " GROUP BY severity, status");
        query.params().forEach(sql::setParameter);
        Map<String, Long> bySeverity = new java.util.LinkedHashMap<>();
        for (String severity : List.of("High", "Medium", "Low", "Informational")) {
            bySeverity.put(severity, 0L);
        }
        Map<String, Long> byStatus = new java.util.LinkedHashMap<>();
        for (AlertStatus status : AlertStatus.values()) {
            byStatus.put(status.name(), 0L);
        }
        long total = 0;
        @SuppressWarnings("unchecked")
        List<Object[]> rows = sql.getResultList();
        for (Object[] row : rows) {
            long n = ((Number) row[2]).longValue();
            bySeverity.merge((String) row[0], n, Long::sum);
            byStatus.merge((String) row[1], n, Long::sum);
            total += n;
        }
        return new Summary(total, bySeverity, byStatus);
    }

    /** Most alerts one bulk change touches; a larger selection is refused (narrow the filter). */
    public static final int MAX_BULK = 5000;

    /**
     * Moves every alert matching the filter to {@code target}, recording each change in its history; alerts
     * already in that status are left alone. Returns how many changed.
     */
    @Transactional
    public int bulkChange(AlertQuery.AlertFilter filter, AlertStatus target, String user, String comment) {
        AlertQuery query = AlertQuery.of(filter);
        // one order for every bulk change, so that two of them lock shared alerts in the same order (no deadlock)
        var sql = em.createNativeQuery("SELECT id FROM alert WHERE " + query.where() + " AND status <> :target"
                + " ORDER BY time_generated_utc, id LIMIT :limit");
        query.params().forEach(sql::setParameter);
        @SuppressWarnings("unchecked")
        List<String> ids = sql.setParameter("target", target.name()).setParameter("limit", MAX_BULK + 1)
                .getResultList();
        if (ids.size() > MAX_BULK) {
            throw ProblemException.badRequest("filter", "matches more than " + MAX_BULK
                    + " alerts to change; narrow the filter");
        }
        int changed = 0;
        for (String id : ids) {
            // locked one by one, as a single change would be; one deleted or changed meanwhile is passed over
            Alert alert = Alert.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (alert != null && changeTo(alert, target, user, comment)) {
                changed++;
            }
        }
        return changed;
    }

    /**
     * Deletes up to {@code batch} alerts whose activity ended before {@code before}, with their history; returns how
     * many. Batches keep each transaction short, however large the backlog. Alerts locked by another transaction (a
     * status change, a correlation update, another replica's purge) are skipped, not waited for: every replica purges,
     * and none blocks or deadlocks another; what is skipped goes in a later batch or run.
     */
    @Transactional
    public int purgeEndedBefore(Instant before, int batch) {
        return em.createNativeQuery("DELETE FROM alert WHERE id IN (SELECT id FROM alert WHERE end_time_utc < :before"
                + " LIMIT :batch FOR UPDATE SKIP LOCKED)")
                .setParameter("before", java.sql.Timestamp.from(before)).setParameter("batch", batch).executeUpdate();
    }

    public Alert get(String id) {
        Alert alert = Alert.findById(id);
        if (alert == null) {
            throw ProblemException.notFound("Alert", id);
        }
        return alert;
    }

    /** The alert if the caller's scopes cover its connector; otherwise as if it did not exist (404). */
    public Alert get(String id, CallerScopes scopes) {
        Alert alert = get(id);
        if (!scopes.permits(alert.connectorId)) {
            throw ProblemException.notFound("Alert", id);
        }
        return alert;
    }

    public List<AlertStateChange> history(String alertId) {
        return AlertStateChange.list("alertId", Sort.ascending("changedAt", "id"), alertId);
    }

    /**
     * Moves the alert to {@code target}; a change to the status it already has records nothing. The alert is read and
     * locked ({@code FOR UPDATE}) until this transaction ends, so a correlation update running meanwhile (on any
     * replica) is waited for and kept, never written back over with the alert as it was before.
     */
    @Transactional
    public void changeStatus(String id, AlertStatus target, String user, String comment) {
        Alert alert = Alert.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (alert == null) {
            throw ProblemException.notFound("Alert", id);
        }
        changeTo(alert, target, user, comment);
    }

    /** Moves a locked alert to {@code target} and tells of it; false if it already had that status. */
    private boolean changeTo(Alert alert, AlertStatus target, String user, String comment) {
        if (alert.status == target) {
            return false;
        }
        recordChange(alert, target, user, comment);
        changes.fire(new AlertChanged(alert.id, AlertChanged.Kind.StatusChanged));
        return true;
    }

    /** Moves the alert to {@code target} and writes the change into its history (no event). */
    private static void recordChange(Alert alert, AlertStatus target, String user, String comment) {
        String id = alert.id;
        AlertStateChange change = new AlertStateChange();
        change.alertId = id;
        change.fromStatus = alert.status;
        change.toStatus = target;
        change.changedBy = user;
        change.changedAt = Instant.now();
        change.comment = comment;
        change.persist();
        alert.status = target;
    }
}
