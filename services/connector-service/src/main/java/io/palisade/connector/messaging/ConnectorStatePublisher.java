package io.palisade.connector.messaging;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.palisade.common.events.ClusterEvent;
import io.palisade.common.events.ConnectorEvent;
import io.palisade.common.messaging.StatePublisher;
import io.palisade.common.messaging.Topics;
import io.palisade.connector.persistence.Cluster;
import io.palisade.connector.persistence.Connector;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/** Publishes the latest state of connectors and clusters on the compacted {@code palisade.connectors} topic. */
@ApplicationScoped
public class ConnectorStatePublisher {
    public static final String CHANNEL = "connectors-out";

    private final MutinyEmitter<Record<String, String>> emitter;

    public ConnectorStatePublisher(@Channel(CHANNEL) MutinyEmitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    public void connectorChanged(Connector c) {
        publish(c.id, ConnectorEvent.of(c.id, c.environment.name(), c.displayName, c.hierarchyIdentifier,
                c.lastModifiedAt));
    }

    public void clusterChanged(Cluster c) {
        publish(c.id, ClusterEvent.of(c.id, c.connectorId, c.name, c.kind.name(), c.ingestTokenHash,
                java.time.Instant.now()));
    }

    /** Tombstone: the connector or cluster with this id is gone. */
    public void deleted(UUID id) {
        publish(id, null);
    }

    private void publish(UUID key, Object event) {
        StatePublisher.publish(emitter::send, Topics.CONNECTORS, key.toString(), event);
    }
}
