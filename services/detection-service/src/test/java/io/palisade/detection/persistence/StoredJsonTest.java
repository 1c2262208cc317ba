package io.palisade.detection.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;

/** What an alert shows of an event stays small and readable whatever a forged event carries. */
class StoredJsonTest {
    private static ObjectNode event() {
        ObjectNode event = EventCodec.mapper().createObjectNode();
        event.put("kind", "Event").put("auditID", "a-1").put("verb", "create").put("stage", "ResponseComplete");
        event.putObject("user").put("username", "mallory");
        event.putObject("objectRef").put("resource", "clusterrolebindings").put("name", "x");
        return event;
    }

    @Test
    void longValuesAreCutToTheLimitSayingHowLongTheyWereAndCuttingAgainChangesNothing() {
        ObjectNode event = event();
        event.putObject("annotations").put("note", "A".repeat(10_000));
        JsonNode evidence = StoredJson.evidence(event);
        String note = evidence.at("/annotations/note").asText();
        assertEquals(StoredJson.MAX_EVIDENCE_VALUE_CHARS, note.length());
        assertTrue(note.endsWith("…<10000 characters; the full event is in the audit archive>"), note);
        assertEquals(evidence, StoredJson.shortenLongValues(evidence.deepCopy()), "cutting again changes nothing");
    }

    @Test
    void longArraysAreCutSayingHowLongTheyWere() {
        ObjectNode event = event();
        var groups = ((ObjectNode) event.get("user")).putArray("groups");
        for (int i = 0; i < 100_000; i++) {
            groups.add("g" + i);
        }
        JsonNode evidence = StoredJson.evidence(event);
        JsonNode shown = evidence.at("/user/groups");
        assertEquals(StoredJson.MAX_EVIDENCE_ARRAY_ELEMENTS, shown.size());
        assertEquals("…<100000 elements; the full event is in the audit archive>", shown.get(shown.size() - 1).asText());
        assertEquals(evidence, StoredJson.shortenLongValues(evidence.deepCopy()), "cutting again changes nothing");
    }

    @Test
    void aDocumentOfFixedShapeHasItsArraysCutWithoutANoteThatWouldNotFitTheirType() {
        // found by IngestAndApiFuzzTest: a note among an alert's entities made the alert unreadable to alert-service
        ObjectNode alert = EventCodec.mapper().createObjectNode();
        var entities = alert.putArray("entities");
        for (int i = 0; i < 150; i++) {
            entities.addObject().put("type", "ip").put("address", "10.0.0." + i);
        }
        JsonNode cut = StoredJson.shortenLongValuesKeepingShape(alert);
        assertEquals(StoredJson.MAX_EVIDENCE_ARRAY_ELEMENTS, cut.get("entities").size());
        cut.get("entities").forEach(entity -> assertTrue(entity.isObject(), entity.toString()));
    }

    @Test
    void anEventStillTooLargeOnceCutIsShownByWhatSaysWhatHappened() {
        ObjectNode event = event();
        for (int i = 0; i < 40; i++) {
            event.put("pad" + i, "p".repeat(StoredJson.MAX_EVIDENCE_VALUE_CHARS));
        }
        JsonNode evidence = StoredJson.evidence(event);
        assertTrue(EventCodec.encode(evidence).length() < StoredJson.MAX_EVIDENCE_EVENT_CHARS);
        assertEquals("a-1", evidence.path("auditID").asText());
        assertEquals("mallory", evidence.at("/user/username").asText());
        assertEquals("x", evidence.at("/objectRef/name").asText());
        assertFalse(evidence.has("pad0"));
        assertTrue(evidence.path("omitted").asText().contains("the full event is in the audit archive"));
    }

    @Test
    void nulIsReplacedInNamesAndValues() {
        ObjectNode event = event();
        event.put("a\u0000b", "c\u0000d");
        JsonNode stored = StoredJson.withoutNul(event);
        assertEquals("c\uFFFDd", stored.path("a\uFFFDb").asText());
        assertFalse(EventCodec.encode(stored).contains("\\u0000"));
    }
}
