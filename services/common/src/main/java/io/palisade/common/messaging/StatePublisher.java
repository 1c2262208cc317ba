package io.palisade.common.messaging;

import java.time.Duration;

import org.apache.kafka.common.errors.RecordTooLargeException;

import io.palisade.common.problem.ProblemException;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Publishes a keyed record and waits until Kafka acknowledges it, so that a change the API reports as done is on
 * the topic. If Kafka does not acknowledge in time, the caller gets 503 and its transaction rolls back.
 */
public final class StatePublisher {
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    private StatePublisher() {
    }

    /** Publishes {@code event} (encoded as JSON), or a tombstone when it is null, and waits for the ack. */
    public static void publish(java.util.function.Function<Record<String, String>, Uni<Void>> send, String topic,
            String key, Object event) {
        String value = event == null ? null : EventCodec.encode(event);
        try {
            send.apply(Record.of(key, value)).await().atMost(ACK_TIMEOUT);
        } catch (TimeoutException e) {
            throw unavailable(topic, "no acknowledgement within " + ACK_TIMEOUT.toSeconds() + " s");
        } catch (RuntimeException e) {
            if (TransientFailures.causedBy(e, RecordTooLargeException.class)) {
                // not the broker's absence: no retry will make the record fit (a consumer dead-letters it)
                throw new ProblemException(413, "Payload Too Large", "The record for Kafka topic " + topic
                        + " is larger than the topic accepts (" + e.getMessage() + "); nothing was saved");
            }
            throw unavailable(topic, e.getMessage());
        }
    }

    private static ProblemException unavailable(String topic, String why) {
        return new ProblemException(503, "Service Unavailable",
                "The change could not be published to Kafka topic " + topic + " (" + why + "); nothing was saved, retry later");
    }
}
