package io.palisade.alert.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.palisade.alert.persistence.SuppressionCondition;
import io.palisade.alert.persistence.SuppressionReason;
import io.palisade.alert.persistence.SuppressionRule;
import io.palisade.alert.persistence.SuppressionState;
import io.palisade.alert.service.SuppressionService;

/**
 * Bodies of the suppression-rules API, in the fields of Defender's {@code alertsSuppressionRules} (flat, without its
 * {@code properties} wrapper, like every Palisade resource); entities never leave the service.
 */
public final class SuppressionRuleDtos {
    private SuppressionRuleDtos() {
    }

    /** One condition: {@code {"field": "namespace", "in": ["ci"]}}, {@code "equals": "ci"} or {@code "contains": "..."}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Condition(String field, String equals, List<String> in, String contains) {
        static Condition of(SuppressionCondition c) {
            return new Condition(c.field(), null, c.in(), c.contains());
        }
    }

    /** Which alerts a rule covers besides its type: every condition must hold. */
    public record AlertsScope(List<Condition> allOf) {
    }

    /** A rule to create, replace (PUT) or simulate; unknown fields are refused, so a typo never widens a rule. */
    public record SuppressionRuleRequest(String name, UUID connectorId, String alertType, SuppressionState state,
            SuppressionReason reason, String comment, Instant expirationDateUtc, AlertsScope suppressionAlertsScope) {
        SuppressionService.Draft toDraft() {
            List<SuppressionService.ConditionDraft> conditions = suppressionAlertsScope == null
                    || suppressionAlertsScope.allOf() == null ? null
                            : suppressionAlertsScope.allOf().stream().map(c -> c == null ? null
                                    : new SuppressionService.ConditionDraft(c.field(), c.equals(), c.in(),
                                            c.contains()))
                                    .toList();
            return new SuppressionService.Draft(name, connectorId, alertType, state, reason, comment,
                    expirationDateUtc, conditions);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SuppressionRuleView(UUID id, String name, UUID connectorId, String alertType,
            SuppressionState state, SuppressionReason reason, String comment, Instant expirationDateUtc,
            AlertsScope suppressionAlertsScope, String createdBy, Instant createdAt, String lastModifiedBy,
            Instant lastModifiedUtc) {
        static SuppressionRuleView of(SuppressionRule r) {
            return new SuppressionRuleView(r.id, r.name, r.connectorId, r.alertType, r.state(Instant.now()),
                    r.reason, r.comment, r.expirationDateUtc,
                    new AlertsScope(r.conditions.stream().map(Condition::of).toList()), r.createdBy, r.createdAt,
                    r.lastModifiedBy, r.lastModifiedAt);
        }
    }

    /** The answer of a simulation: how many open (Active or InProgress) alerts the rule matches, and a few of them. */
    public record SimulationView(long matchingAlerts, List<String> sample) {
        static SimulationView of(SuppressionService.Simulation s) {
            return new SimulationView(s.matchingAlerts(), s.sample());
        }
    }
}
