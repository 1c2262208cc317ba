package io.palisade.detection.engine;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One detection: when {@code condition} holds for an audit event and none of its {@code exceptions} does, an alert of
 * {@code alertType} is raised. {@code properties} names audit-event fields copied into the alert's
 * extendedProperties.
 */
public record DetectionRule(
        String id,
        String alertType,
        String displayName,
        String description,
        Severity severity,
        List<String> intent,
        List<String> techniques,
        Condition condition,
        List<RuleException> exceptions,
        List<String> remediationSteps,
        Map<String, FieldCatalogue.FieldPath> properties,
        List<FieldCatalogue.FieldPath> entity,
        Baseline baseline,
        List<String> falcoRules) {

    /** The entity of an alert when a rule names none: the object the request was about. */
    public static final List<String> DEFAULT_ENTITY = List.of("objectRef.resource", "objectRef.namespace",
            "objectRef.name");

    public enum Severity {
        Informational, Low, Medium, High
    }

    /** A named exception: events it matches never raise this rule's alert (tuning without editing the rule). */
    public record RuleException(String name, Condition condition) {
    }

    /**
     * An anomaly rule: its condition selects the events, and it fires only for an operation its subject has not
     * performed before, once the subject's learning period is over (see {@code BaselineStore}).
     */
    public record Baseline(FieldCatalogue.FieldPath subject, List<FieldCatalogue.FieldPath> operation,
            java.time.Duration learningPeriod) {
    }

    /** What identifies "the same entity" for correlation: the values of the rule's entity fields. */
    public String entityKey(JsonNode event) {
        StringBuilder key = new StringBuilder();
        for (FieldCatalogue.FieldPath field : entity) {
            key.append(String.join(",", field.values(event).stream().map(JsonNode::asText).toList())).append('|');
        }
        return key.toString();
    }

    public boolean matches(JsonNode event) {
        if (!condition.test(event)) {
            return false;
        }
        for (RuleException exception : exceptions) {
            if (exception.condition().test(event)) {
                return false;
            }
        }
        return true;
    }
}
