package io.palisade.detection.messaging;

import java.nio.charset.StandardCharsets;

import static io.palisade.common.messaging.TransientFailures.retryWhileTransient;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.palisade.detection.service.IngestService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;

/**
 * AKS audit logs read from a Kafka topic: by default {@code palisade.aks-audit} on the platform's Kafka (records
 * relayed from Azure), or an Azure Event Hub directly, which speaks the Kafka protocol (channel {@code aks-audit-in};
 * see the service README for the Event Hubs settings). Each message is Azure's {@code {"records":[…]}} envelope. A
 * message that cannot be read, or names a cluster Palisade does not know, goes to the channel's dead-letter topic
 * with the reason; the consumer goes on. A database or broker that is away is waited for, not dead-lettered.
 */
@ApplicationScoped
public class AksEventHubConsumer {
    public static final String CHANNEL = "aks-audit-in";

    private final IngestService ingest;

    public AksEventHubConsumer(IngestService ingest) {
        this.ingest = ingest;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onRecords(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            throw new io.palisade.common.messaging.MalformedEventException("empty record value");
        }
        byte[] message = record.value().getBytes(StandardCharsets.UTF_8);
        retryWhileTransient("Ingesting AKS message at offset " + record.offset(),
                () -> QuarkusTransaction.requiringNew().run(() -> ingest.ingestAksMessage(message)));
    }
}
