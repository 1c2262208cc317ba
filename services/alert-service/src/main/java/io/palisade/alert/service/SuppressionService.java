package io.palisade.alert.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.palisade.alert.persistence.Alert;
import io.palisade.alert.persistence.AlertStatus;
import io.palisade.alert.persistence.SuppressionCondition;
import io.palisade.alert.persistence.SuppressionReason;
import io.palisade.alert.persistence.SuppressionRule;
import io.palisade.alert.rest.InputText;
import io.palisade.alert.persistence.SuppressionState;
import io.palisade.common.security.CallerScopes;
import io.palisade.common.api.ETags;
import io.palisade.common.api.PageRequest;
import io.palisade.common.problem.Problem;
import io.palisade.common.problem.ProblemException;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/**
 * Suppression rules: validates and stores them, simulates them against existing alerts, and finds the rule that
 * dismisses a new alert on arrival. A rule belongs to one connector or (connectorId null) to every connector; a caller
 * limited by {@code palisade_scopes} sees and manages only the rules of their connectors - a rule of every connector
 * is out of their reach, as another connector's rule is (404) - and must give one of their connectors when creating.
 */
@ApplicationScoped
public class SuppressionService {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{2,50}");
    static final Pattern ALERT_TYPE = Pattern.compile("\\*|[A-Za-z0-9][A-Za-z0-9_.-]{0,126}\\*?");
    static final int MAX_COMMENT = 1000;
    static final int MAX_CONDITIONS = 20;
    static final int MAX_VALUES = 100;
    static final int MAX_VALUE_LENGTH = 512;
    static final int SAMPLE_SIZE = 10;
    private static final int BATCH = 500;
    private static final String BODY_SCOPE = "suppressionAlertsScope.allOf";

    /** A condition as the caller wrote it: {@code equals} is shorthand for {@code in} with one value. */
    public record ConditionDraft(String field, String equals, List<String> in, String contains) {
    }

    /** A rule as the caller wrote it (create, update or simulate). */
    public record Draft(String name, UUID connectorId, String alertType, SuppressionState state,
            SuppressionReason reason, String comment, Instant expirationDateUtc, List<ConditionDraft> conditions) {
    }

    /** What a rule would have dismissed: the count and the newest few alert ids. */
    public record Simulation(long matchingAlerts, List<String> sample) {
    }

    @Transactional
    public SuppressionRule create(Draft draft, String user, CallerScopes scopes) {
        Instant now = Instant.now();
        List<SuppressionCondition> conditions = validate(draft, true, null, scopes, now);
        checkNameFree(draft.name(), draft.connectorId(), null);
        SuppressionRule rule = new SuppressionRule();
        rule.id = UUID.randomUUID();
        apply(rule, draft, conditions);
        rule.createdBy = user;
        rule.createdAt = now;
        rule.lastModifiedBy = user;
        rule.lastModifiedAt = now;
        rule.persist();
        return rule;
    }

    @Transactional
    public SuppressionRule update(UUID id, Long expectedVersion, Draft draft, String user, CallerScopes scopes) {
        SuppressionRule rule = get(id, scopes);
        ETags.check(expectedVersion, rule.version, "Suppression rule " + id);
        Instant now = Instant.now();
        List<SuppressionCondition> conditions = validate(draft, true, rule, scopes, now);
        checkNameFree(draft.name(), draft.connectorId(), id);
        apply(rule, draft, conditions);
        rule.lastModifiedBy = user;
        rule.lastModifiedAt = now;
        Panache.getEntityManager().flush();
        return rule;
    }

    /** Deletes the rule; alerts it dismissed stay dismissed (their history still names it). */
    @Transactional
    public void delete(UUID id, CallerScopes scopes) {
        get(id, scopes).delete();
    }

    public SuppressionRule get(UUID id, CallerScopes scopes) {
        SuppressionRule rule = SuppressionRule.findById(id);
        if (rule == null || !visible(rule, scopes)) {
            throw ProblemException.notFound("Suppression rule", id);
        }
        return rule;
    }

