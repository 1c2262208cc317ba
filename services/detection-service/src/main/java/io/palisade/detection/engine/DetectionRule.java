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
        Map<String, FieldCatalogue.FieldPath> properties) {

    public enum Severity {
        Informational, Low, Medium, High
    }

    /** A named exception: events it matches never raise this rule's alert (tuning without editing the rule). */
    public record RuleException(String name, Condition condition) {
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
