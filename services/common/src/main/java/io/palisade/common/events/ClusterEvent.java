package io.palisade.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Latest state of a protected cluster on {@code palisade.connectors}, keyed by cluster id. It carries the
 * SHA-256 hash of the cluster's ingest token (never the token) so that detection-service can authenticate ingest.
 */
public record ClusterEvent(String type, int version, UUID clusterId, UUID connectorId, String name, String kind,
        String ingestTokenHash, Instant changedAt) implements VersionedEvent {
    public static final String TYPE = "cluster";
    public static final int VERSION = 1;

    public static ClusterEvent of(UUID clusterId, UUID connectorId, String name, String kind, String ingestTokenHash,
            Instant changedAt) {
        return new ClusterEvent(TYPE, VERSION, clusterId, connectorId, name, kind, ingestTokenHash, changedAt);
    }
}
