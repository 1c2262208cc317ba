package io.palisade.alert.rest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;

import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.QueryParam;

import io.palisade.alert.persistence.AlertStatus;
import io.palisade.common.security.CallerScopes;
import io.palisade.alert.service.AlertQuery;
import io.palisade.common.problem.ProblemException;

/** The filters of the alert list, counts and bulk changes, read from the query string; a bad value is a 400 naming it. */
public class AlertFilterParams {
    private static final Set<String> SEVERITIES = Set.of("Informational", "Low", "Medium", "High");

    @QueryParam("severity")
    String severity;
    @QueryParam("status")
    String status;
    @QueryParam("alertType")
    String alertType;
    @QueryParam("connectorId")
    String connectorId;
    @QueryParam("clusterId")
    String clusterId;
    @QueryParam("resourceType")
    String resourceType;
    @QueryParam("tactic")
    String tactic;
    @QueryParam("from")
    String from;
    @QueryParam("to")
    String to;
    @QueryParam("q")
    String text;
    @QueryParam("simulated")
    String simulated;

    boolean isEmpty() {
        for (String value : new String[] { severity, status, alertType, connectorId, clusterId, resourceType, tactic,
                from, to, text, simulated }) {
            if (present(value)) {
                return false;
            }
        }
        return true;
    }

    AlertQuery.AlertFilter filter(CallerScopes scopes) {
        InputText.check("severity", severity);
        InputText.check("status", status);
        InputText.check("alertType", alertType);
        InputText.check("resourceType", resourceType);
        InputText.check("tactic", tactic);
        InputText.check("q", text);
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && start.isAfter(end)) {
            throw ProblemException.badRequest("from", "must not be after 'to'");
        }
        return new AlertQuery.AlertFilter(severities(), statuses(), trimmed(alertType), uuid("connectorId", connectorId),
                uuid("clusterId", clusterId), trimmed(resourceType), trimmed(tactic), start, end, trimmed(text),
                bool("simulated", simulated), scopes.all() ? null : scopes.connectorIds());
    }

    /** {@code orderBy}: {@code time} (default) or {@code severity}, optionally followed by {@code asc} or {@code desc}. */
    record Ordering(AlertQuery.Order order, boolean ascending) {
    }

    static Ordering ordering(String orderBy) {
        if (!present(orderBy)) {
            return new Ordering(AlertQuery.Order.time, false);
        }
        String[] parts = orderBy.trim().split("\\s+");
        try {
            AlertQuery.Order order = AlertQuery.Order.valueOf(parts[0]);
            if (parts.length > 2 || (parts.length == 2 && !Set.of("asc", "desc").contains(parts[1]))) {
                throw new IllegalArgumentException();
            }
            return new Ordering(order, parts.length == 2 && "asc".equals(parts[1]));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("orderBy", "must be 'time' or 'severity', optionally followed by "
                    + "'asc' or 'desc': '" + orderBy + "'");
        }
    }

    private Set<String> severities() {
        Set<String> values = list(severity);
        for (String value : values) {
            if (!SEVERITIES.contains(value)) {
                throw ProblemException.badRequest("severity", "must be one or more of " + SEVERITIES + ": '" + value
                        + "'");
            }
        }
        return values;
    }

    private Set<AlertStatus> statuses() {
        Set<AlertStatus> values = new LinkedHashSet<>();
        for (String value : list(status)) {
            try {
                values.add(AlertStatus.valueOf(value));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("status", "must be one or more of Active, InProgress, Resolved, "
                        + "Dismissed: '" + value + "'");
            }
        }
        return values;
    }

    private static Set<String> list(String value) {
        Set<String> values = new LinkedHashSet<>();
        if (present(value)) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    values.add(item.trim());
                }
            }
        }
        return values;
    }

    private static UUID uuid(String parameter, String value) {
        if (!present(value)) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(parameter, "is not a UUID: '" + value + "'");
        }
    }

    private static Instant instant(String parameter, String value) {
        if (!present(value)) {
            return null;
        }
        try {
            // an offset's '+' sent unencoded arrives as a space
            Instant instant = OffsetDateTime.parse(value.trim().replace(' ', '+')).toInstant();
            if (instant.getEpochSecond() < 0 || instant.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
                throw ProblemException.badRequest(parameter, "must lie between 1970 and 9999");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(parameter, "is not an ISO-8601 time with a zone, such as "
                    + "2026-06-01T00:00:00Z: '" + value + "'");
        }
    }

    private static Boolean bool(String parameter, String value) {
        if (!present(value)) {
            return null;
        }
        return switch (value.trim()) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ProblemException.badRequest(parameter, "must be true or false: '" + value + "'");
        };
    }

    private static String trimmed(String value) {
        return present(value) ? value.trim() : null;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

}
