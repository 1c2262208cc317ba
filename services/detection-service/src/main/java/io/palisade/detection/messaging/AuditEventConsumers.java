package io.palisade.detection.messaging;

import static io.palisade.common.messaging.TransientFailures.retryWhileTransient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.palisade.common.events.SensorEventEnvelope;
import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.persistence.AuditArchive;
import io.palisade.detection.service.DetectionService;
import io.smallrye.common.annotation.Blocking;

/**
 * The two consumer groups of {@code palisade.audit-events}: the detector (rules → alerts, sensor events → node
 * alerts) and the archiver (audit events only). Both read the topic in batches (one poll's records) and commit a
 * batch only after its work is done (at-least-once); both are idempotent. A record of a batch that cannot be read or
 * handled goes alone to {@code palisade.audit-events.dlq} with the reason ({@link DeadLetters}); the rest of the batch
 * goes on. A database that is away is waited for (TransientFailures), never a reason for a dead letter. Records are
 * read as the bytes Kafka holds ({@link io.palisade.detection.engine.FieldIndex} reads UTF-8 where it stands): no
 * String is made of a record, only of what is read of it.
 */
@ApplicationScoped
public class AuditEventConsumers {
    public static final String DETECTOR_CHANNEL = "audit-detector-in";
    public static final String ARCHIVE_CHANNEL = "audit-archive-in";
    private static final Logger LOG = Logger.getLogger(AuditEventConsumers.class);

    private final DetectionService detection;
    private final AuditArchive archive;
    private final DeadLetters deadLetters;

    public AuditEventConsumers(DetectionService detection, AuditArchive archive, DeadLetters deadLetters) {
        this.detection = detection;
        this.archive = archive;
        this.deadLetters = deadLetters;
    }

    @Incoming(DETECTOR_CHANNEL)
    @Blocking
    public void detect(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                if (SensorEventEnvelope.TYPE.equals(EventCodec.leadingType(record.value()))) {
                    SensorEventEnvelope event = EventCodec.decode(new String(record.value(), StandardCharsets.UTF_8),
                            SensorEventEnvelope.class, SensorEventEnvelope.TYPE, SensorEventEnvelope.VERSION);
                    retryWhileTransient("Detecting on a sensor event", () -> detection.detect(event));
                } else {
                    retryWhileTransient("Detecting on an audit event", () -> detection.detect(record.value()));
                }
            } catch (RuntimeException e) {
                deadLetter(record, e);
            }
        }
    }

    @Incoming(ARCHIVE_CHANNEL)
    @Blocking
    public void archive(ConsumerRecords<String, byte[]> records) {
        // Sensor events share the topic but are not audit events: the archive keeps audit logs only, and only the
        // clusters' own (a simulation's synthetic events are not activity of the cluster). A sensor record is skipped
        // by its leading type unread: the detector group reads it whole, and a broken one is a dead letter there.
        List<AuditEventRecord> archived = new ArrayList<>(records.count());
        List<ConsumerRecord<String, byte[]>> sources = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                if (!SensorEventEnvelope.TYPE.equals(EventCodec.leadingType(record.value()))) {
                    AuditEventRecord read = AuditEventRecord.read(record.value(), AuditArchive.columns());
                    if (!read.envelope().simulated()) {
                        archived.add(read);
                        sources.add(record);
                    }
                }
            } catch (RuntimeException e) {
                deadLetter(record, e);
            }
        }
        if (archived.isEmpty()) {
            return;
        }
        try {
            retryWhileTransient("Archiving a batch of audit events", () -> archive.storeAll(archived));
        } catch (RuntimeException batchFailure) {
            // one event the database refuses must not take the batch with it: store them one by one
            LOG.debugf(batchFailure, "Archiving a batch of %d failed; storing its events one by one", archived.size());
            for (int i = 0; i < archived.size(); i++) {
                AuditEventRecord event = archived.get(i);
                try {
                    retryWhileTransient("Archiving an audit event", () -> archive.storeAll(List.of(event)));
                } catch (RuntimeException e) {
                    deadLetter(sources.get(i), e);
                }
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, RuntimeException failure) {
        LOG.warnf("Record %s-%d@%d of %s goes to the dead-letter topic: %s", record.topic(), record.partition(),
                record.offset(), record.key(), failure.getMessage());
        // a broker that is away is waited for here too: the batch's offsets are committed only after the dead letter
        retryWhileTransient("Dead-lettering " + record.topic() + "-" + record.partition() + "@" + record.offset(),
                () -> deadLetters.send(record, failure));
    }
}