    /** The rules the caller may see, oldest first; {@code alertType} filters on the rule's alert type as written. */
    public List<SuppressionRule> list(String alertType, CallerScopes scopes, PageRequest page) {
        List<String> clauses = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (alertType != null) {
            clauses.add("alertType = :alertType");
            params.put("alertType", alertType);
        }
        if (!scopes.all()) {
            if (scopes.connectorIds().isEmpty()) {
                return List.of();
            }
            clauses.add("connectorId in :scopes");
            params.put("scopes", scopes.connectorIds());
        }
        Sort oldestFirst = Sort.ascending("createdAt", "id");
        var query = clauses.isEmpty() ? SuppressionRule.<SuppressionRule> findAll(oldestFirst)
                : SuppressionRule.<SuppressionRule> find(String.join(" and ", clauses), oldestFirst, params);
        return query.range(page.skip(), page.skip() + page.fetchSize() - 1).list();
    }

    /** What a saved rule would dismiss now, whatever its state and expiry. */
    @Transactional
    public Simulation simulate(UUID id, CallerScopes scopes) {
        return simulate(get(id, scopes), scopes);
    }

    /** What an unsaved rule would dismiss; the name and reason may be left out of a draft. */
    @Transactional
    public Simulation simulate(Draft draft, CallerScopes scopes) {
        SuppressionRule rule = new SuppressionRule();
        apply(rule, draft, validate(draft, false, null, scopes, Instant.now()));
        return simulate(rule, scopes);
    }

    /**
     * The enabled, unexpired rule (oldest first) that dismisses this alert on arrival, if any: a rule of the alert's
     * connector or of every connector whose alert type and conditions match.
     */
    public Optional<SuppressionRule> firstMatch(Alert alert, Instant now) {
        List<SuppressionRule> candidates = SuppressionRule.list(
                "enabled = true and (expirationDateUtc is null or expirationDateUtc > ?1)"
                        + " and (connectorId is null or connectorId = ?2)",
                Sort.ascending("createdAt", "id"), now, alert.connectorId);
        return candidates.stream().filter(rule -> SuppressionConditions.matches(rule, alert)).findFirst();
    }

    /** The comment of the state change a rule makes: names the rule and its reason. */
    public static String dismissalComment(SuppressionRule rule) {
        String text = "Suppressed by rule '" + rule.name + "' (" + rule.reason + ")"
                + (rule.comment == null || rule.comment.isBlank() ? "" : ": " + rule.comment);
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }

    private Simulation simulate(SuppressionRule rule, CallerScopes scopes) {
        List<String> clauses = new ArrayList<>(List.of("status in :open"));
        Map<String, Object> params = new HashMap<>();
        params.put("open", List.of(AlertStatus.Active, AlertStatus.InProgress));
        if (rule.alertType.endsWith("*")) {
            String prefix = rule.alertType.substring(0, rule.alertType.length() - 1);
            if (!prefix.isEmpty()) {
                clauses.add("substring(alertType, 1, " + prefix.length() + ") = :prefix");
                params.put("prefix", prefix);
            }
        } else {
            clauses.add("alertType = :type");
            params.put("type", rule.alertType);
        }
        if (rule.connectorId != null) {
            clauses.add("connectorId = :connector");
            params.put("connector", rule.connectorId);
        }
        if (!scopes.all()) {
            if (scopes.connectorIds().isEmpty()) {
                return new Simulation(0, List.of());
            }
            clauses.add("connectorId in :scopes");
            params.put("scopes", scopes.connectorIds());
        }
        var query = Alert.<Alert> find(String.join(" and ", clauses), Sort.descending("timeGeneratedUtc").and("id"),
                params);
        long matching = 0;
        List<String> sample = new ArrayList<>();
        var entityManager = Panache.getEntityManager();
        for (int index = 0;; index++) {
            List<Alert> batch = query.page(Page.of(index, BATCH)).list();
            for (Alert alert : batch) {
                if (SuppressionConditions.matches(rule, alert)) {
                    matching++;
                    if (sample.size() < SAMPLE_SIZE) {
                        sample.add(alert.id);
                    }
                }
            }
            // read-only: drop what was read so a large simulation does not hold every alert in memory
            entityManager.clear();
            if (batch.size() < BATCH) {
                return new Simulation(matching, sample);
            }
        }
    }

