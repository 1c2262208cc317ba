package io.palisade.alert.rest;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
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

    public AlertResource(AlertService alerts, SecurityIdentity identity) {
        this.alerts = alerts;
        this.identity = identity;
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
            if (change.comment() != null && change.comment().length() > MAX_COMMENT) {
                throw ProblemException.badRequest("comment", "must be at most " + MAX_COMMENT + " characters");
            }
            return change;
        }
    }

    @GET
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public Page<AlertView> list(@QueryParam("severity") String severity, @QueryParam("status") AlertStatus status,
            @QueryParam("alertType") String alertType, @QueryParam("connectorId") UUID connectorId,
            @QueryParam("clusterId") UUID clusterId, @QueryParam("skip") Integer skip, @QueryParam("top") Integer top,
            @Context UriInfo uriInfo) {
        PageRequest page = PageRequest.of(skip, top);
        var filter = new AlertService.AlertFilter(severity, status, alertType, connectorId, clusterId);
        return Page.of(alerts.list(filter, page).stream().map(a -> AlertView.of(a, null)).toList(), page, uriInfo);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public AlertView get(@PathParam("id") String id) {
        return AlertView.of(alerts.get(id), alerts.history(id));
    }

    /** {@code POST /api/alerts/{id}/dismiss|resolve|activate|inProgress} → 204, with an optional comment. */
    @POST
    @Path("{id}/{action: " + AlertStatus.ACTIONS + "}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response changeStatus(@PathParam("id") String id, @PathParam("action") String action, String body) {
        alerts.changeStatus(id, AlertStatus.forAction(action), identity.getPrincipal().getName(),
                StatusChange.parse(body).comment());
        return Response.noContent().build();
    }
}
