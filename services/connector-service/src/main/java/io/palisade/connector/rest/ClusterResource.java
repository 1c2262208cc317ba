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
import io.palisade.common.security.Roles;
import io.palisade.connector.persistence.Cluster;
import io.palisade.connector.rest.ConnectorDtos.ClusterView;
import io.palisade.connector.rest.ConnectorDtos.RegisterCluster;
import io.palisade.connector.rest.ConnectorDtos.ClusterWithTokenView;
import io.palisade.connector.rest.ConnectorDtos.UpdateCluster;
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
    public Response get(@PathParam("connectorId") UUID connectorId, @PathParam("clusterId") UUID clusterId) {
        Cluster c = clusters.get(connectorId, clusterId);
        return Response.ok(ClusterView.of(c)).tag(new EntityTag(String.valueOf(c.version))).build();
    }

    /** Changes name, region and (when given) Kubernetes API access; send the ETag you read as If-Match. */
    @PUT
    @Path("{clusterId}")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response update(@PathParam("connectorId") UUID connectorId, @PathParam("clusterId") UUID clusterId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull(message = "a JSON body is required") UpdateCluster request) {
        Cluster c = clusters.update(connectorId, clusterId, ETags.expectedVersion(ifMatch), request.name(),
                request.region(), request.kubernetesApi());
        return Response.ok(ClusterView.of(c)).tag(new EntityTag(String.valueOf(c.version))).build();
    }

    /** Forgets the cluster's Kubernetes API access and its stored credentials. */
    @DELETE
    @Path("{clusterId}/kubernetes-api")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public ClusterView removeAccess(@PathParam("connectorId") UUID connectorId,
            @PathParam("clusterId") UUID clusterId) {
        return ClusterView.of(clusters.removeAccess(connectorId, clusterId));
    }

    /** Issues a new ingest token (shown this once); the old one stops working within seconds. */
    @POST
    @Path("{clusterId}/rotate-ingest-token")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public ClusterWithTokenView rotateIngestToken(@PathParam("connectorId") UUID connectorId,
            @PathParam("clusterId") UUID clusterId) {
        var rotated = clusters.rotateIngestToken(connectorId, clusterId);
        return ClusterWithTokenView.of(rotated.cluster(), rotated.ingestToken());
    }

    /** Registers a cluster; the body carries its ingest token, shown this once and never again. */
    @POST
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response register(@PathParam("connectorId") UUID connectorId,
            @Valid @NotNull(message = "a JSON body is required") RegisterCluster request, @Context UriInfo uriInfo) {
        var registered = clusters.register(connectorId, request.name(), request.kind(), request.region(),
                request.kubernetesApi(), identity.getPrincipal().getName());
        URI location = uriInfo.getAbsolutePathBuilder().path(registered.cluster().id.toString()).build();
        return Response.created(location)
                .entity(ClusterWithTokenView.of(registered.cluster(), registered.ingestToken()))
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
