package io.palisade.detection.engine;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Evaluates a catalogue of rules over audit events. Condition rules are pure; anomaly rules (those with a
 * {@code baseline}) also ask a {@link BaselineJudge}, which remembers what each subject did before.
 */
public final class DetectionEngine {
    private final List<DetectionRule> rules;

    /** Decides whether an event's operation is new for its subject, and remembers it. */
    @FunctionalInterface
    public interface BaselineJudge {
        boolean isRare(DetectionRule rule, JsonNode event);

        /** A judge that has seen everything: anomaly rules never fire (pure evaluation, tools). */
        BaselineJudge NOTHING_IS_RARE = (rule, event) -> false;
    }

    public DetectionEngine(List<DetectionRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<DetectionRule> rules() {
        return rules;
    }

    /** The condition rules that fire for the event (anomaly rules never fire without a judge). */
    public List<DetectionRule> evaluate(JsonNode event) {
        return evaluate(event, BaselineJudge.NOTHING_IS_RARE);
    }

    /** The rules whose condition holds for the event, none of whose exceptions does, and, for anomaly rules, rare. */
    public List<DetectionRule> evaluate(JsonNode event, BaselineJudge judge) {
        List<DetectionRule> fired = new ArrayList<>(1);
        for (DetectionRule rule : rules) {
            if (rule.matches(event) && (rule.baseline() == null || judge.isRare(rule, event))) {
                fired.add(rule);
            }
        }
        return fired;
    }
}
