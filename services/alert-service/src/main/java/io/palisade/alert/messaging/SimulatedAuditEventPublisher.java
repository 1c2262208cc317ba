package io.palisade.alert.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.messaging.EventCodec;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Hands the synthetic audit events of an alert simulation to detection: on {@code palisade.audit-events}, keyed by
 * cluster id like every audit event, so they travel the same pipeline as a cluster's own.
 */
@ApplicationScoped
public class SimulatedAuditEventPublisher {
    public static final String CHANNEL = "simulation-out";

    private final MutinyEmitter<String> emitter;

    public SimulatedAuditEventPublisher(@Channel(CHANNEL) MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Returns once Kafka acknowledged every event; fails if it did not within {@code timeout}. */
    public void publish(List<AuditEventEnvelope> events, Duration timeout) {
        List<Uni<Void>> sends = events.stream()
                .map(e -> emitter.sendMessage(Message.of(EventCodec.encode(e)).addMetadata(
                        OutgoingKafkaRecordMetadata.<String> builder().withKey(e.clusterId().toString()).build())))
                .toList();
        Uni.join().all(sends).andFailFast().replaceWithVoid().await().atMost(timeout);
    }
}
