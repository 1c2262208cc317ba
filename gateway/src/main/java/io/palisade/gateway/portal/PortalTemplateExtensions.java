package io.palisade.gateway.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.quarkus.qute.TemplateExtension;

/** Helpers the portal's templates call as {@code str:…}. */
@TemplateExtension(namespace = "str")
public final class PortalTemplateExtensions {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PortalTemplateExtensions() {
    }

    /** A value as indented JSON, for evidence and rule definitions (the template escapes it). */
    static String json(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
