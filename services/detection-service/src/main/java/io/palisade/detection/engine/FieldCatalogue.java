package io.palisade.detection.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The audit-event fields a rule may test, with what each means. A rule naming any other field is rejected when it
 * is loaded, so a typo can never turn a rule silently off.
 *
 * <p>
 * Paths below {@code requestObject.} and {@code responseObject.} are free (the object's own fields); a segment
 * ending in {@code []} steps into every element of an array, e.g. {@code requestObject.spec.containers[].image}.
 * {@code annotations.<key>} reads one annotation, whose key may itself contain dots and slashes.
 */
public final class FieldCatalogue {
    public static final Map<String, String> FIELDS;
    public static final Map<String, String> PREFIXES;

    static {
        Map<String, String> fields = new TreeMap<>();
        fields.put("verb", "the request verb: get, list, watch, create, update, patch, delete, deletecollection");
        fields.put("stage", "RequestReceived, ResponseStarted, ResponseComplete or Panic");
        fields.put("level", "Metadata, Request or RequestResponse");
        fields.put("auditID", "unique id of the request, the same for all its stages");
        fields.put("requestURI", "the request URI including the query string");
        fields.put("userAgent", "the client's user agent (client-reported)");
        fields.put("sourceIPs", "the client IPs (all but the last are client-settable)");
        fields.put("user.username", "the authenticated user");
        fields.put("user.groups", "the user's groups");
        fields.put("impersonatedUser.username", "the impersonated user, if any");
        fields.put("objectRef.resource", "the resource type, e.g. pods, clusterrolebindings");
        fields.put("objectRef.subresource", "the subresource, e.g. exec, attach, log");
        fields.put("objectRef.namespace", "the object's namespace");
        fields.put("objectRef.name", "the object's name");
        fields.put("objectRef.apiGroup", "the API group, empty for the core group");
        fields.put("objectRef.apiVersion", "the API version");
        fields.put("responseStatus.code", "the HTTP status the API server answered");
        FIELDS = Map.copyOf(fields);
        PREFIXES = Map.of(
                "requestObject.", "a path in the object as sent (Request level and up)",
                "responseObject.", "a path in the object as returned (RequestResponse level)",
                "annotations.", "one audit annotation by key, e.g. annotations.authorization.k8s.io/decision");
    }

    private FieldCatalogue() {
    }

    /** An accessor for a documented field, or a {@link RuleDefinitionException} naming the known ones. */
    public static FieldPath resolve(String field) {
        if (field == null || field.isBlank()) {
            throw new RuleDefinitionException("a condition has no 'field'");
        }
        if (FIELDS.containsKey(field)) {
            return new FieldPath(field, List.of(field.split("\\.")));
        }
        if (field.startsWith("annotations.") && field.length() > "annotations.".length()) {
            return new FieldPath(field, List.of("annotations", field.substring("annotations.".length())));
        }
        for (String prefix : List.of("requestObject.", "responseObject.")) {
            if (field.startsWith(prefix) && field.length() > prefix.length()) {
                List<String> segments = new ArrayList<>();
                segments.add(prefix.substring(0, prefix.length() - 1));
                for (String s : field.substring(prefix.length()).split("\\.")) {
                    if (s.isEmpty()) {
                        throw new RuleDefinitionException("field '" + field + "' has an empty path segment");
                    }
                    segments.add(s);
                }
                return new FieldPath(field, segments);
            }
        }
        throw new RuleDefinitionException("unknown field '" + field + "'; known fields: " + FIELDS.keySet()
                + " and paths below " + PREFIXES.keySet());
    }

    /** A resolved field: reads every value it points at (several when it steps through arrays). */
    public record FieldPath(String name, List<String> segments) {
        public List<JsonNode> values(JsonNode event) {
            List<JsonNode> current = List.of(event);
            for (String segment : segments) {
                boolean each = segment.endsWith("[]");
                String key = each ? segment.substring(0, segment.length() - 2) : segment;
                List<JsonNode> next = new ArrayList<>();
                for (JsonNode node : current) {
                    JsonNode child = node.get(key);
                    if (child == null || child.isNull()) {
                        continue;
                    }
                    if (each && child.isArray()) {
                        child.forEach(next::add);
                    } else {
                        next.add(child);
                    }
                }
                current = next;
            }
            // A leaf array (sourceIPs, user.groups) is tested element by element.
            List<JsonNode> leaves = new ArrayList<>();
            for (JsonNode node : current) {
                if (node.isArray()) {
                    node.forEach(leaves::add);
                } else {
                    leaves.add(node);
                }
            }
            return leaves;
        }
    }
}
