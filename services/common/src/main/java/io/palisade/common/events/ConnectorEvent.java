package io.palisade.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Latest state of a connector on {@code palisade.connectors}, keyed by connector id. A delete is a tombstone
 * (null value) under the same key.
 */
public record ConnectorEvent(String type, int version, UUID connectorId, String environment, String displayName,
        String hierarchyIdentifier, Instant changedAt) implements VersionedEvent {
    public static final String TYPE = "connector";
    public static final int VERSION = 1;

    public static ConnectorEvent of(UUID connectorId, String environment, String displayName,
            String hierarchyIdentifier, Instant changedAt) {
        return new ConnectorEvent(TYPE, VERSION, connectorId, environment, displayName, hierarchyIdentifier, changedAt);
    }
}
