package io.palisade.detection.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.ProblemException;
import io.palisade.detection.engine.RuleFixtures;

class AuditEventsTest {
    static final String EVENT = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"%s\","
            + "\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"stageTimestamp\":\"2026-01-01T00:00:00.000001Z\"}";

    static AuditEvents.Batch parse(String body) {
        return AuditEvents.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAnEventListOfEitherVersion() {
        String list = "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/%s\",\"items\":[" + EVENT.formatted("a")
                + "," + EVENT.formatted("b") + "]}";
        assertEquals(2, parse(list.formatted("v1")).events().size());
        assertEquals("EventList", parse(list.formatted("v1beta1")).format());
    }

    /**
     * The webhook's EventList is read without a tree ({@link AuditEvents#eventListAsSent}), each event passed on as
     * its text; whatever that way accepts, the general way accepts alike, event for event. Every rule fixture's event
     * in one EventList, then the list with one character changed at random, many times.
     */
    @Test
    void anEventListReadAsSentGivesTheEventsTheGeneralWayGives() throws IOException {
        List<String> events = new ArrayList<>();
        int id = 0;
        for (RuleFixtures.FixtureFile file : RuleFixtures.load().values()) {
            for (RuleFixtures.Case c : file.fire()) {
                ObjectNode event = (ObjectNode) c.event().deepCopy();
                event.put("auditID", "fixture-" + id++);
                events.add(EventCodec.encode(event));
            }
        }
        events.add(EVENT.formatted("with-a-nul").replace("\"get\"", "\"g\\u0000et\""));
        String body = "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[\n  "
                + String.join(",\n  ", events) + "]}";
        AuditEvents.Batch asSent = AuditEvents.eventListAsSent(body.getBytes(StandardCharsets.UTF_8));
        assertTrue(asSent != null, "a well-formed EventList is read as sent");
        assertSameEvents(AuditEvents.parseWhole(body.getBytes(StandardCharsets.UTF_8)), asSent);
        assertTrue(asSent.events().get(asSent.events().size() - 1).isObject(), "an event with a NUL is read whole");

        Random random = new Random(20261121);
        String replacements = "{}[]:,\"\\ 0123456789-.etfnulx\u0001é";
        int readAsSent = 0;
        for (int i = 0; i < 3000; i++) {
            int at = random.nextInt(body.length());
            String mutated = body.substring(0, at) + replacements.charAt(random.nextInt(replacements.length()))
                    + body.substring(at + 1);
            byte[] bytes = mutated.getBytes(StandardCharsets.UTF_8);
            AuditEvents.Batch fast = AuditEvents.eventListAsSent(bytes);
            if (fast != null) {
                assertSameEvents(AuditEvents.parseWhole(bytes), fast);
                readAsSent++;
            }
        }
        assertTrue(readAsSent > 500, readAsSent + " mutated lists read as sent");
    }

    private static void assertSameEvents(AuditEvents.Batch whole, AuditEvents.Batch asSent) throws IOException {
        assertEquals(whole.format(), asSent.format());
        assertEquals(whole.events().size(), asSent.events().size());
        for (int i = 0; i < whole.events().size(); i++) {
            assertEquals(whole.events().get(i), EventCodec.mapper().readTree(EventCodec.encode(asSent.events().get(i))),
                    "event " + i);
        }
    }

    @Test
    void readsABareEventAnArrayAndJsonLines() {
        assertEquals("Event", parse(EVENT.formatted("a")).format());
        assertEquals(2, parse("[" + EVENT.formatted("a") + "," + EVENT.formatted("b") + "]").events().size());
        var lines = parse(EVENT.formatted("a") + "\n" + EVENT.formatted("b") + "\n\n" + EVENT.formatted("c") + "\n");
        assertEquals("JSONLines", lines.format());
        assertEquals(3, lines.events().size());
    }

    @Test
    void readsFalcosFixtureFile() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/falco-fixtures/attach_cluster_admin_role.json")) {
            assertEquals(1, AuditEvents.parse(in.readAllBytes()).events().size());
        }
    }

    @Test
    void refusesFalcosUnrecognisedDataFixture() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/falco-fixtures/fal_01_003.json")) {
            byte[] body = in.readAllBytes();
            var e = assertThrows(ProblemException.class, () -> AuditEvents.parse(body));
            assertEquals(400, e.toProblem().status());
            assertTrue(e.getMessage().contains("not recognized as a k8s audit event"), e.getMessage());
        }
    }

    @Test
    void refusesTimesNoClockWroteWhichNoWindowOrDatabaseCouldHold() {
        // found by IngestAndApiFuzzTest: accepted, then dead-lettered with "long overflow"
        for (String time : new String[] {"+1000000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
                "+10000-01-01T00:00:00Z"}) {
            var e = assertThrows(ProblemException.class, () -> parse(EVENT.formatted("a")
                    .replace("2026-01-01T00:00:00.000001Z", time)), time);
            assertTrue(e.getMessage().contains("RFC 3339 time of the years 1 to 9999"), e.getMessage());
        }
        // a received time out of range is not used: the stage time is
        var event = parse(EVENT.formatted("a").replace("}", ",\"requestReceivedTimestamp\":\"+99999-01-01T00:00:00Z\"}"))
                .events().get(0);
        assertEquals(java.time.Instant.parse("2026-01-01T00:00:00.000001Z"), AuditEvents.requestTime(event));
    }

    @Test
    void namesTheItemThatIsWrong() {
        String list = "{\"kind\":\"EventList\",\"items\":[" + EVENT.formatted("a") + ",{\"kind\":\"Event\"}]}";
        var e = assertThrows(ProblemException.class, () -> parse(list));
        assertTrue(e.getMessage().contains("items[1]") && e.getMessage().contains("auditID"), e.getMessage());
        var truncated = assertThrows(ProblemException.class, () -> parse("{\"kind\":\"EventList\",\"items\":["));
        assertTrue(truncated.getMessage().contains("not valid JSON"), truncated.getMessage());
        assertThrows(ProblemException.class, () -> parse(""));
        assertThrows(ProblemException.class,
                () -> parse("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v2\",\"items\":[]}"));
    }
}
