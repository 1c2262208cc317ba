package io.palisade.detection.persistence;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.palisade.common.messaging.EventCodec;

/**
 * Events as Palisade stores and shows them. PostgreSQL's {@code jsonb} cannot hold the NUL character, which
 * Kubernetes accepts in annotation and ConfigMap values: it is replaced by U+FFFD, so such an event is still archived
 * and still raises its alerts. Evidence shown with an alert is further reduced: secret and ConfigMap values are
 * redacted (an alert reader must not learn the credentials a rule found), large request or response objects are
 * left out and long values cut (the full event stays in the audit archive).
 */
public final class StoredJson {
    /** Request or response objects larger than this (as JSON) are left out of evidence. */
    public static final int MAX_EVIDENCE_OBJECT_CHARS = 16 * 1024;
    private static final Set<String> VALUE_HOLDERS = Set.of("data", "binaryData", "stringData");
    private static final Set<String> REDACTED_RESOURCES = Set.of("secrets", "configmaps");
    private static final char NUL = '\u0000';

    private StoredJson() {
    }

    /** The event with every NUL (in values and names) replaced; the same node when there is none. */
    public static JsonNode withoutNul(JsonNode node) {
        return containsNul(node) ? replaceNul(node) : node;
    }

    /** What an alert shows of an audit event: NUL-free, secret values redacted, large objects left out. */
    public static JsonNode evidence(JsonNode auditEvent) {
        if (!auditEvent.isObject()) {
            return withoutNul(auditEvent);
        }
        ObjectNode copy = (ObjectNode) replaceNul(auditEvent);
        boolean redact = REDACTED_RESOURCES.contains(copy.path("objectRef").path("resource").asText());
        for (String field : List.of("requestObject", "responseObject")) {
            JsonNode object = copy.get(field);
            if (object == null) {
                continue;
            }
            if (redact) {
                redactValues(object);
            }
            int size = EventCodec.encode(object).length();
            if (size > MAX_EVIDENCE_OBJECT_CHARS) {
                copy.putObject(field).put("omitted", size + " characters; the full event is in the audit archive");
            }
        }
        shortenLongValuesIn(copy, true);
        int size = EventCodec.encode(copy).length();
        return size > MAX_EVIDENCE_EVENT_CHARS ? summary(copy, size) : copy;
    }

    /** An evidence event larger than this (once cut) is shown by the fields that say what happened. */
    public static final int MAX_EVIDENCE_EVENT_CHARS = 64 * 1024;
    private static final List<String> SUMMARY_FIELDS = List.of("kind", "apiVersion", "level", "auditID", "stage",
            "requestURI", "verb", "user", "sourceIPs", "userAgent", "objectRef", "responseStatus",
            "requestReceivedTimestamp", "stageTimestamp");

    private static JsonNode summary(ObjectNode event, int size) {
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        for (String field : SUMMARY_FIELDS) {
            JsonNode value = event.get(field);
            if (value != null && EventCodec.encode(value).length() <= MAX_EVIDENCE_VALUE_CHARS) {
                summary.set(field, value);
            }
        }
        summary.put("omitted", "the rest of this event (" + size + " characters); the full event is in the audit "
                + "archive");
        return summary;
    }

    /** Values longer than this (an annotation of a megabyte) are cut in evidence, saying how long they were. */
    public static final int MAX_EVIDENCE_VALUE_CHARS = 4 * 1024;
    /** Arrays longer than this are cut in evidence, saying how long they were. */
    public static final int MAX_EVIDENCE_ARRAY_ELEMENTS = 100;

    /**
     * Cuts, in place, every value longer than {@link #MAX_EVIDENCE_VALUE_CHARS} and every array longer than
     * {@link #MAX_EVIDENCE_ARRAY_ELEMENTS} (saying how long they were) and returns
     * the node: what an alert shows of its events and in its own fields stays readable and small.
     */
    public static JsonNode shortenLongValues(JsonNode node) {
        shortenLongValuesIn(node, true);
        return node;
    }

    /**
     * The same for a document of a fixed shape (an alert): arrays are cut without the note, which would not fit the
     * type of their elements (an alert names at most that many entities; its evidence says how many there were).
     */
    public static JsonNode shortenLongValuesKeepingShape(JsonNode node) {
        shortenLongValuesIn(node, false);
        return node;
    }

    private static void shortenLongValuesIn(JsonNode node, boolean noteInArrays) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (String name : fieldNames(object)) {
                JsonNode value = object.get(name);
                if (value.isTextual() && value.asText().length() > MAX_EVIDENCE_VALUE_CHARS) {
                    object.put(name, shortened(value.asText()));
                } else {
                    shortenLongValuesIn(value, noteInArrays);
                }
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            if (array.size() > MAX_EVIDENCE_ARRAY_ELEMENTS) {
                // the note is the last of the limit's elements, so cutting again changes nothing
                int elements = array.size();
                while (array.size() > MAX_EVIDENCE_ARRAY_ELEMENTS - (noteInArrays ? 1 : 0)) {
                    array.remove(array.size() - 1);
                }
                if (noteInArrays) {
                    array.add("…<" + elements + " elements; the full event is in the audit archive>");
                }
            }
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (element.isTextual() && element.asText().length() > MAX_EVIDENCE_VALUE_CHARS) {
                    array.set(i, TextNode.valueOf(shortened(element.asText())));
                } else {
                    shortenLongValuesIn(element, noteInArrays);
                }
            }
        }
    }

    /** The object's field names, taken before its fields are replaced. */
    private static List<String> fieldNames(ObjectNode object) {
        List<String> names = new ArrayList<>(object.size());
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** At most {@link #MAX_EVIDENCE_VALUE_CHARS} characters, the note included (so cutting again changes nothing). */
    private static String shortened(String value) {
        String note = "…<" + value.length() + " characters; the full event is in the audit archive>";
        return value.substring(0, MAX_EVIDENCE_VALUE_CHARS - note.length()) + note;
    }

    private static void redactValues(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (String name : fieldNames(object)) {
                JsonNode value = object.get(name);
                if (VALUE_HOLDERS.contains(name) && value.isObject()) {
                    ObjectNode redacted = JsonNodeFactory.instance.objectNode();
                    value.fields().forEachRemaining(e -> redacted.put(e.getKey(),
                            "<redacted: " + e.getValue().asText().length() + " characters>"));
                    object.set(name, redacted);
                } else {
                    redactValues(value);
                }
            }
        } else if (node.isArray()) {
            node.forEach(StoredJson::redactValues);
        }
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().indexOf(NUL) >= 0;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().indexOf(NUL) >= 0 || containsNul(e.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (containsNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A deep copy with NUL replaced. */
    private static JsonNode replaceNul(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(node.asText().replace(NUL, '\uFFFD'));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey().replace(NUL, '\uFFFD'), replaceNul(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(replaceNul(element)));
            return copy;
        }
        return node;
    }
}
