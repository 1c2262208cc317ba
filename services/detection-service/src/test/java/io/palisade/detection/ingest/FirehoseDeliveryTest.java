package io.palisade.detection.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.ProblemException;

class FirehoseDeliveryTest {
    private static final long LIMIT = 16L * 1024 * 1024;
    private static final String AUDIT_STREAM = "kube-apiserver-audit-71976ca11bea5d3083393f7d32dab75b";

    static String auditEvent(String auditId) {
        return ("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"%s\","
                + "\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/default/pods\",\"verb\":\"list\","
                + "\"user\":{\"username\":\"kubernetes-admin\"},\"sourceIPs\":[\"192.0.2.10\"],"
                + "\"requestReceivedTimestamp\":\"2026-01-01T00:00:00.000001Z\","
                + "\"stageTimestamp\":\"2026-01-01T00:00:00.004211Z\"}").formatted(auditId);
    }

    /** The CloudWatch Logs subscription payload, as CloudWatch serialises it before gzipping. */
    static ObjectNode logsPayload(String messageType, String logStream, String... messages) {
        ObjectNode payload = EventCodec.mapper().createObjectNode();
        payload.put("messageType", messageType);
        payload.put("owner", "123456789012");
        payload.put("logGroup", "/aws/eks/prod-eu/cluster");
        payload.put("logStream", logStream);
        payload.putArray("subscriptionFilters").add("palisade-audit");
        ArrayNode logEvents = payload.putArray("logEvents");
        for (int i = 0; i < messages.length; i++) {
            logEvents.addObject().put("id", "3719" + i).put("timestamp", 1767225600000L + i)
                    .put("message", messages[i]);
        }
        return payload;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String record(JsonNode payload) {
        return Base64.getEncoder().encodeToString(gzip(EventCodec.encode(payload).getBytes(StandardCharsets.UTF_8)));
    }

    /** The Firehose HTTP-endpoint request around already base64-encoded record data. */
    static byte[] request(String requestId, String... data) {
        ObjectNode request = EventCodec.mapper().createObjectNode();
        if (requestId != null) {
            request.put("requestId", requestId);
        }
        request.put("timestamp", 1767225601234L);
        ArrayNode records = request.putArray("records");
        for (String d : data) {
            records.addObject().put("data", d);
        }
        return EventCodec.encode(request).getBytes(StandardCharsets.UTF_8);
    }

    static List<String> auditIds(FirehoseDelivery.Delivery delivery) {
        List<String> ids = new ArrayList<>();
        delivery.events().forEach(e -> ids.add(e.get("auditID").asText()));
        return ids;
    }

    @Test
    void readsAuditEventsFromEveryRecordAndSkipsWhatIsNotAnAuditEvent() {
        String control = record(logsPayload("CONTROL_MESSAGE", "",
                "CWL CONTROL MESSAGE: Checking health of destination Firehose."));
        String audit = record(logsPayload("DATA_MESSAGE", AUDIT_STREAM, auditEvent("a"), auditEvent("b"),
                "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\" [Truncated...]",
                auditEvent("c")));
        String authenticator = record(logsPayload("DATA_MESSAGE", "authenticator-71976ca11bea5d30",
                "time=\"2026-01-01T00:00:00Z\" level=info msg=\"access granted\"", "another authenticator line"));
        String more = record(logsPayload("DATA_MESSAGE", AUDIT_STREAM, auditEvent("d")));

        var delivery = FirehoseDelivery.parse(request("a4f1c2e0-req", control, audit, authenticator, more), LIMIT);

        assertEquals("a4f1c2e0-req", delivery.requestId());
        assertEquals(List.of("a", "b", "c", "d"), auditIds(delivery));
        assertEquals(3, delivery.skipped(), "one truncated event and two authenticator lines");
    }

    @Test
    void readsSeveralPayloadsConcatenatedInOneRecord() {
        byte[] two = (EventCodec.encode(logsPayload("DATA_MESSAGE", AUDIT_STREAM, auditEvent("a")))
                + EventCodec.encode(logsPayload("DATA_MESSAGE", AUDIT_STREAM, auditEvent("b"))))
                .getBytes(StandardCharsets.UTF_8);
        var delivery = FirehoseDelivery.parse(request("r", Base64.getEncoder().encodeToString(gzip(two))), LIMIT);
        assertEquals(List.of("a", "b"), auditIds(delivery));
    }

    @Test
    void anEmptyDeliveryHasNoEvents() {
        var delivery = FirehoseDelivery.parse(request("r"), LIMIT);
        assertEquals(List.of(), delivery.events());
        assertEquals(0, delivery.skipped());
    }

    @Test
    void namesTheRecordThatIsNotBase64() {
        String good = record(logsPayload("DATA_MESSAGE", AUDIT_STREAM, auditEvent("a")));
        var e = assertThrows(ProblemException.class,
                () -> FirehoseDelivery.parse(request("r", good, "not base64 at all!"), LIMIT));
        assertEquals(400, e.toProblem().status());
        assertTrue(e.getMessage().startsWith("Malformed audit log: records[1]: 'data' is not base64"),
                e.getMessage());
    }

    @Test
    void namesTheRecordThatIsNotGzip() {
        String plain = Base64.getEncoder().encodeToString(
                EventCodec.encode(logsPayload("DATA_MESSAGE", AUDIT_STREAM, auditEvent("a")))
                        .getBytes(StandardCharsets.UTF_8));
        var e = assertThrows(ProblemException.class, () -> FirehoseDelivery.parse(request("r", plain), LIMIT));
        assertEquals(400, e.toProblem().status());
        assertTrue(e.getMessage().startsWith("Malformed audit log: records[0]: 'data' is not gzip-compressed"),
                e.getMessage());
    }

    @Test
    void namesTheLogEventThatIsNotAnAuditEvent() {
        String notJson = record(logsPayload("DATA_MESSAGE", AUDIT_STREAM, auditEvent("a"), "I0101 00:00:00 hello"));
        var e = assertThrows(ProblemException.class, () -> FirehoseDelivery.parse(request("r", notJson), LIMIT));
        assertTrue(e.getMessage().startsWith("Malformed audit log: records[0].logEvents[1]: message is not JSON"),
                e.getMessage());

        String noAuditId = record(logsPayload("DATA_MESSAGE", AUDIT_STREAM,
                "{\"kind\":\"Event\",\"verb\":\"get\",\"stage\":\"ResponseComplete\"}"));
        String good = record(logsPayload("DATA_MESSAGE", AUDIT_STREAM, auditEvent("a")));
        var missing = assertThrows(ProblemException.class,
                () -> FirehoseDelivery.parse(request("r", good, noAuditId), LIMIT));
        assertEquals("Malformed audit log: records[1].logEvents[0]: 'auditID' is missing", missing.getMessage());
    }

    @Test
    void refusesWhatIsNotACloudWatchLogsPayloadOrAFirehoseRequest() {
        ObjectNode other = EventCodec.mapper().createObjectNode().put("hello", "world");
        var notLogs = assertThrows(ProblemException.class,
                () -> FirehoseDelivery.parse(request("r", record(other)), LIMIT));
        assertTrue(notLogs.getMessage().contains("records[0]: not a CloudWatch Logs subscription payload"),
                notLogs.getMessage());

        String audit = record(logsPayload("DATA_MESSAGE", AUDIT_STREAM, auditEvent("a")));
        var noId = assertThrows(ProblemException.class, () -> FirehoseDelivery.parse(request(null, audit), LIMIT));
        assertEquals("Malformed audit log: Firehose request has no 'requestId'", noId.getMessage());
        var notJson = assertThrows(ProblemException.class,
                () -> FirehoseDelivery.parse("{\"requestId\":".getBytes(StandardCharsets.UTF_8), LIMIT));
        assertTrue(notJson.getMessage().contains("Firehose request is not valid JSON"), notJson.getMessage());
    }

    @Test
    void stopsDecompressingAGzipBombWith413() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 50; i++) {
                gz.write(zeros);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bomb = out.toByteArray();
        assertTrue(bomb.length < 200_000, "50 MB of zeros compress to " + bomb.length + " bytes");

        var e = assertThrows(ProblemException.class, () -> FirehoseDelivery.parse(
                request("r", Base64.getEncoder().encodeToString(bomb)), LIMIT));
        assertEquals(413, e.toProblem().status());
        assertEquals("Payload Too Large", e.toProblem().title());
        assertTrue(e.getMessage().contains(Long.toString(LIMIT)), e.getMessage());
    }

