package io.palisade.detection.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.palisade.common.events.AlertEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.StatePublisher;
import io.palisade.common.messaging.Topics;
import io.palisade.detection.persistence.StoredJson;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Publishes alerts on {@code palisade.alerts}, keyed by alert id, and waits for Kafka's ack. Values longer than
 * {@link StoredJson#MAX_EVIDENCE_VALUE_CHARS} and arrays longer than {@link StoredJson#MAX_EVIDENCE_ARRAY_ELEMENTS}
 * are cut first (only a forged event has them — Kubernetes names have at
 * most 253 characters — and an alert quoting a megabyte several times would be too large to handle downstream).
 */
@ApplicationScoped
public class AlertPublisher {
    public static final String CHANNEL = "alerts-out";

    private final MutinyEmitter<Record<String, String>> emitter;

    public AlertPublisher(@Channel(CHANNEL) MutinyEmitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    public void publish(AlertEvent alert) {
        StatePublisher.publish(emitter::send, Topics.ALERTS, alert.systemAlertId(),
                StoredJson.shortenLongValuesKeepingShape(EventCodec.mapper().valueToTree(alert)));
    }
}
