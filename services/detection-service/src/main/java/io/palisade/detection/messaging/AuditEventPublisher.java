package io.palisade.detection.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.palisade.common.events.VersionedEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/** Puts accepted audit and sensor events on {@code palisade.audit-events}, keyed by cluster, and waits for Kafka's ack. */
@ApplicationScoped
public class AuditEventPublisher {
    public static final String CHANNEL = "audit-out";
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    private final MutinyEmitter<Record<String, String>> emitter;

    /**
     * The emitter buffers what Kafka's producer has not taken yet: a few batches of thousands of events in flight
     * must not overflow it (the bound is the ingest's concurrent batches × the largest batch).
     */
    public AuditEventPublisher(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 32_768)
            MutinyEmitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    /**
     * Returns once every event is acknowledged; otherwise 503: the sender retries the request, and events of it that
     * did reach Kafka become duplicates the consumers count once (archive and correlation are idempotent).
     */
    public void publishAll(UUID clusterId, List<? extends VersionedEvent> envelopes) {
        String key = clusterId.toString();
        List<Uni<Void>> sends = new ArrayList<>(envelopes.size());
        for (VersionedEvent envelope : envelopes) {
            sends.add(emitter.send(Record.of(key, EventCodec.encode(envelope))));
        }
        try {
            if (!sends.isEmpty()) {
                Uni.join().all(sends).andFailFast().await().atMost(ACK_TIMEOUT);
            }
        } catch (RuntimeException e) {
            throw new ProblemException(503, "Service Unavailable",
                    "Events could not be stored (Kafka did not acknowledge them: " + e.getMessage()
                            + "); the request was not accepted, retry it (events already stored are counted once)");
        }
    }
}
