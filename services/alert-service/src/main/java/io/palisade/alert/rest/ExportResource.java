package io.palisade.alert.rest;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.alert.export.AlertExport;
import io.palisade.alert.export.ExportService;
import io.palisade.alert.export.ExportSettings;
import io.palisade.common.security.CallerScopes;
import io.palisade.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Exports of alert changes to a webhook (alerts-API JSON, signed) or syslog (RFC 5424 + CEF): admins manage them,
 * readers see them with their delivery status. The webhook secret is write-only.
 */
@Path("/api/exports")
@Produces(MediaType.APPLICATION_JSON)
public class ExportResource {
    private static final StrictBody<ExportSettings> REQUEST = StrictBody.of(ExportSettings.class);

    private final ExportService exports;
    private final SecurityIdentity identity;
    private final CallerScopes scopes;

    public ExportResource(ExportService exports, SecurityIdentity identity, CallerScopes scopes) {
        this.exports = exports;
        this.identity = identity;
        this.scopes = scopes;
    }

    @GET
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public ExportView.ExportList list() {
        Map<UUID, ExportService.Backlog> backlogs = exports.backlogs();
        return new ExportView.ExportList(exports.list(scopes).stream()
                .map(e -> ExportView.of(e, backlogs.getOrDefault(e.id, new ExportService.Backlog(0, 0))))
                .toList());
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public ExportView get(@PathParam("id") UUID id) {
        return view(exports.get(id, scopes));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ExportSettings.class)))
    public Response create(JsonNode body) {
        AlertExport export = exports.create(parse(body), identity.getPrincipal().getName(), scopes);
        return Response.created(URI.create("/api/exports/" + export.id)).entity(view(export)).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ExportSettings.class)))
    public ExportView update(@PathParam("id") UUID id, JsonNode body) {
        return view(exports.update(id, parse(body), identity.getPrincipal().getName(), scopes));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response delete(@PathParam("id") UUID id) {
        exports.delete(id, scopes);
        return Response.noContent().build();
    }

    /** Sends a test record to the export's target now and reports the outcome (200 either way). */
    @POST
    @Path("{id}/test")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public ExportService.TestOutcome test(@PathParam("id") UUID id) {
        return exports.test(id, scopes);
    }

    /** Reads the body strictly (see {@link StrictBody}); no body → null, which the service answers with 400 "body". */
    private static ExportSettings parse(JsonNode body) {
        return REQUEST.read(body);
    }

    private ExportView view(AlertExport export) {
        return ExportView.of(export, exports.backlog(export.id));
    }
}
