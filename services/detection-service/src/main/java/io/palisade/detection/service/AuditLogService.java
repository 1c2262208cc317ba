package io.palisade.detection.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.palisade.common.api.PageRequest;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.CallerScopes;
import io.palisade.detection.ingest.AuditEvents;
import io.palisade.detection.persistence.ArchivedAuditEvent;
import io.quarkus.panache.common.Sort;

/** Reads the audit-log archive: events of a cluster or connector in a time range, and the stages of one request. */
@ApplicationScoped
public class AuditLogService {

    /**
     * What to list: a cluster or a connector (at least one), the time range {@code [from, to)} (always bounded, so
     * PostgreSQL reads only the days' partitions it covers), and optional exact matches on user, verb, resource and
     * namespace; never beyond the caller's scopes.
     */
    public record AuditLogFilter(UUID clusterId, UUID connectorId, Instant from, Instant to, String user, String verb,
            String resource, String namespace, CallerScopes scopes) {
        public AuditLogFilter {
            if (clusterId == null && connectorId == null) {
                throw ProblemException.badRequest("clusterId", "is required (or give connectorId)");
            }
            if (from == null || to == null) {
                throw new IllegalArgumentException("the time range must be bounded");
            }
            if (from.isAfter(to)) {
                throw ProblemException.badRequest("from", "must not be after 'to' (" + from + " > " + to + ")");
            }
        }
    }

    /** Newest first; ties in a stable order, so pages neither repeat nor skip events. */
    public List<ArchivedAuditEvent> list(AuditLogFilter filter, PageRequest page) {
        CallerScopes scopes = filter.scopes();
        if (!scopes.all() && scopes.connectorIds().isEmpty()) {
            return List.of();
        }
        List<String> clauses = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (!scopes.all()) {
            clauses.add("connectorId in :scopes");
            params.put("scopes", scopes.connectorIds());
        }
        clauses.add("eventTime >= :fromTime and eventTime < :toTime");
        params.put("fromTime", filter.from());
        params.put("toTime", filter.to());
        where(clauses, params, "clusterId", filter.clusterId());
        where(clauses, params, "connectorId", filter.connectorId());
        where(clauses, params, "username", filter.user());
        where(clauses, params, "verb", filter.verb());
        where(clauses, params, "resource", filter.resource());
        where(clauses, params, "namespace", filter.namespace());
        Sort newestFirst = Sort.descending("eventTime").and("clusterId").and("auditId").and("stage");
        return ArchivedAuditEvent.<ArchivedAuditEvent> find(String.join(" and ", clauses), newestFirst, params)
                .range(page.skip(), page.skip() + page.fetchSize() - 1)
                .list();
    }

    /**
     * Every archived stage of one request, in the order they happened; 404 when there is none (or it lies beyond the
     * caller's scopes). Looked up by its key
     * without a time range: each partition answers from its primary-key index.
     */
    public List<ArchivedAuditEvent> request(UUID clusterId, String auditId, CallerScopes scopes) {
        List<ArchivedAuditEvent> stages = ArchivedAuditEvent.<ArchivedAuditEvent> list("clusterId = ?1 and auditId = ?2",
                Sort.ascending("eventTime", "stage"), clusterId, AuditEvents.auditKey(auditId)).stream()
                .filter(stage -> scopes.permits(stage.connectorId)).toList();
        if (stages.isEmpty()) {
            throw ProblemException.notFound("Audit event", clusterId + "/" + auditId);
        }
        return stages;
    }

    private static void where(List<String> clauses, Map<String, Object> params, String field, Object value) {
        if (value != null) {
            clauses.add(field + " = :" + field);
            params.put(field, value);
        }
    }
}
