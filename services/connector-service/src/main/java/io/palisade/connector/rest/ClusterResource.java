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
import io.palisade.connector.rest.ConnectorDtos.ClusterView;
import io.palisade.connector.rest.ConnectorDtos.RegisterCluster;
import io.palisade.connector.rest.ConnectorDtos.RegisteredClusterView;
import io.palisade.connector.service.ClusterService;
import io.quarkus.security.identity.SecurityIdentity;

@Path("/api/connectors/{connectorId}/clusters")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClusterResource {
    private final ClusterService clusters;
    private final SecurityIdentity identity;

    public ClusterResource(ClusterService clusters, SecurityIdentity identity) {
        this.clusters = clusters;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public Page<ClusterView> list(@PathParam("connectorId") UUID connectorId, @QueryParam("skip") Integer skip,
            @QueryParam("top") Integer top, @Context UriInfo uriInfo) {
        PageRequest page = PageRequest.of(skip, top);
        return Page.of(clusters.list(connectorId, page).stream().map(ClusterView::of).toList(), page, uriInfo);
    }

    @GET
    @Path("{clusterId}")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public ClusterView get(@PathParam("connectorId") UUID connectorId, @PathParam("clusterId") UUID clusterId) {
        return ClusterView.of(clusters.get(connectorId, clusterId));
    }

    /** Registers a cluster; the body carries its ingest token, shown this once and never again. */
    @POST
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response register(@PathParam("connectorId") UUID connectorId,
            @Valid @NotNull(message = "a JSON body is required") RegisterCluster request, @Context UriInfo uriInfo) {
        var registered = clusters.register(connectorId, request.name(), request.kind(), request.region(),
                identity.getPrincipal().getName());
        URI location = uriInfo.getAbsolutePathBuilder().path(registered.cluster().id.toString()).build();
        return Response.created(location)
                .entity(RegisteredClusterView.of(registered.cluster(), registered.ingestToken()))
                .build();
    }

    @DELETE
    @Path("{clusterId}")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response delete(@PathParam("connectorId") UUID connectorId, @PathParam("clusterId") UUID clusterId) {
        clusters.delete(connectorId, clusterId);
        return Response.noContent().build();
    }
}
