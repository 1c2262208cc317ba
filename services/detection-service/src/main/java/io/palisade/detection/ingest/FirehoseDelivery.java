package io.palisade.detection.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.ProblemException;

/**
 * Reads an Amazon Data Firehose HTTP-endpoint delivery carrying EKS audit logs: CloudWatch Logs subscription → Firehose
 * → us. The request is {@code {"requestId", "timestamp", "records": [{"data": "<base64>"}]}}; each record's data is the
 * gzip-compressed CloudWatch Logs payload {@code {"messageType", "logGroup", "logStream", "logEvents": [{"id",
 * "timestamp", "message"}]}} whose messages are one audit {@code Event} each.
 *
 * <p>Not every log event is an audit event we can use: CloudWatch's {@code CONTROL_MESSAGE} health checks are dropped
 * silently; events EKS cut short ({@code [Truncated...]}) and events from other streams of the cluster's log group
 * (authenticator, controller manager...) are dropped and counted in {@link Delivery#skipped()}. Anything else that is
 * wrong refuses the whole delivery with a 400 naming the record (and log event); nothing is accepted half.
 * Decompression stops at a byte budget for the whole delivery (413), so a small gzip bomb cannot exhaust memory.
 */
public final class FirehoseDelivery {
    private static final ObjectReader READER = EventCodec.mapper().readerFor(JsonNode.class);
    private static final String AUDIT_STREAM_PREFIX = "kube-apiserver-audit";
    private static final String TRUNCATED_SUFFIX = "[Truncated...]";

    private FirehoseDelivery() {
    }

    /**
     * The audit events of one delivery.
     *
     * @param requestId Firehose's id for the delivery, to be echoed in the answer
     * @param events    the audit events, in delivery order, each checked by {@link AuditEvents#checkEvent}
     * @param skipped   log events dropped because EKS truncated them or they came from a non-audit log stream
     */
    public record Delivery(String requestId, List<JsonNode> events, int skipped) {
    }

