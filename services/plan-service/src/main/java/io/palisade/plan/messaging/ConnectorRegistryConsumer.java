package io.palisade.plan.messaging;

import java.util.UUID;

import static io.palisade.common.messaging.TransientFailures.retryWhileTransient;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.palisade.common.events.ConnectorEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.plan.service.PlanService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;

/**
 * Learns connectors from {@code palisade.connectors}: plans can be set only for a known connector, and a deleted
 * connector's plans go with it. Cluster records on the same topic are not this service's concern. A record it cannot
 * read goes to {@code palisade.connectors.dlq} with the reason; a database that is away is waited for (each record in
 * a transaction of its own, tried again until it is back).
 */
@ApplicationScoped
public class ConnectorRegistryConsumer {
    public static final String CHANNEL = "connectors-in";

    private final PlanService plans;

    public ConnectorRegistryConsumer(PlanService plans) {
        this.plans = plans;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) {
        retryWhileTransient("Applying connector record " + record.key(),
                () -> QuarkusTransaction.requiringNew().run(() -> apply(record)));
    }

    private void apply(ConsumerRecord<String, String> record) {
        UUID id = EventCodec.idKey(record.key());
        if (record.value() == null) {
            plans.forgetScope(id);
            return;
        }
        if (!ConnectorEvent.TYPE.equals(EventCodec.peekType(record.value()))) {
            return;
        }
        ConnectorEvent event = EventCodec.decode(record.value(), ConnectorEvent.class, ConnectorEvent.TYPE,
                ConnectorEvent.VERSION);
        plans.rememberConnector(event.connectorId(), event.environment());
    }
}
