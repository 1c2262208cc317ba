package io.palisade.detection.messaging;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.palisade.common.events.ClusterEvent;
import io.palisade.common.events.ConnectorEvent;
import io.palisade.common.events.PlanStateEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.service.RegistryService;
import io.smallrye.common.annotation.Blocking;

/**
 * Keeps the cluster registry and the plan state current. Records it cannot read go to the topic's dead-letter topic
 * with the reason; the consumer goes on.
 */
@ApplicationScoped
public class RegistryConsumers {
    public static final String CONNECTORS_CHANNEL = "connectors-in";
    public static final String PLANS_CHANNEL = "plans-in";

    private final RegistryService registry;

    public RegistryConsumers(RegistryService registry) {
        this.registry = registry;
    }

    @Incoming(CONNECTORS_CHANNEL)
    @Blocking
    @Transactional
    public void onConnectorRecord(ConsumerRecord<String, String> record) {
        UUID id = EventCodec.idKey(record.key());
        if (record.value() == null) {
            registry.removed(id);
        } else {
            String type = EventCodec.peekType(record.value());
            if (ClusterEvent.TYPE.equals(type)) {
                registry.clusterChanged(EventCodec.decode(record.value(), ClusterEvent.class, ClusterEvent.TYPE,
                        ClusterEvent.VERSION));
            } else if (ConnectorEvent.TYPE.equals(type)) {
                registry.connectorChanged(EventCodec.decode(record.value(), ConnectorEvent.class, ConnectorEvent.TYPE,
                        ConnectorEvent.VERSION));
            }
        }
    }

    @Incoming(PLANS_CHANNEL)
    @Blocking
    @Transactional
    public void onPlanRecord(ConsumerRecord<String, String> record) {
        UUID scopeId = EventCodec.idKey(record.key());
        if (record.value() == null) {
            registry.scopeRemoved(scopeId);
        } else {
            registry.planStateChanged(EventCodec.decode(record.value(), PlanStateEvent.class, PlanStateEvent.TYPE,
                    PlanStateEvent.VERSION));
        }
    }
}
