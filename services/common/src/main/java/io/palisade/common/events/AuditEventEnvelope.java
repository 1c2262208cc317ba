package io.palisade.common.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Kubernetes audit {@code Event} as received from a cluster, on {@code palisade.audit-events} keyed by cluster
 * id. The event itself is kept exactly as the API server sent it.
 */
public record AuditEventEnvelope(String type, int version, UUID clusterId, UUID connectorId, String sourceFormat,
        Instant receivedAt, JsonNode event) implements VersionedEvent {
    public static final String TYPE = "audit-event";
    public static final int VERSION = 1;
    /**
     * The source format of the synthetic events of a simulation (alert-service's {@code POST /api/alerts/simulate}):
     * detection marks their alerts as simulated, teaches no baseline with them and does not archive them.
     */
    public static final String SIMULATION = "Simulation";

    public static AuditEventEnvelope of(UUID clusterId, UUID connectorId, String sourceFormat, Instant receivedAt,
            JsonNode event) {
        return new AuditEventEnvelope(TYPE, VERSION, clusterId, connectorId, sourceFormat, receivedAt, event);
    }

    /** This envelope carrying another event (the same one as read in part, or whole). */
    public AuditEventEnvelope withEvent(JsonNode other) {
        return new AuditEventEnvelope(type, version, clusterId, connectorId, sourceFormat, receivedAt, other);
    }

    /** Whether this is a synthetic event of an alert simulation, not activity of the cluster. */
    @JsonIgnore
    public boolean simulated() {
        return SIMULATION.equals(sourceFormat);
    }
}
