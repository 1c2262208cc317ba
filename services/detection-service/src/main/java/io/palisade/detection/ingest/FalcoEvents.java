package io.palisade.detection.ingest;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.problem.ProblemException;

/**
 * Reads what the node sensor posts: Falco's {@code http_output} with {@code json_output: true}, or Falcosidekick's
 * webhook output (the same object plus a {@code uuid}). One event is
 * {@code {"output", "priority", "rule", "time", "output_fields": {...}, "source", "tags": [...], "hostname"}}; a body
 * may hold one event, a JSON array of them, or one per line. {@code rule}, {@code priority}, {@code time} (RFC 3339)
 * and {@code output} are required; anything wrong refuses the whole body with a 400 naming the event.
 */
public final class FalcoEvents {
    private static final String EXPECTED = "expected a Falco JSON event, a JSON array of them, or one event per line";

    private FalcoEvents() {
    }

    /** Falco's priorities, most severe first. Falco writes "Informational"; "Info" is accepted as well. */
    public enum Priority {
        EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL, DEBUG;

        /** The priority a Falco event names, case-insensitively; empty if it names none. */
        public static Optional<Priority> of(String name) {
            if (name == null) {
                return Optional.empty();
            }
            // strip(), not trim(): trim() also drops control characters (NUL), which make no priority
            String upper = name.strip().toUpperCase(Locale.ROOT);
            if ("INFO".equals(upper)) {
                return Optional.of(INFORMATIONAL);
            }
            for (Priority p : values()) {
                if (p.name().equals(upper)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }

        /** True if this priority is at least as severe as {@code other}. */
        public boolean atLeast(Priority other) {
            return ordinal() <= other.ordinal();
        }
    }

    public static List<JsonNode> parse(byte[] body) {
        List<JsonNode> roots;
        try {
            roots = JsonBodies.rootValues(body);
        } catch (IOException | RuntimeException e) {
            throw malformed("body is not valid JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (roots.isEmpty()) {
            throw malformed("the body is empty; " + EXPECTED);
        }
        List<JsonNode> events = new ArrayList<>();
        if (roots.size() > 1) {
            for (int i = 0; i < roots.size(); i++) {
                events.add(check(roots.get(i), "line " + (i + 1)));
            }
        } else if (roots.get(0).isArray()) {
            JsonNode array = roots.get(0);
            for (int i = 0; i < array.size(); i++) {
                events.add(check(array.get(i), "[" + i + "]"));
            }
        } else {
            events.add(check(roots.get(0), "body"));
        }
        return List.copyOf(events);
    }

    private static JsonNode check(JsonNode event, String where) {
        if (!event.isObject()) {
            throw malformed(where + ": a Falco event must be a JSON object; " + EXPECTED);
        }
        for (String field : List.of("rule", "priority", "time", "output")) {
            if (!event.path(field).isTextual() || event.get(field).asText().isBlank()) {
                throw malformed(where + ": '" + field + "' is missing");
            }
        }
        String priority = event.get("priority").asText();
        if (Priority.of(priority).isEmpty()) {
            throw malformed(where + ": priority '" + priority + "' is not one of Emergency, Alert, Critical, Error, "
                    + "Warning, Notice, Informational, Debug");
        }
        if (timeOrNull(event) == null) {
            throw malformed(where + ": time '" + event.get("time").asText() + "' is not an RFC 3339 time of the years 1 to 9999");
        }
        if (event.has("output_fields") && !event.get("output_fields").isObject()) {
            throw malformed(where + ": 'output_fields' must be an object");
        }
        if (event.has("tags") && !event.get("tags").isArray() && !event.get("tags").isNull()) {
            throw malformed(where + ": 'tags' must be an array");
        }
        return event;
    }

    /** When Falco saw the activity; the epoch if the event has no readable time. */
    public static Instant eventTime(JsonNode event) {
        Instant time = timeOrNull(event);
        return time == null ? Instant.EPOCH : time;
    }

    private static Instant timeOrNull(JsonNode event) {
        JsonNode time = event.get("time");
        if (time == null || !time.isTextual()) {
            return null;
        }
        return EventTimes.parseOrNull(time.asText());
    }

    public static ProblemException malformed(String detail) {
        return new ProblemException(400, "Bad Request", "Malformed Falco event: " + detail);
    }
}