    private static boolean visible(SuppressionRule rule, CallerScopes scopes) {
        return scopes.all() || (rule.connectorId != null && scopes.permits(rule.connectorId));
    }

    private static void apply(SuppressionRule rule, Draft draft, List<SuppressionCondition> conditions) {
        rule.name = draft.name() == null ? null : draft.name().trim();
        rule.connectorId = draft.connectorId();
        rule.alertType = draft.alertType().trim();
        rule.conditions = conditions;
        rule.reason = draft.reason();
        rule.comment = draft.comment() == null || draft.comment().isBlank() ? null : draft.comment().trim();
        rule.expirationDateUtc = draft.expirationDateUtc();
        rule.enabled = draft.state() == null || draft.state() == SuppressionState.Enabled;
    }

    private static void checkNameFree(String name, UUID connectorId, UUID self) {
        String query = "lower(name) = ?1 and " + (connectorId == null ? "connectorId is null" : "connectorId = ?2");
        Object[] params = connectorId == null ? new Object[] { name.trim().toLowerCase(java.util.Locale.ROOT) }
                : new Object[] { name.trim().toLowerCase(java.util.Locale.ROOT), connectorId };
        List<SuppressionRule> same = SuppressionRule.list(query, params);
        if (same.stream().anyMatch(r -> !r.id.equals(self))) {
            throw ProblemException.conflict("A suppression rule named '" + name.trim() + "' already exists"
                    + (connectorId == null ? " for every connector" : " for connector " + connectorId));
        }
    }

