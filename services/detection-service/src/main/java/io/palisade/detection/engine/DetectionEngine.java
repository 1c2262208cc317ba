package io.palisade.detection.engine;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Evaluates a catalogue of rules over audit events. Pure and thread-safe: no I/O, no state between events. */
public final class DetectionEngine {
    private final List<DetectionRule> rules;

    public DetectionEngine(List<DetectionRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<DetectionRule> rules() {
        return rules;
    }

    /** The rules whose condition holds for the event and none of whose exceptions does. */
    public List<DetectionRule> evaluate(JsonNode event) {
        List<DetectionRule> fired = new ArrayList<>(1);
        for (DetectionRule rule : rules) {
            if (rule.matches(event)) {
                fired.add(rule);
            }
        }
        return fired;
    }
}