    /** Parses and checks a whole delivery; {@code maxDecompressedBytes} bounds all records decompressed together. */
    public static Delivery parse(byte[] body, long maxDecompressedBytes) {
        JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (IOException e) {
            throw AuditEvents.malformed("Firehose request is not valid JSON: " + reason(e));
        }
        if (root == null || !root.isObject()) {
            throw AuditEvents.malformed("expected a Firehose request {\"requestId\", \"timestamp\", \"records\"}");
        }
        JsonNode requestId = root.get("requestId");
        if (requestId == null || !requestId.isTextual() || requestId.asText().isBlank()) {
            throw AuditEvents.malformed("Firehose request has no 'requestId'");
        }
        JsonNode records = root.get("records");
        if (records == null || !records.isArray()) {
            throw AuditEvents.malformed("Firehose request has no 'records' array");
        }
        Budget budget = new Budget(maxDecompressedBytes);
        List<JsonNode> events = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < records.size(); i++) {
            String where = "records[" + i + "]";
            byte[] payload = gunzip(decodeData(records.get(i), where), where, budget);
            for (JsonNode logsPayload : readPayloads(payload, where)) {
                skipped += collect(logsPayload, where, events);
            }
        }
        return new Delivery(requestId.asText(), List.copyOf(events), skipped);
    }

    /** The delivery's requestId if the body is readable enough to find it, else null: for answering an error. */
    public static String requestIdOrNull(byte[] body) {
        try {
            JsonNode requestId = READER.readTree(body).get("requestId");
            return requestId != null && requestId.isTextual() ? requestId.asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The body Firehose expects on success: {@code {"requestId", "timestamp"}}. */
    public static String answer(String requestId, long timestampMillis) {
        return EventCodec.encode(response(requestId, timestampMillis));
    }

    /** The body Firehose expects with an error status; Firehose shows {@code errorMessage} in its delivery logs. */
    public static String errorAnswer(String requestId, long timestampMillis, String message) {
        return EventCodec.encode(response(requestId, timestampMillis).put("errorMessage", message));
    }

    private static ObjectNode response(String requestId, long timestampMillis) {
        ObjectNode node = EventCodec.mapper().createObjectNode();
        node.put("requestId", requestId);
        node.put("timestamp", timestampMillis);
        return node;
    }

    private static byte[] decodeData(JsonNode record, String where) {
        JsonNode data = record.get("data");
        if (!record.isObject() || data == null || !data.isTextual()) {
            throw AuditEvents.malformed(where + ": a record must be {\"data\": \"<base64>\"}");
        }
        try {
            return Base64.getDecoder().decode(data.asText());
        } catch (IllegalArgumentException e) {
            throw AuditEvents.malformed(where + ": 'data' is not base64: " + e.getMessage());
        }
    }

    private static byte[] gunzip(byte[] compressed, String where, Budget budget) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(
                    (int) Math.min(compressed.length * 4L + 64, 1 << 20));
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0;) {
                budget.spend(n);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw AuditEvents.malformed(where + ": 'data' is not gzip-compressed CloudWatch Logs data ("
                    + e.getMessage() + ")");
        }
    }

    /** Firehose may put more than one CloudWatch Logs payload into one record, one after the other. */
    private static List<JsonNode> readPayloads(byte[] payload, String where) {
        List<JsonNode> payloads = new ArrayList<>();
        try (MappingIterator<JsonNode> values = READER.readValues(payload)) {
            while (values.hasNextValue()) {
                payloads.add(values.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            throw AuditEvents.malformed(where + ": decompressed data is not JSON: " + reason(e));
        }
        if (payloads.isEmpty()) {
            throw AuditEvents.malformed(where + ": decompressed data is empty");
        }
        return payloads;
    }

    /** Adds the payload's audit events to {@code events}; returns how many log events were skipped. */
    private static int collect(JsonNode payload, String where, List<JsonNode> events) {
        String messageType = payload.path("messageType").asText("");
        if ("CONTROL_MESSAGE".equals(messageType)) {
            return 0;
        }
        if (!"DATA_MESSAGE".equals(messageType)) {
            throw AuditEvents.malformed(where + ": not a CloudWatch Logs subscription payload (messageType '"
                    + messageType + "', expected DATA_MESSAGE or CONTROL_MESSAGE)");
        }
        JsonNode logEvents = payload.get("logEvents");
        if (logEvents == null || !logEvents.isArray()) {
            throw AuditEvents.malformed(where + ": CloudWatch Logs payload has no 'logEvents' array");
        }
        if (!payload.path("logStream").asText("").startsWith(AUDIT_STREAM_PREFIX)) {
            return logEvents.size();
        }
        int skipped = 0;
        for (int j = 0; j < logEvents.size(); j++) {
            String at = where + ".logEvents[" + j + "]";
            JsonNode message = logEvents.get(j).get("message");
            if (message == null || !message.isTextual()) {
                throw AuditEvents.malformed(at + ": log event has no 'message'");
            }
            if (message.asText().stripTrailing().endsWith(TRUNCATED_SUFFIX)) {
                skipped++;
                continue;
            }
            JsonNode event;
            try {
                event = READER.readTree(message.asText());
            } catch (IOException e) {
                throw AuditEvents.malformed(at + ": message is not JSON: " + reason(e));
            }
            if (event == null) {
                throw AuditEvents.malformed(at + ": message is empty");
            }
            events.add(AuditEvents.checkEvent(event, at));
        }
        return skipped;
    }

    private static String reason(Exception e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    /** Decompressed bytes still allowed for this delivery. */
    private static final class Budget {
        private final long limit;
        private long spent;

        Budget(long limit) {
            this.limit = limit;
        }

        void spend(int bytes) {
            spent += bytes;
            if (spent > limit) {
                throw new ProblemException(413, "Payload Too Large", "Firehose records decompress to more than "
                        + limit + " bytes, the limit for one delivery");
            }
        }
    }
}
