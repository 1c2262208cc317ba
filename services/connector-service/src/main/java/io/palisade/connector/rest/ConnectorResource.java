package io.palisade.connector.rest;

import java.net.URI;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.palisade.common.api.ETags;
import io.palisade.common.api.Page;
import io.palisade.common.api.PageRequest;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.CallerScopes;
import io.palisade.common.security.Roles;
import io.palisade.connector.rest.ConnectorDtos.ConnectorView;
import io.palisade.connector.persistence.Connector;
import io.palisade.connector.rest.ConnectorDtos.CreateConnector;
import io.palisade.connector.rest.ConnectorDtos.UpdateConnector;
import io.palisade.connector.service.ConnectorService;
import io.quarkus.security.identity.SecurityIdentity;

@Path("/api/connectors")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectorResource {
    private final ConnectorService connectors;
    private final SecurityIdentity identity;

    private final CallerScopes scopes;

    public ConnectorResource(ConnectorService connectors, SecurityIdentity identity, CallerScopes scopes) {
        this.connectors = connectors;
        this.identity = identity;
        this.scopes = scopes;
    }

    @GET
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public Page<ConnectorView> list(@QueryParam("skip") Integer skip, @QueryParam("top") Integer top,
            @Context UriInfo uriInfo) {
        PageRequest page = PageRequest.of(skip, top);
        return Page.of(connectors.list(page, scopes).stream().map(ConnectorView::of).toList(), page, uriInfo);
    }

    @GET
    @Path("{connectorId}")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public Response get(@PathParam("connectorId") UUID id) {
        Connector c = connectors.get(id);
        return Response.ok(ConnectorView.of(c)).tag(new EntityTag(String.valueOf(c.version))).build();
    }

    /** Changes name, regions and offering settings; send the ETag you read as If-Match (stale → 412). */
    @PUT
    @Path("{connectorId}")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response update(@PathParam("connectorId") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull(message = "a JSON body is required") UpdateConnector request) {
        Connector c = connectors.update(id, ETags.expectedVersion(ifMatch), request.environment(),
                request.hierarchyIdentifier(), request.displayName(), request.regions(), request.containersOffering(),
                identity.getPrincipal().getName());
        return Response.ok(ConnectorView.of(c)).tag(new EntityTag(String.valueOf(c.version))).build();
    }

    @POST
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response create(@Valid @NotNull(message = "a JSON body is required") CreateConnector request,
            @Context UriInfo uriInfo) {
        if (!scopes.all()) {
            throw new ProblemException(403, "Forbidden", "Your token is limited to some connectors (palisade_scopes "
                    + "claim); creating a connector needs a token that covers every connector");
        }
        var created = connectors.create(request.environment(), request.displayName(), request.hierarchyIdentifier(),
                request.regions(), request.containersOffering(), identity.getPrincipal().getName());
        URI location = uriInfo.getAbsolutePathBuilder().path(created.id.toString()).build();
        return Response.created(location).entity(ConnectorView.of(created))
                .tag(new EntityTag(String.valueOf(created.version))).build();
    }

    @DELETE
    @Path("{connectorId}")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response delete(@PathParam("connectorId") UUID id) {
        connectors.delete(id);
        return Response.noContent().build();
    }
}
