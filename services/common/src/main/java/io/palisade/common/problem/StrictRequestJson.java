package io.palisade.common.problem;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Request bodies name each field once: a field given twice ({@code {"role":"reader","role":"admin"}}) is ambiguous —
 * parsers disagree on which one wins, which is how checks get bypassed — so it is refused (400 naming the field by
 * {@link ProblemExceptionMappers#malformedJson}) instead of one of the values being picked silently.
 * Applies to the REST mapper of every service; audit events are read by {@code EventCodec}'s own mapper.
 */
@Singleton
public class StrictRequestJson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
