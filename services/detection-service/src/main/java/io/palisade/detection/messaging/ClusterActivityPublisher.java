package io.palisade.detection.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import io.palisade.common.events.ClusterActivityEvent;
import io.palisade.common.messaging.EventCodec;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Tells the platform when a cluster last sent audit logs (connector-service turns silence into a recommendation).
 * At most one record per cluster per minute; sending never delays or fails an ingest.
 */
@ApplicationScoped
public class ClusterActivityPublisher {
    public static final String CHANNEL = "cluster-activity-out";
    private static final Logger LOG = Logger.getLogger(ClusterActivityPublisher.class);
    private static final Duration AT_MOST_EVERY = Duration.ofMinutes(1);

    private final MutinyEmitter<Record<String, String>> emitter;
    private final Map<UUID, Instant> lastPublished = new ConcurrentHashMap<>();

    public ClusterActivityPublisher(@Channel(CHANNEL) MutinyEmitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    public void auditEventsAccepted(UUID clusterId, UUID connectorId, Instant at) {
        Instant previous = lastPublished.get(clusterId);
        if (previous != null && at.isBefore(previous.plus(AT_MOST_EVERY))) {
            return;
        }
        lastPublished.put(clusterId, at);
        emitter.send(Record.of(clusterId.toString(),
                EventCodec.encode(ClusterActivityEvent.of(clusterId, connectorId, at))))
                .subscribe().with(ok -> {
                }, failure -> {
                    lastPublished.remove(clusterId, at);
                    LOG.warnf("Could not publish activity of cluster %s: %s", clusterId, failure.toString());
                });
    }
}
