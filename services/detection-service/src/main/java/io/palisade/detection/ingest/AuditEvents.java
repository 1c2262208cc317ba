package io.palisade.detection.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;

import io.palisade.common.messaging.EventCodec;

import io.palisade.common.problem.ProblemException;
import io.palisade.detection.engine.FieldIndex;
import io.palisade.detection.persistence.StoredKeys;

/**
 * Reads what a Kubernetes API server (or a relay) sends: an {@code audit.k8s.io/v1} or {@code v1beta1}
 * {@code EventList}, a bare {@code Event}, a JSON array of either, or one event per line (JSON Lines). Anything else
 * is refused with a 400 that says what is wrong and where; nothing is accepted half.
 */
public final class AuditEvents {
    private static final Set<String> API_VERSIONS = Set.of("audit.k8s.io/v1", "audit.k8s.io/v1beta1");
    private static final String EXPECTED = "expected an audit.k8s.io EventList, an Event, a JSON array of them, "
            + "or one Event per line";

    private AuditEvents() {
    }

    /** The events of one request body and the format they came in. */
    public record Batch(List<JsonNode> events, String format) {
    }

    public static Batch parse(byte[] body) {
        Batch asSent = eventListAsSent(body);
        return asSent != null ? asSent : parseWhole(body);
    }

    /** What {@link #eventListAsSent} reads of an EventList: what the checks read of it and of each event. */
    private static final FieldIndex EVENT_LIST = FieldIndex.ofPaths(List.of("kind", "apiVersion", "items.*.kind",
            "items.*.apiVersion", "items.*.auditID", "items.*.verb", "items.*.stage", "items.*.stageTimestamp",
            "items.*.requestReceivedTimestamp"), "items.*", EventCodec.mapper().getNodeFactory());

    /**
     * An API server's webhook batch, an {@code EventList} of well-formed events in UTF-8, read without a tree: each
     * event is checked as {@link #checkEvent} does and passed on as its JSON text as sent (re-read only when it holds a
     * NUL, which is replaced). Null for anything else, read by {@link #parseWhole}, which also explains what is
     * wrong: the two accept the same bodies and events.
     */
    static Batch eventListAsSent(byte[] body) {
        FieldIndex.Captured read;
        try {
            if (!wellFormedUtf8(body)) {
                return null;
            }
            read = EVENT_LIST.readCapturing(body);
        } catch (JsonProcessingException e) {
            return null;
        }
        JsonNode list = read.tree();
        JsonNode items = list.path("items");
        if (!list.isObject() || !"EventList".equals(list.path("kind").asText()) || !items.isArray()) {
            return null;
        }
        List<JsonNode> events = new ArrayList<>(items.size());
        try {
            checkApiVersion(list, "body");
            for (int i = 0; i < items.size(); i++) {
                checkEvent(items.get(i), "body.items[" + i + "]");
                String json = read.texts().get(i);
                events.add(json.contains("\\u0000") ? EventCodec.mapper().readTree(json)
                        : EventCodec.mapper().getNodeFactory().rawValueNode(new RawValue(json)));
            }
        } catch (ProblemException | JsonProcessingException e) {
            return null;
        }
        return new Batch(events, "EventList");
    }

