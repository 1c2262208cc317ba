package io.palisade.detection.messaging;

import java.util.UUID;

import static io.palisade.common.messaging.TransientFailures.retryWhileTransient;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.palisade.common.events.ClusterEvent;
import io.palisade.common.events.ConnectorEvent;
import io.palisade.common.events.PlanStateEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.service.RegistryService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;

/**
 * Keeps the cluster registry and the plan state current. Records it cannot read go to the topic's dead-letter topic
 * with the reason; the consumer goes on. A database that is away is waited for (each record in a transaction of its
 * own, tried again until it is back): a good record is never dead-lettered for the database's sake.
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
    public void onConnectorRecord(ConsumerRecord<String, String> record) {
        retryWhileTransient("Applying connector record " + record.key(),
                () -> QuarkusTransaction.requiringNew().run(() -> applyConnectorRecord(record)));
    }

    private void applyConnectorRecord(ConsumerRecord<String, String> record) {
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
    public void onPlanRecord(ConsumerRecord<String, String> record) {
        retryWhileTransient("Applying plan state " + record.key(),
                () -> QuarkusTransaction.requiringNew().run(() -> applyPlanRecord(record)));
    }

    private void applyPlanRecord(ConsumerRecord<String, String> record) {
        UUID scopeId = EventCodec.idKey(record.key());
        if (record.value() == null) {
            registry.scopeRemoved(scopeId);
        } else {
            registry.planStateChanged(EventCodec.decode(record.value(), PlanStateEvent.class, PlanStateEvent.TYPE,
                    PlanStateEvent.VERSION));
        }
    }
}