    /**
     * Checks a draft and returns its conditions in stored form; every problem is reported at once, each naming its
     * field as the body spells it. A connector outside the caller's scopes is 403.
     */
    private static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    private static List<SuppressionCondition> validate(Draft draft, boolean saving, SuppressionRule existing,
            CallerScopes scopes, Instant now) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (saving || draft.name() != null) {
            if (draft.name() == null || draft.name().isBlank()) {
                errors.add(new Problem.FieldError("name", "is required"));
            } else if (!NAME.matcher(draft.name().trim()).matches()) {
                errors.add(new Problem.FieldError("name", "must be 2 to 50 letters, digits, '-' or '_'"));
            }
        }
        if (draft.alertType() == null || draft.alertType().isBlank()) {
            errors.add(new Problem.FieldError("alertType", "is required (an alert type such as "
                    + "K8S_PrivilegedContainer, or a prefix ending in * such as K8S.NODE_*)"));
        } else if (!ALERT_TYPE.matcher(draft.alertType().trim()).matches()) {
            errors.add(new Problem.FieldError("alertType", "must be an alert type (letters, digits, '_', '.', '-'), "
                    + "optionally ending in * to cover every type with that prefix"));
        }
        if (saving && draft.reason() == null) {
            errors.add(new Problem.FieldError("reason", "is required (FalsePositive, BenignPositive or Other)"));
        }
        if (draft.state() == SuppressionState.Expired) {
            errors.add(new Problem.FieldError("state", "must be Enabled or Disabled (Expired is reported, not set)"));
        }
        if (draft.comment() != null && draft.comment().length() > MAX_COMMENT) {
            errors.add(new Problem.FieldError("comment", "must be at most " + MAX_COMMENT + " characters"));
        }
        if (InputText.hasControlCharacters(draft.comment())) {
            errors.add(new Problem.FieldError("comment", "must not contain control characters"));
        }
        if (InputText.hasControlCharacters(draft.alertType())) {
            errors.add(new Problem.FieldError("alertType", "must not contain control characters"));
        }
        if (draft.expirationDateUtc() != null && draft.expirationDateUtc().isAfter(LATEST_EXPIRY)) {
            errors.add(new Problem.FieldError("expirationDateUtc", "must be before the year 10000"));
        }
        boolean expirationUnchanged = existing != null && existing.expirationDateUtc != null
                && existing.expirationDateUtc.equals(draft.expirationDateUtc());
        if (saving && draft.expirationDateUtc() != null && !draft.expirationDateUtc().isAfter(now)
                && !expirationUnchanged) {
            errors.add(new Problem.FieldError("expirationDateUtc", "must be in the future"));
        }
        List<SuppressionCondition> conditions = conditions(draft.conditions(), errors);
        if (errors.isEmpty() && "*".equals(draft.alertType().trim()) && conditions.isEmpty()) {
            errors.add(new Problem.FieldError("alertType",
                    "* (every alert type) needs at least one condition in " + BODY_SCOPE));
        }
        if (!errors.isEmpty()) {
            String detail = String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList());
            throw new ProblemException(400, "Bad Request", detail, errors);
        }
        if (!scopes.all()) {
            // a draft without a connector may still be simulated: the count is limited to the caller's connectors
            if (draft.connectorId() == null && saving) {
                throw ProblemException.badRequest("connectorId", "is required: your access is limited to "
                        + "connectors " + scopes.connectorIds());
            }
            if (draft.connectorId() != null && !scopes.permits(draft.connectorId())) {
                throw new ProblemException(403, "Forbidden", "connectorId " + draft.connectorId()
                        + " is outside the connectors your access covers");
            }
        }
        return conditions;
    }

    private static List<SuppressionCondition> conditions(List<ConditionDraft> drafts, List<Problem.FieldError> errors) {
        List<SuppressionCondition> conditions = new ArrayList<>();
        if (drafts == null) {
            return conditions;
        }
        if (drafts.size() > MAX_CONDITIONS) {
            errors.add(new Problem.FieldError(BODY_SCOPE, "must have at most " + MAX_CONDITIONS + " conditions"));
            return conditions;
        }
        for (int i = 0; i < drafts.size(); i++) {
            String at = BODY_SCOPE + "[" + i + "]";
            ConditionDraft c = drafts.get(i);
            if (c == null) {
                errors.add(new Problem.FieldError(at, "must be a condition {\"field\": ..., \"in\": [...]}"));
                continue;
            }
            String field = SuppressionConditions.canonicalField(c.field());
            if (field == null) {
                errors.add(new Problem.FieldError(at + ".field", (c.field() == null ? "is required" : "unknown field '"
                        + c.field() + "'") + "; one of " + String.join(", ", SuppressionConditions.FIELDS.keySet())));
                continue;
            }
            int operators = (c.equals() != null ? 1 : 0) + (c.in() != null ? 1 : 0) + (c.contains() != null ? 1 : 0);
            if (operators != 1) {
                errors.add(new Problem.FieldError(at, "needs exactly one of equals, in, contains"));
                continue;
            }
            boolean id = SuppressionConditions.ID_FIELDS.contains(field);
            if (c.contains() != null) {
                if (id) {
                    errors.add(new Problem.FieldError(at + ".contains", field + " takes exact values (equals or in)"));
                } else if (c.contains().isBlank() || c.contains().length() > MAX_VALUE_LENGTH
                        || InputText.hasControlCharacters(c.contains())) {
                    errors.add(new Problem.FieldError(at + ".contains", "must be 1 to " + MAX_VALUE_LENGTH
                            + " characters, without control characters"));
                } else {
                    conditions.add(new SuppressionCondition(field, null, c.contains()));
                }
                continue;
            }
            String operator = c.equals() != null ? ".equals" : ".in";
            List<String> values = c.equals() != null ? java.util.Collections.singletonList(c.equals()) : c.in();
            if (values.isEmpty() || values.size() > MAX_VALUES) {
                errors.add(new Problem.FieldError(at + operator, "must have 1 to " + MAX_VALUES + " values"));
                continue;
            }
            LinkedHashSet<String> clean = new LinkedHashSet<>();
            for (String value : values) {
                if (value == null || value.isBlank() || value.length() > MAX_VALUE_LENGTH
                        || InputText.hasControlCharacters(value)) {
                    errors.add(new Problem.FieldError(at + operator, "values must be 1 to " + MAX_VALUE_LENGTH
                            + " characters, without control characters"));
                    break;
                }
                if (id) {
                    try {
                        clean.add(UUID.fromString(value.trim()).toString());
                    } catch (IllegalArgumentException e) {
                        errors.add(new Problem.FieldError(at + operator, "'" + value + "' is not a " + field
                                + " (a UUID)"));
                        break;
                    }
                } else {
                    clean.add(value.trim());
                }
            }
            conditions.add(new SuppressionCondition(field, List.copyOf(clean), null));
        }
        return conditions;
    }
}
