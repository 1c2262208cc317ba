package io.palisade.alert.messaging;

import static io.palisade.common.messaging.TransientFailures.retryWhileTransient;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.palisade.alert.service.AlertService;
import io.palisade.common.events.AlertEvent;
import io.palisade.common.messaging.EventCodec;
import io.smallrye.common.annotation.Blocking;

/**
 * Takes alerts from {@code palisade.alerts}. Idempotent: the alert id is the record key and the primary key, so a
 * redelivered alert is never stored twice. A record it cannot read goes to {@code palisade.alerts.dlq}.
 */
@ApplicationScoped
public class AlertConsumer {
    public static final String CHANNEL = "alerts-in";

    private final AlertService alerts;

    public AlertConsumer(AlertService alerts) {
        this.alerts = alerts;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onAlert(ConsumerRecord<String, String> record) {
        AlertEvent alert = EventCodec.decode(record.value(), AlertEvent.class, AlertEvent.TYPE, AlertEvent.VERSION);
        // a database that is away is waited for; a broken record goes to the dead-letter topic
        retryWhileTransient("Storing alert " + alert.systemAlertId(), () -> alerts.receive(alert));
    }
}