    @Test
    void theBudgetCoversAllRecordsOfADeliveryTogether() {
        String audit = record(logsPayload("DATA_MESSAGE", AUDIT_STREAM, auditEvent("a")));
        int oneRecord = EventCodec.encode(logsPayload("DATA_MESSAGE", AUDIT_STREAM, auditEvent("a"))).length();
        assertEquals(1, FirehoseDelivery.parse(request("r", audit), oneRecord).events().size());
        var e = assertThrows(ProblemException.class,
                () -> FirehoseDelivery.parse(request("r", audit, audit), oneRecord + 10L));
        assertEquals(413, e.toProblem().status());
    }

    @Test
    void readsTheRequestIdLenientlyForErrorAnswers() {
        assertEquals("r-1", FirehoseDelivery.requestIdOrNull(request("r-1", "%%%")));
        assertNull(FirehoseDelivery.requestIdOrNull("{\"requestId\":".getBytes(StandardCharsets.UTF_8)));
        assertNull(FirehoseDelivery.requestIdOrNull(new byte[0]));
    }

    @Test
    void answersInTheShapeFirehoseExpects() throws IOException {
        JsonNode ok = EventCodec.mapper().readTree(FirehoseDelivery.answer("r-1", 1767225602000L));
        assertEquals("{\"requestId\":\"r-1\",\"timestamp\":1767225602000}", ok.toString());
        JsonNode error = EventCodec.mapper().readTree(
                FirehoseDelivery.errorAnswer("r-1", 1767225602000L, "Malformed audit log: records[0]: ..."));
        assertEquals("r-1", error.get("requestId").asText());
        assertEquals(1767225602000L, error.get("timestamp").asLong());
        assertEquals("Malformed audit log: records[0]: ...", error.get("errorMessage").asText());
    }
}
