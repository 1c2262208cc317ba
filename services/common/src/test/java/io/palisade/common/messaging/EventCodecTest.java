package io.palisade.common.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A record's type is read before the record is decoded; a record without one is malformed, never a crash. */
class EventCodecTest {

    @Test
    void theTypeIsReadWhereverItIsAmongTheTopLevelFields() {
        assertEquals("audit-event", EventCodec.peekType("{\"type\":\"audit-event\",\"version\":1,\"event\":{\"type\":\"x\"}}"));
        assertEquals("sensor-event", EventCodec.peekType(
                "{\"event\":{\"type\":\"nested\",\"list\":[{\"type\":\"deeper\"}]},\"version\":1,\"type\":\"sensor-event\"}"));
    }

    @Test
    void aRecordWithoutATopLevelTypeIsMalformed() {
        for (String json : new String[] { "{\"version\":1,\"event\":{\"type\":\"nested\"}}", "{\"type\":7}",
                "{\"type\":null}", "[{\"type\":\"audit-event\"}]", "\"audit-event\"", "{}", " ", "{\"type\":" }) {
            MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventCodec.peekType(json), json);
            assertTrue(e.getMessage().contains("record"), json + ": " + e.getMessage());
        }
    }

    @Test
    void aRecordBrokenAfterItsTypeIsMalformedEvenWhereItsTypeWouldBeSkipped() {
        String json = "{\"type\":\"cluster\",\"version\":1,\"event\":{\"verb\":\"get\"";
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventCodec.peekType(json));
        assertTrue(e.getMessage().startsWith("record is not JSON"), e.getMessage());
    }

    @Test
    void theLeadingTypeOfARecordEventCodecWroteIsItsFirstFieldAndAnyOtherRecordIsReadWhole() {
        String written = EventCodec.encode(io.palisade.common.events.AuditEventEnvelope.of(java.util.UUID.randomUUID(),
                java.util.UUID.randomUUID(), "AuditEventList", java.time.Instant.now(),
                EventCodec.mapper().createObjectNode().put("type", "not-this-one")));
        assertTrue(written.startsWith("{\"type\":\"audit-event\""), written);
        assertEquals("audit-event", EventCodec.leadingType(written));
        assertEquals("sensor-event", EventCodec.leadingType("{\"version\":1,\"type\":\"sensor-event\"}"));
        assertEquals("a\"b", EventCodec.leadingType("{\"type\":\"a\\\"b\",\"version\":1}"));
        assertThrows(MalformedEventException.class, () -> EventCodec.leadingType("{\"version\":1,\"event\":{"));
        assertThrows(MalformedEventException.class, () -> EventCodec.leadingType(""));
        // the same of the record's bytes
        assertEquals("audit-event", EventCodec.leadingType(written.getBytes(StandardCharsets.UTF_8)));
        for (String record : List.of("{\"version\":1,\"type\":\"sensor-event\"}", "{\"type\":\"a\\\"b\",\"version\":1}",
                "{\"type\":\"é\",\"version\":1}", "{\"type\":\"\",\"type\":\"x\"}")) {
            assertEquals(EventCodec.leadingType(record), EventCodec.leadingType(record.getBytes(StandardCharsets.UTF_8)));
        }
        assertThrows(MalformedEventException.class, () -> EventCodec.leadingType("{\"version\":1,\"event\":{".getBytes(
                StandardCharsets.UTF_8)));
        assertThrows(MalformedEventException.class, () -> EventCodec.leadingType(new byte[0]));
        assertThrows(MalformedEventException.class, () -> EventCodec.leadingType((byte[]) null));
    }
}
