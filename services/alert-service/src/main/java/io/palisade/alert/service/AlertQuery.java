package io.palisade.alert.service;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.palisade.alert.persistence.AlertStatus;

/**
 * The filters of the alert list, the dashboard counts and bulk changes, as one SQL condition: the same filter means
 * the same alerts everywhere. Every condition is limited to the caller's connectors ({@code scopes}, null = all).
 */
public final class AlertQuery {
    /** How a list is ordered; newest first within the same severity. */
    public enum Order {
        time, severity
    }

    /**
     * Filters; null (or empty) means "any". {@code from}/{@code to}: alerts whose activity ({@code startTimeUtc} to
     * {@code endTimeUtc}) overlaps the range. {@code text}: case-insensitive, in the name, description, compromised
     * entity and entities.
     */
    public record AlertFilter(Set<String> severities, Set<AlertStatus> statuses, String alertType, UUID connectorId,
            UUID clusterId, String resourceType, String tactic, Instant from, Instant to, String text,
            Boolean simulated, Set<UUID> scopes) {
    }

    private final String where;
    private final Map<String, Object> params;

    private AlertQuery(String where, Map<String, Object> params) {
        this.where = where;
        this.params = params;
    }

    public static AlertQuery of(AlertFilter f) {
        List<String> clauses = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (f.scopes() != null) {
            if (f.scopes().isEmpty()) {
                clauses.add("FALSE");
            } else {
                clauses.add("connector_id IN (:scopes)");
                params.put("scopes", List.copyOf(f.scopes()));
            }
        }
        if (f.severities() != null && !f.severities().isEmpty()) {
            clauses.add("severity IN (:severities)");
            params.put("severities", List.copyOf(f.severities()));
        }
        if (f.statuses() != null && !f.statuses().isEmpty()) {
            clauses.add("status IN (:statuses)");
            params.put("statuses", f.statuses().stream().map(Enum::name).toList());
        }
        if (f.alertType() != null) {
            clauses.add("alert_type = :alertType");
            params.put("alertType", f.alertType());
        }
        if (f.connectorId() != null) {
            clauses.add("connector_id = :connectorId");
            params.put("connectorId", f.connectorId());
        }
        if (f.clusterId() != null) {
            clauses.add("cluster_id = :clusterId");
            params.put("clusterId", f.clusterId());
        }
        if (f.resourceType() != null) {
            clauses.add("lower(resource_type) = lower(:resourceType)");
            params.put("resourceType", f.resourceType());
        }
        if (f.tactic() != null) {
            clauses.add("intent ILIKE :tactic ESCAPE '\\'");
            params.put("tactic", "%" + escapeLike(f.tactic()) + "%");
        }
        if (f.from() != null) {
            clauses.add("end_time_utc >= :from");
            params.put("from", Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            clauses.add("start_time_utc < :to");
            params.put("to", Timestamp.from(f.to()));
        }
        if (f.simulated() != null) {
            clauses.add(f.simulated() ? "extended_properties ->> 'simulated' = 'true'"
                    : "coalesce(extended_properties ->> 'simulated', 'false') <> 'true'");
        }
        if (f.text() != null && !f.text().isBlank()) {
            clauses.add("(display_name ILIKE :text ESCAPE '\\' OR description ILIKE :text ESCAPE '\\'"
                    + " OR compromised_entity ILIKE :text ESCAPE '\\' OR CAST(entities AS text) ILIKE :text ESCAPE '\\')");
            params.put("text", "%" + escapeLike(f.text().trim()) + "%");
        }
        return new AlertQuery(clauses.isEmpty() ? "TRUE" : String.join(" AND ", clauses), params);
    }

    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    public String where() {
        return where;
    }

    public Map<String, Object> params() {
        return params;
    }

    public static String orderBy(Order order, boolean ascending) {
        String direction = ascending ? "ASC" : "DESC";
        return switch (order) {
            case time -> "time_generated_utc " + direction + ", id " + direction;
            case severity -> "severity_rank " + direction + ", time_generated_utc DESC, id DESC";
        };
    }
}
