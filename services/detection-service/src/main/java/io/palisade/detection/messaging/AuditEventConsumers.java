package io.palisade.detection.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.persistence.AuditArchive;
import io.palisade.detection.service.DetectionService;
import io.smallrye.common.annotation.Blocking;

/**
 * The two consumer groups of {@code palisade.audit-events}: the detector (rules → alerts) and the archiver. Each
 * commits a record only after its work is done (at-least-once); both are idempotent. A record that cannot be read
 * goes to {@code palisade.audit-events.dlq} with the reason.
 */
@ApplicationScoped
public class AuditEventConsumers {
    public static final String DETECTOR_CHANNEL = "audit-detector-in";
    public static final String ARCHIVE_CHANNEL = "audit-archive-in";

    private final DetectionService detection;
    private final AuditArchive archive;

    public AuditEventConsumers(DetectionService detection, AuditArchive archive) {
        this.detection = detection;
        this.archive = archive;
    }

    @Incoming(DETECTOR_CHANNEL)
    @Blocking
    public void detect(ConsumerRecord<String, String> record) {
        detection.detect(decode(record));
    }

    @Incoming(ARCHIVE_CHANNEL)
    @Blocking
    @Transactional
    public void archive(ConsumerRecord<String, String> record) {
        archive.store(decode(record));
    }

    private static AuditEventEnvelope decode(ConsumerRecord<String, String> record) {
        return EventCodec.decode(record.value(), AuditEventEnvelope.class, AuditEventEnvelope.TYPE,
                AuditEventEnvelope.VERSION);
    }
}
