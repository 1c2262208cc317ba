package io.palisade.detection.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import io.palisade.common.messaging.EventCodec;

/** Reading request bodies that hold one JSON value, an array, or one value per line (JSON Lines). */
final class JsonBodies {
    private static final ObjectReader READER = EventCodec.mapper().readerFor(JsonNode.class);

    private JsonBodies() {
    }

    /** The body's top-level JSON values; unlike {@code readValues}, a top-level array stays one value. */
    static List<JsonNode> rootValues(byte[] body) throws IOException {
        List<JsonNode> roots = new ArrayList<>();
        try (JsonParser parser = READER.createParser(body)) {
            while (parser.nextToken() != null) {
                roots.add(READER.readTree(parser));
            }
        }
        return roots;
    }
}
