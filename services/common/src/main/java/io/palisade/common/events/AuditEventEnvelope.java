package io.palisade.common.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Kubernetes audit {@code Event} as received from a cluster, on {@code palisade.audit-events} keyed by cluster
 * id. The event itself is kept exactly as the API server sent it.
 */
public record AuditEventEnvelope(String type, int version, UUID clusterId, UUID connectorId, String sourceFormat,
        Instant receivedAt, JsonNode event) implements VersionedEvent {
    public static final String TYPE = "audit-event";
    public static final int VERSION = 1;

    public static AuditEventEnvelope of(UUID clusterId, UUID connectorId, String sourceFormat, Instant receivedAt,
            JsonNode event) {
        return new AuditEventEnvelope(TYPE, VERSION, clusterId, connectorId, sourceFormat, receivedAt, event);
    }
}
