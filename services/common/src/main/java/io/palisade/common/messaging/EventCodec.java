package io.palisade.common.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.palisade.common.events.VersionedEvent;

/**
 * Turns event records into the JSON carried on Kafka and back. Unknown fields are ignored (newer producers may add
 * fields); a record that is not JSON, or whose {@code type}/{@code version} the consumer does not know, is a
 * {@link MalformedEventException} and ends on the dead-letter topic.
 */
public final class EventCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private EventCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(Object event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    /** Decodes a record and checks that it is the expected type at a version this consumer understands. */
    public static <T extends VersionedEvent> T decode(String json, Class<T> type, String expectedType, int maxVersion) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty record value where a '" + expectedType + "' event was expected");
        }
        try {
            return checked(MAPPER.readValue(json, type), expectedType, maxVersion);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not a valid '" + expectedType + "' event: " + e.getOriginalMessage(), e);
        }
    }

    /** {@link #decode(String, Class, String, int)} of a record already read into a tree. */
    public static <T extends VersionedEvent> T decode(JsonNode tree, Class<T> type, String expectedType,
            int maxVersion) {
        try {
            return checked(MAPPER.treeToValue(tree, type), expectedType, maxVersion);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not a valid '" + expectedType + "' event: " + e.getOriginalMessage(), e);
        }
    }

    private static <T extends VersionedEvent> T checked(T event, String expectedType, int maxVersion) {
        if (event == null) {
            throw new MalformedEventException("empty record value where a '" + expectedType + "' event was expected");
        }
        if (!expectedType.equals(event.type())) {
            throw new MalformedEventException("expected event type '" + expectedType + "' but got '" + event.type() + "'");
        }
        if (event.version() < 1 || event.version() > maxVersion) {
            throw new MalformedEventException("unsupported version " + event.version() + " of '" + expectedType
                    + "' (this consumer reads 1.." + maxVersion + ")");
        }
        return event;
    }

    /** The {@code type} of a record, for topics that carry more than one event type. */
    public static String peekType(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty record value");
        }
        // Reads the record's tokens without building a tree (the record is parsed into objects once, by decode), to
        // its end: a record a consumer skips by its type must still be valid JSON, or it goes to the dead letters.
        try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("record is not a JSON object");
            }
            String type = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
                    type = parser.getText();
                }
                parser.skipChildren();
            }
            if (type == null) {
                throw new MalformedEventException("record has no 'type' field");
            }
            return type;
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("record is not JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new MalformedEventException("record could not be read: " + e.getMessage(), e);
        }
    }

    /** How a record EventCodec wrote begins: its {@code type} first ({@link #leadingType}). */
    private static final String LEADING_TYPE = "{\"type\":\"";
    private static final byte[] LEADING_TYPE_BYTES = LEADING_TYPE.getBytes(StandardCharsets.US_ASCII);

    /**
     * The {@code type} of a record EventCodec wrote (it writes {@code type} first), read from its first field without
     * reading the rest; a record that does not start so is read whole, as {@link #peekType} does. Only for consumers
     * that decode every record whole afterwards (or hand it to another consumer group that does), so that a broken
     * record still goes to the dead letters: it saves reading each record twice.
     */
    public static String leadingType(String json) {
        int start = LEADING_TYPE.length();
        if (json != null && json.startsWith(LEADING_TYPE)) {
            int end = json.indexOf('"', start);
            if (end > start && json.lastIndexOf('\\', end) < start) {
                return json.substring(start, end);
            }
        }
        return peekType(json);
    }

    /** {@link #leadingType(String)} of a record's UTF-8 bytes, read where they stand (decoded only when needed). */
    public static String leadingType(byte[] json) {
        int start = LEADING_TYPE_BYTES.length;
        if (json != null && json.length > start && Arrays.equals(json, 0, start, LEADING_TYPE_BYTES, 0, start)) {
            for (int end = start; end < json.length && json[end] != '\\'; end++) {
                if (json[end] == '"') {
                    if (end > start) {
                        return new String(json, start, end - start, StandardCharsets.UTF_8);
                    }
                    break;
                }
            }
        }
        return peekType(json == null ? null : new String(json, StandardCharsets.UTF_8));
    }

    /** The id a record is keyed by; a key that is not an id makes the record malformed. */
    public static UUID idKey(String key) {
        try {
            return UUID.fromString(key);
        } catch (RuntimeException e) {
            throw new MalformedEventException("record key '" + key + "' is not an id");
        }
    }
}