    /** Whether the bytes are well-formed UTF-8 (decoded to check only when they hold a byte beyond ASCII). */
    private static boolean wellFormedUtf8(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Any body {@link #parse} reads, read into trees. */
    static Batch parseWhole(byte[] body) {
        List<JsonNode> roots;
        try {
            roots = JsonBodies.rootValues(body);
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    + locate(j) : e.getMessage();
            throw malformed("body is not valid JSON: " + reason);
        }
        if (roots.isEmpty()) {
            throw malformed("the body is empty; " + EXPECTED);
        }
        List<JsonNode> events = new ArrayList<>();
        String format;
        if (roots.size() > 1) {
            format = "JSONLines";
            for (int i = 0; i < roots.size(); i++) {
                collect(roots.get(i), "line " + (i + 1), events, false);
            }
        } else {
            JsonNode root = roots.get(0);
            format = root.isArray() ? "JSONArray" : "Event".equals(root.path("kind").asText()) ? "Event" : "EventList";
            collect(root, "body", events, true);
        }
        return new Batch(events, format);
    }

    private static void collect(JsonNode node, String where, List<JsonNode> events, boolean arrayAllowed) {
        if (node.isArray() && arrayAllowed) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), "[" + i + "]", events, false);
            }
            return;
        }
        if (!node.isObject() || !node.path("kind").isTextual()) {
            throw malformed(where + ": data not recognized as a k8s audit event; " + EXPECTED);
        }
        String kind = node.get("kind").asText();
        checkApiVersion(node, where);
        switch (kind) {
            case "EventList" -> {
                JsonNode items = node.get("items");
                if (items == null || !items.isArray()) {
                    throw malformed(where + ": EventList has no 'items' array");
                }
                for (int i = 0; i < items.size(); i++) {
                    events.add(checkEvent(items.get(i), where + ".items[" + i + "]"));
                }
            }
            case "Event" -> events.add(checkEvent(node, where));
            default -> throw malformed(where + ": kind '" + kind + "' is not an audit Event or EventList; " + EXPECTED);
        }
    }

    /** Checks one audit event (as found in any delivery format); {@code where} names its place for the 400. */
    public static JsonNode checkEvent(JsonNode event, String where) {
        if (!event.isObject()) {
            throw malformed(where + ": an audit event must be a JSON object");
        }
        if (event.has("kind") && !"Event".equals(event.get("kind").asText())) {
            throw malformed(where + ": kind must be 'Event'");
        }
        checkApiVersion(event, where);
        for (String field : List.of("auditID", "verb", "stage")) {
            if (!event.path(field).isTextual() || event.get(field).asText().isBlank()) {
                throw malformed(where + ": '" + field + "' is missing");
            }
        }
        if (eventTimeOrNull(event) == null) {
            throw malformed(where + ": 'stageTimestamp' (or 'requestReceivedTimestamp') is missing or not an "
                    + "RFC 3339 time of the years 1 to 9999");
        }
        return event;
    }

    private static void checkApiVersion(JsonNode node, String where) {
        if (node.has("apiVersion") && !API_VERSIONS.contains(node.get("apiVersion").asText())) {
            throw malformed(where + ": apiVersion '" + node.get("apiVersion").asText() + "' is not supported; use "
                    + API_VERSIONS);
        }
    }

    /** Audit ids longer than this are stored and compared by their digest. */
    public static final int MAX_STORED_AUDIT_ID = 128;

    /**
     * The audit id as Palisade keys it: the id itself, or {@code sha256:<hex>} of an id longer than 128 characters.
     * The API server takes a client's {@code Audit-ID} header as it is, so an id can be arbitrarily long; keying by
     * digest keeps such an event archived and detected instead of failing on a column or index size.
     */
    public static String auditKey(String auditId) {
        return StoredKeys.keyOf(auditId, MAX_STORED_AUDIT_ID);
    }

    public static String auditKey(JsonNode event) {
        return auditKey(event.path("auditID").asText());
    }

    /**
     * When the request was received (the same for every stage of it), else the stage time: correlation windows are
     * taken from it, so the stages of one request, however far apart, fall into one window.
     */
    public static Instant requestTime(JsonNode event) {
        JsonNode value = event.get("requestReceivedTimestamp");
        Instant received = value != null && value.isTextual() ? EventTimes.parseOrNull(value.asText()) : null;
        return received != null ? received : eventTime(event); // else the stage time
    }

    /** When the activity happened: the stage timestamp, else when the request was received. */
    public static Instant eventTime(JsonNode event) {
        Instant time = eventTimeOrNull(event);
        return time == null ? Instant.EPOCH : time;
    }

    private static Instant eventTimeOrNull(JsonNode event) {
        for (String field : List.of("stageTimestamp", "requestReceivedTimestamp")) {
            JsonNode value = event.get(field);
            if (value != null && value.isTextual()) {
                return EventTimes.parseOrNull(value.asText());
            }
        }
        return null;
    }

    private static String locate(com.fasterxml.jackson.core.JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    public static ProblemException malformed(String detail) {
        return new ProblemException(400, "Bad Request", "Malformed audit log: " + detail);
    }
}
