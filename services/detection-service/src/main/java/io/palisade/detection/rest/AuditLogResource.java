package io.palisade.detection.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import io.palisade.common.api.Page;
import io.palisade.common.api.PageRequest;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.CallerScopes;
import io.palisade.common.security.Roles;
import io.palisade.detection.persistence.ArchivedAuditEvent;
import io.palisade.detection.service.AuditLogService;
import io.palisade.detection.service.AuditLogService.AuditLogFilter;
import io.palisade.detection.service.RegistryService;

/**
 * The audit-log archive: {@code GET /api/audit-logs?clusterId=…&from=…&to=…} lists a cluster's (or connector's)
 * archived audit events, newest first; {@code GET /api/audit-logs/{clusterId}/{auditId}} shows every stage of one
 * request. Parameters are parsed here so that a malformed one is answered with a 400 naming it.
 */
@Path("/api/audit-logs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
public class AuditLogResource {
    /** The range listed when the caller gives no {@code from}. */
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);

    private final AuditLogService auditLogs;
    private final RegistryService registry;
    private final CallerScopes scopes;

    public AuditLogResource(AuditLogService auditLogs, RegistryService registry, CallerScopes scopes) {
        this.auditLogs = auditLogs;
        this.registry = registry;
        this.scopes = scopes;
    }

    /** One archived stage of an audit event, with the event as the API server sent it. */
    public record AuditLogView(UUID clusterId, UUID connectorId, String auditId, String stage, String verb,
            String resource, String namespace, String name, String username, Instant eventTime, Instant receivedAt,
            Map<String, Object> event) {
        static AuditLogView of(ArchivedAuditEvent e) {
            return new AuditLogView(e.clusterId, e.connectorId, e.auditId, e.stage, e.verb, e.resource, e.namespace,
                    e.name, e.username, e.eventTime, e.receivedAt, e.event);
        }
    }

    /**
     * {@code from} (inclusive) and {@code to} (exclusive) are ISO-8601 times, e.g. {@code 2025-06-01T00:00:00Z};
     * without {@code to} the range ends now, without {@code from} it starts 24 hours before its end.
     */
    @GET
    public Page<AuditLogView> list(@QueryParam("clusterId") String clusterId,
            @QueryParam("connectorId") String connectorId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("user") String user, @QueryParam("verb") String verb,
            @QueryParam("resource") String resource, @QueryParam("namespace") String namespace,
            @QueryParam("skip") String skip, @QueryParam("top") String top, @Context UriInfo uriInfo) {
        PageRequest page = PageRequest.of(integer("skip", skip), integer("top", top));
        Instant end = present(to) ? instant("to", to) : Instant.now();
        Instant start = present(from) ? instant("from", from) : end.minus(DEFAULT_RANGE);
        var filter = new AuditLogFilter(withinScopes(uuid("clusterId", clusterId)),
                withinScopes(uuid("connectorId", connectorId), "Connector"), start, end, text(user), text(verb),
                text(resource), text(namespace), scopes);
        Page<AuditLogView> result = Page.of(auditLogs.list(filter, page).stream().map(AuditLogView::of).toList(),
                page, uriInfo);
        if (result.nextLink() == null) {
            return result;
        }
        // the next page covers the same range, even where this one defaulted to "until now"
        String next = UriBuilder.fromUri(result.nextLink()).replaceQueryParam("from", start)
                .replaceQueryParam("to", end).build().toString();
        return new Page<>(result.value(), next);
    }

    /** Every archived stage of one request (RequestReceived, ResponseStarted, ResponseComplete, Panic), in order. */
    @GET
    @Path("{clusterId}/{auditId}")
    public Page<AuditLogView> request(@PathParam("clusterId") String clusterId, @PathParam("auditId") String auditId) {
        return new Page<>(auditLogs.request(uuid("clusterId", clusterId), auditId, scopes).stream().map(AuditLogView::of)
                .toList(), null);
    }

    /** A connector beyond the caller's scopes is answered as one that does not exist. */
    private UUID withinScopes(UUID id, String what) {
        if (id != null && !scopes.permits(id)) {
            throw ProblemException.notFound(what, id);
        }
        return id;
    }

    /** So is a cluster of such a connector (or one no longer registered, whose connector cannot be told). */
    private UUID withinScopes(UUID clusterId) {
        if (clusterId != null && !scopes.all()
                && !registry.cluster(clusterId).map(c -> scopes.permits(c.connectorId)).orElse(false)) {
            throw ProblemException.notFound("Cluster", clusterId);
        }
        return clusterId;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String text(String value) {
        return present(value) ? value : null;
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

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private static Instant instant(String parameter, String value) {
        try {
            // an offset's '+' sent unencoded arrives as a space
            Instant instant = OffsetDateTime.parse(value.trim().replace(' ', '+')).toInstant();
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                throw ProblemException.badRequest(parameter, "must lie between 1970 and 9999: '" + value + "'");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(parameter,
                    "is not an ISO-8601 time with a zone, such as 2025-06-01T00:00:00Z: '" + value + "'");
        }
    }

    private static Integer integer(String parameter, String value) {
        if (!present(value)) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(parameter, "is not a whole number: '" + value + "'");
        }
    }
}
