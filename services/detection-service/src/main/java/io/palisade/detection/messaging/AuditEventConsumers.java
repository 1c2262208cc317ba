package io.palisade.detection.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.events.SensorEventEnvelope;
import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.persistence.AuditArchive;
import io.palisade.detection.service.DetectionService;
import io.smallrye.common.annotation.Blocking;

/**
 * The two consumer groups of {@code palisade.audit-events}: the detector (rules → alerts, sensor events → node
 * alerts) and the archiver (audit events only). Each
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
        if (SensorEventEnvelope.TYPE.equals(EventCodec.peekType(record.value()))) {
            detection.detect(EventCodec.decode(record.value(), SensorEventEnvelope.class, SensorEventEnvelope.TYPE,
                    SensorEventEnvelope.VERSION));
        } else {
            detection.detect(decode(record));
        }
    }

    @Incoming(ARCHIVE_CHANNEL)
    @Blocking
    @Transactional
    public void archive(ConsumerRecord<String, String> record) {
        // Sensor events share the topic but are not audit events: the archive keeps audit logs only, and only the
        // clusters' own (a simulation's synthetic events are not activity of the cluster).
        if (!SensorEventEnvelope.TYPE.equals(EventCodec.peekType(record.value()))) {
            AuditEventEnvelope envelope = decode(record);
            if (!envelope.simulated()) {
                archive.store(envelope);
            }
        }
    }

    private static AuditEventEnvelope decode(ConsumerRecord<String, String> record) {
        return EventCodec.decode(record.value(), AuditEventEnvelope.class, AuditEventEnvelope.TYPE,
                AuditEventEnvelope.VERSION);
    }
}
