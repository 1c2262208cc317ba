package io.palisade.common.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event of a cluster's node sensor (Falco, directly or through Falcosidekick), on {@code palisade.audit-events}
 * keyed by cluster id next to the cluster's audit events. The sensor's event is kept exactly as it was sent.
 */
public record SensorEventEnvelope(String type, int version, UUID clusterId, UUID connectorId, String sourceFormat,
        Instant receivedAt, JsonNode event) implements VersionedEvent {
    public static final String TYPE = "sensor-event";
    public static final int VERSION = 1;

    public static SensorEventEnvelope of(UUID clusterId, UUID connectorId, String sourceFormat, Instant receivedAt,
            JsonNode event) {
        return new SensorEventEnvelope(TYPE, VERSION, clusterId, connectorId, sourceFormat, receivedAt, event);
    }
}
