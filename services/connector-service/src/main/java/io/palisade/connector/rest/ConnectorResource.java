package io.palisade.connector.rest;

import java.net.URI;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

import io.palisade.common.api.Page;
import io.palisade.common.api.PageRequest;
import io.palisade.common.security.Roles;
import io.palisade.connector.rest.ConnectorDtos.ConnectorView;
import io.palisade.connector.rest.ConnectorDtos.CreateConnector;
import io.palisade.connector.service.ConnectorService;
import io.quarkus.security.identity.SecurityIdentity;

@Path("/api/connectors")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectorResource {
    private final ConnectorService connectors;
    private final SecurityIdentity identity;

    public ConnectorResource(ConnectorService connectors, SecurityIdentity identity) {
        this.connectors = connectors;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public Page<ConnectorView> list(@QueryParam("skip") Integer skip, @QueryParam("top") Integer top,
            @Context UriInfo uriInfo) {
        PageRequest page = PageRequest.of(skip, top);
        return Page.of(connectors.list(page).stream().map(ConnectorView::of).toList(), page, uriInfo);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public ConnectorView get(@PathParam("id") UUID id) {
        return ConnectorView.of(connectors.get(id));
    }

    @POST
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response create(@Valid @NotNull(message = "a JSON body is required") CreateConnector request,
            @Context UriInfo uriInfo) {
        var created = connectors.create(request.environment(), request.displayName(), request.hierarchyIdentifier(),
                identity.getPrincipal().getName());
        URI location = uriInfo.getAbsolutePathBuilder().path(created.id.toString()).build();
        return Response.created(location).entity(ConnectorView.of(created)).build();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response delete(@PathParam("id") UUID id) {
        connectors.delete(id);
        return Response.noContent().build();
    }
}
