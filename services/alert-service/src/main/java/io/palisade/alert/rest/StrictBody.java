package io.palisade.alert.rest;

import java.io.IOException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.ProblemException;

/**
 * Request bodies read strictly: an unknown field (a typo such as {@code minSeverty}) or a value of the wrong type is a
 * 400 naming its path, never silently ignored — a typo must not widen an export or a suppression rule.
 */
public final class StrictBody<T> {
    private final ObjectReader reader;

    private StrictBody(Class<T> type) {
        this.reader = EventCodec.mapper().readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public static <T> StrictBody<T> of(Class<T> type) {
        return new StrictBody<>(type);
    }

    /** The body as {@code T}; no body is null (the caller decides whether that is allowed). */
    public T read(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return null;
        }
        if (!body.isObject()) {
            throw ProblemException.badRequest("body", "must be a JSON object");
        }
        try {
            return reader.readValue(body);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String detail = e instanceof UnrecognizedPropertyException u
                    ? "unknown field; known here: " + u.getKnownPropertyIds()
                    : e.getOriginalMessage();
            throw ProblemException.badRequest(field.isEmpty() ? "body" : field, detail);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("body", e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("body", e.getMessage());
        }
    }
}
