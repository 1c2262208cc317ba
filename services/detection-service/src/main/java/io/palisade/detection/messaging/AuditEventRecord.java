package io.palisade.detection.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.MalformedEventException;
import io.palisade.detection.engine.FieldIndex;

/**
 * A record of {@code palisade.audit-events} as a consumer group reads it: the envelope with only the parts of the
 * event the group reads (its {@link FieldIndex}: the detector's rules, the archive's columns), and the event's JSON
 * text as it stands in the record, for what needs the whole event (raising an alert, storing it), and whether that
 * text is plain ({@link FieldIndex.Enveloped#plain}: PostgreSQL stores it as it is). The record is
 * checked whole either way: a malformed one is a {@link MalformedEventException}, the group dead-letters it.
 */
public record AuditEventRecord(AuditEventEnvelope envelope, String eventJson, boolean plainJson) {
    private static final String EVENT_FIELD = "event";

    /** A record's value as Kafka holds it (UTF-8), read where it stands. */
    public static AuditEventRecord read(byte[] record, FieldIndex index) {
        if (blank(record)) {
            throw new MalformedEventException("empty record value where an '" + AuditEventEnvelope.TYPE
                    + "' event was expected");
        }
        FieldIndex.Enveloped read;
        try {
            read = index.readEnveloped(record, EVENT_FIELD);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not a valid '" + AuditEventEnvelope.TYPE + "' event: "
                    + e.getOriginalMessage(), e);
        }
        AuditEventEnvelope envelope = EventCodec.decode(read.envelope(), AuditEventEnvelope.class,
                AuditEventEnvelope.TYPE, AuditEventEnvelope.VERSION);
        if (read.event() == null) {
            throw new MalformedEventException("an '" + AuditEventEnvelope.TYPE + "' record without its event");
        }
        return new AuditEventRecord(envelope.withEvent(read.event()), read.eventJson(), read.plain());
    }

    private static boolean blank(byte[] record) {
        if (record != null) {
            for (byte b : record) {
                if (b < 0 || !Character.isWhitespace(b)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The whole event, read from its JSON text. */
    public JsonNode wholeEvent() {
        try {
            return EventCodec.mapper().readTree(eventJson);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not a valid audit event: " + e.getOriginalMessage(), e);
        }
    }
}
