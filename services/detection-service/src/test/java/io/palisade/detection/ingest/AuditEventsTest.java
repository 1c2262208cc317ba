package io.palisade.detection.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.palisade.common.problem.ProblemException;

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
