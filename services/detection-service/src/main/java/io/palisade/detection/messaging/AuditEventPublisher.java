package io.palisade.detection.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.palisade.common.events.VersionedEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.common.messaging.TransientFailures;
import io.palisade.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/** Puts accepted audit and sensor events on {@code palisade.audit-events}, keyed by cluster, and waits for Kafka's ack. */
@ApplicationScoped
public class AuditEventPublisher {
    public static final String CHANNEL = "audit-out";
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);
    /** Room for the record's key, headers and batch framing within the topic's {@code max.message.bytes}. */
    private static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

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
     * did reach Kafka become duplicates the consumers count once (archive and correlation are idempotent). An event
     * too large to be stored is refused with 413 before anything of the request is sent (a retry cannot help).
     */
    public void publishAll(UUID clusterId, List<? extends VersionedEvent> envelopes) {
        String key = clusterId.toString();
        List<String> records = new ArrayList<>(envelopes.size());
        for (int i = 0; i < envelopes.size(); i++) {
            String record = EventCodec.encode(envelopes.get(i));
            refuseIfTooLarge(i, record);
            records.add(record);
        }
        List<Uni<Void>> sends = new ArrayList<>(records.size());
        for (String record : records) {
            sends.add(emitter.send(Record.of(key, record)));
        }
        try {
            if (!sends.isEmpty()) {
                Uni.join().all(sends).andFailFast().await().atMost(ACK_TIMEOUT);
            }
        } catch (RuntimeException e) {
            if (TransientFailures.causedBy(e, RecordTooLargeException.class)) {
                // the topic's own limit is below ours (a topic made by an older version): still the event's size
                throw tooLarge("An event of the request is larger than the broker accepts (" + e.getMessage() + ")");
            }
            throw new ProblemException(503, "Service Unavailable",
                    "Events could not be stored (Kafka did not acknowledge them: " + e.getMessage()
                            + "); the request was not accepted, retry it (events already stored are counted once)");
        }
    }

    /** Kafka refuses records over the topic's limit: say so for the event, not "retry" for the whole request. */
    private static void refuseIfTooLarge(int index, String record) {
        int limit = Topics.MAX_EVENT_RECORD_BYTES - RECORD_OVERHEAD_BYTES;
        if ((long) record.length() * 3 <= limit) {
            return; // at most 3 UTF-8 bytes per char: no need to count
        }
        int bytes = record.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limit) {
            throw tooLarge("Event " + index + " of the request takes " + bytes + " bytes once stored; events of up to "
                    + limit + " bytes are accepted (the Kubernetes API server itself stores objects of up to 3 MiB)");
        }
    }

    private static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "Payload Too Large", detail + "; nothing of the request was accepted");
    }
}
