package io.palisade.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * When detection-service last accepted audit events from a cluster, on {@code palisade.cluster-activity} keyed by
 * cluster id (compacted). Published at most about once a minute per cluster.
 */
public record ClusterActivityEvent(String type, int version, UUID clusterId, UUID connectorId,
        Instant lastAuditEventAt) implements VersionedEvent {
    public static final String TYPE = "cluster-activity";
    public static final int VERSION = 1;

    public static ClusterActivityEvent of(UUID clusterId, UUID connectorId, Instant lastAuditEventAt) {
        return new ClusterActivityEvent(TYPE, VERSION, clusterId, connectorId, lastAuditEventAt);
    }
}
