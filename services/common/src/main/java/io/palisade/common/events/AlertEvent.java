package io.palisade.common.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An alert in the shape of the Azure Security alerts API, on {@code palisade.alerts} keyed by
 * {@code systemAlertId}. The id is derived from cluster, rule and audit id, so a redelivered audit event yields the
 * same alert again, never a second one. The alert's status is not part of the event: it belongs to alert-service.
 */
public record AlertEvent(String type, int version,
        String systemAlertId,
        String alertType,
        String alertDisplayName,
        String description,
        String severity,
        String intent,
        List<String> techniques,
        String compromisedEntity,
        List<Map<String, Object>> entities,
        List<String> remediationSteps,
        Instant startTimeUtc,
        Instant endTimeUtc,
        Instant timeGeneratedUtc,
        List<Map<String, Object>> resourceIdentifiers,
        Map<String, String> extendedProperties,
        JsonNode supportingEvidence,
        String correlationKey,
        String productComponentName,
        UUID connectorId,
        UUID clusterId,
        String ruleId) implements VersionedEvent {
    public static final String TYPE = "alert";
    public static final int VERSION = 1;
}
