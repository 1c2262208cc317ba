package io.palisade.detection.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * The dead-letter topic of {@code palisade.audit-events} for the consumers that read it in batches: a record of a
 * batch that cannot be handled goes there alone, with the same key, value and headers SmallRye's
 * {@code dead-letter-queue} failure strategy writes ({@code dead-letter-reason}, {@code dead-letter-cause},
 * {@code dead-letter-topic}, {@code dead-letter-partition}, {@code dead-letter-offset}), and the rest of the batch
 * goes on. The send is awaited: the batch's offsets are committed only once the dead letter is stored.
 */
@ApplicationScoped
public class DeadLetters {
    public static final String CHANNEL = "audit-dead-letters-out";
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    private final MutinyEmitter<byte[]> emitter;

    public DeadLetters(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /** The record's value goes as the bytes it was read as, whatever they hold. */
    public void send(ConsumerRecord<String, byte[]> record, Throwable failure) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        header(headers, "dead-letter-reason", failure.getMessage() != null ? failure.getMessage()
                : failure.getClass().getName());
        if (failure.getCause() != null) {
            header(headers, "dead-letter-cause", failure.getCause().getMessage() != null
                    ? failure.getCause().getMessage() : failure.getCause().getClass().getName());
        }
        header(headers, "dead-letter-topic", record.topic());
        header(headers, "dead-letter-partition", Integer.toString(record.partition()));
        header(headers, "dead-letter-offset", Long.toString(record.offset()));
        Message<byte[]> message = Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build());
        emitter.sendMessage(message).await().atMost(ACK_TIMEOUT);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
