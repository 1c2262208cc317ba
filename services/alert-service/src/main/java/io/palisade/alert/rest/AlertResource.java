package io.palisade.alert.rest;


import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.palisade.alert.persistence.AlertStatus;
import io.palisade.common.security.CallerScopes;
import io.palisade.alert.service.AlertService;
import io.palisade.common.api.Page;
import io.palisade.common.api.PageRequest;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/** The alerts API: readers view, admins change status ({@code POST .../dismiss|resolve|activate|inProgress} → 204). */
@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {
    private final AlertService alerts;
    private final SecurityIdentity identity;
    private final CallerScopes scopes;

    public AlertResource(AlertService alerts, SecurityIdentity identity, CallerScopes scopes) {
        this.alerts = alerts;
        this.identity = identity;
        this.scopes = scopes;
    }

    /** Optional body of a status change: {@code {"comment": "..."}}; clients may also send no body at all. */
    public record StatusChange(String comment) {
        static final int MAX_COMMENT = 2000;

        static StatusChange parse(String body) {
            if (body == null || body.isBlank()) {
                return new StatusChange(null);
            }
            StatusChange change;
            try {
                change = EventCodec.mapper().readValue(body, StatusChange.class);
            } catch (JsonProcessingException e) {
                throw ProblemException.badRequest("comment", "the body must be {\"comment\": \"...\"} or empty ("
                        + e.getOriginalMessage() + ")");
            }
            InputText.check("comment", change.comment());
            if (change.comment() != null && change.comment().length() > MAX_COMMENT) {
                throw ProblemException.badRequest("comment", "must be at most " + MAX_COMMENT + " characters");
            }
            return change;
        }
    }

    /**
     * Alerts, newest first (or {@code orderBy=severity}), filtered: {@code severity} and {@code status} (one or a
     * comma-separated list), {@code alertType}, {@code connectorId}, {@code clusterId}, {@code resourceType} (AKS, EKS,
     * GKE, OnPrem), {@code tactic}, {@code from}/{@code to} (activity overlapping the range), {@code q} (free text in
     * name, description and entities); paged with {@code skip}/{@code top} → {@code value} + {@code nextLink}.
     */
    @GET
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public Page<AlertView> list(@BeanParam AlertFilterParams params, @QueryParam("orderBy") String orderBy,
            @QueryParam("skip") Integer skip, @QueryParam("top") Integer top, @Context UriInfo uriInfo) {
        PageRequest page = PageRequest.of(skip, top);
        AlertFilterParams.Ordering ordering = AlertFilterParams.ordering(orderBy);
        return Page.of(alerts.list(params.filter(scopes), ordering.order(), ordering.ascending(), page).stream()
                .map(a -> AlertView.of(a, null)).toList(), page, uriInfo);
    }

    /** Counts of the alerts matching the same filters, by severity and by status (for the dashboard). */
    @GET
    @Path("summary")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public AlertService.Summary summary(@BeanParam AlertFilterParams params) {
        return alerts.summary(params.filter(scopes));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public AlertView get(@PathParam("id") String id) {
        return AlertView.of(alerts.get(id, scopes), alerts.history(id));
    }

    /** What a bulk change reports. */
    public record BulkResult(int changed, String status) {
    }

    /**
     * {@code POST /api/alerts/bulk/dismiss|resolve|activate|inProgress?<list filters>} with an optional
     * {@code {"comment": "..."}}: changes every alert the filters select (within the caller's connectors) and says how
     * many changed. At least one filter is required, so that a bare call never changes everything.
     */
    @POST
    @Path("bulk/{action: " + AlertStatus.ACTIONS + "}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public BulkResult bulkChange(@PathParam("action") String action, @BeanParam AlertFilterParams params,
            String body) {
        if (params.isEmpty()) {
            throw ProblemException.badRequest("filter", "give at least one filter (e.g. alertType, clusterId, "
                    + "severity) so that a bulk change never touches every alert by accident");
        }
        AlertStatus target = AlertStatus.forAction(action);
        int changed = alerts.bulkChange(params.filter(scopes), target, identity.getPrincipal().getName(),
                StatusChange.parse(body).comment());
        return new BulkResult(changed, target.name());
    }

    /** {@code POST /api/alerts/{id}/dismiss|resolve|activate|inProgress} → 204, with an optional comment. */
    @POST
    @Path("{id}/{action: " + AlertStatus.ACTIONS + "}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response changeStatus(@PathParam("id") String id, @PathParam("action") String action, String body) {
        alerts.get(id, scopes);
        alerts.changeStatus(id, AlertStatus.forAction(action), identity.getPrincipal().getName(),
                StatusChange.parse(body).comment());
        return Response.noContent().build();
    }
}
