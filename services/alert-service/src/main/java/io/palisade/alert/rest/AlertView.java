package io.palisade.alert.rest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.palisade.alert.persistence.Alert;
import io.palisade.alert.persistence.AlertStateChange;
import io.palisade.alert.persistence.AlertStatus;

/** An alert in the Azure Security alerts API shape: {@code id}, {@code name}, {@code type} and {@code properties}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertView(String id, String name, String type, Properties properties) {
    public static final String RESOURCE_TYPE = "Palisade/alerts";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Properties(
            String version,
            String alertType,
            String systemAlertId,
            String productComponentName,
            String alertDisplayName,
            String description,
            String severity,
            String intent,
            List<String> techniques,
            Instant startTimeUtc,
            Instant endTimeUtc,
            Instant timeGeneratedUtc,
            List<Map<String, Object>> resourceIdentifiers,
            List<String> remediationSteps,
            String vendorName,
            String productName,
            AlertStatus status,
            String compromisedEntity,
            List<Map<String, Object>> entities,
            String correlationKey,
            Map<String, String> extendedProperties,
            Map<String, Object> supportingEvidence,
            List<StateChangeView> stateHistory) {
    }

    public record StateChangeView(AlertStatus from, AlertStatus to, String changedBy, Instant changedAt,
            String comment) {
        static StateChangeView of(AlertStateChange c) {
            return new StateChangeView(c.fromStatus, c.toStatus, c.changedBy, c.changedAt, c.comment);
        }
    }

    public static AlertView of(Alert a, List<AlertStateChange> history) {
        Map<String, String> extended = new LinkedHashMap<>();
        if (a.extendedProperties != null) {
            extended.putAll(a.extendedProperties);
        }
        extended.put("connectorId", a.connectorId.toString());
        extended.put("clusterId", a.clusterId.toString());
        return new AlertView("/api/alerts/" + a.id, a.id, RESOURCE_TYPE, new Properties("1", a.alertType, a.id,
                a.productComponentName, a.displayName, a.description, a.severity, a.intent, a.techniques,
                a.startTimeUtc, a.endTimeUtc, a.timeGeneratedUtc, a.resourceIdentifiers, a.remediationSteps,
                "Palisade", "Palisade", a.status, a.compromisedEntity, a.entities, a.correlationKey, extended,
                a.supportingEvidence, history == null ? null : history.stream().map(StateChangeView::of).toList()));
    }
}
