package io.palisade.alert.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.type.TypeReference;

import io.palisade.alert.persistence.Alert;
import io.palisade.alert.persistence.AlertStateChange;
import io.palisade.alert.persistence.AlertStatus;
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

    /** Filters of the alert list; null means "any". */
    public record AlertFilter(String severity, AlertStatus status, String alertType, UUID connectorId, UUID clusterId) {
    }

    /**
     * Stores a new alert as Active. An alert seen before is a correlation update (more events of the same rule on the
     * same entity) or a redelivery: its time range widens and its count and evidence follow the newest state (the
     * higher count, or at an equal count the later end); the status a user gave it is never overwritten.
     */
    @Transactional
    public void receive(AlertEvent event) {
        Alert alert = Alert.findById(event.systemAlertId());
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
        alert.status = AlertStatus.Active;
        alert.persist();
    }

    /** How many events an alert has counted (1 for alerts that do not say). */
    private static int count(Map<String, String> extendedProperties) {
        try {
            return extendedProperties == null ? 1 : Integer.parseInt(extendedProperties.getOrDefault("count", "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    public List<Alert> list(AlertFilter filter, PageRequest page) {
        List<String> clauses = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (filter.severity() != null) {
            clauses.add("severity = :severity");
            params.put("severity", filter.severity());
        }
        if (filter.status() != null) {
            clauses.add("status = :status");
            params.put("status", filter.status());
        }
        if (filter.alertType() != null) {
            clauses.add("alertType = :alertType");
            params.put("alertType", filter.alertType());
        }
        if (filter.connectorId() != null) {
            clauses.add("connectorId = :connectorId");
            params.put("connectorId", filter.connectorId());
        }
        if (filter.clusterId() != null) {
            clauses.add("clusterId = :clusterId");
            params.put("clusterId", filter.clusterId());
        }
        Sort newestFirst = Sort.descending("timeGeneratedUtc").and("id");
        var query = clauses.isEmpty() ? Alert.<Alert> findAll(newestFirst)
                : Alert.<Alert> find(String.join(" and ", clauses), newestFirst, params);
        return query.range(page.skip(), page.skip() + page.fetchSize() - 1).list();
    }

    public Alert get(String id) {
        Alert alert = Alert.findById(id);
        if (alert == null) {
            throw ProblemException.notFound("Alert", id);
        }
        return alert;
    }

    public List<AlertStateChange> history(String alertId) {
        return AlertStateChange.list("alertId", Sort.ascending("changedAt", "id"), alertId);
    }

    /** Moves the alert to {@code target}; a change to the status it already has records nothing. */
    @Transactional
    public void changeStatus(String id, AlertStatus target, String user, String comment) {
        Alert alert = get(id);
        if (alert.status == target) {
            return;
        }
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
