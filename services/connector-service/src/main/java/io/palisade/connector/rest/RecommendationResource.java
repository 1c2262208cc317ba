package io.palisade.connector.rest;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.palisade.common.api.Page;
import io.palisade.common.security.Roles;
import io.palisade.connector.config.ConnectorConfig;
import io.palisade.connector.recommendation.FixScripts;
import io.palisade.connector.recommendation.Recommendation;
import io.palisade.connector.recommendation.RecommendationService;
import io.palisade.connector.service.ClusterService;

/** A cluster's recommendations (Defender's assessments) and their Fix scripts. */
@Path("/api/connectors/{connectorId}/clusters/{clusterId}/recommendations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
public class RecommendationResource {
    private final RecommendationService recommendations;
    private final ClusterService clusters;
    private final ConnectorConfig config;

    public RecommendationResource(RecommendationService recommendations, ClusterService clusters,
            ConnectorConfig config) {
        this.recommendations = recommendations;
        this.clusters = clusters;
        this.config = config;
    }

    @GET
    public Page<Recommendation> list(@PathParam("connectorId") UUID connectorId,
            @PathParam("clusterId") UUID clusterId) {
        return new Page<>(recommendations.forCluster(connectorId, clusterId), null);
    }

    @GET
    @Path("{recommendationId}")
    public Recommendation get(@PathParam("connectorId") UUID connectorId, @PathParam("clusterId") UUID clusterId,
            @PathParam("recommendationId") String recommendationId) {
        return recommendations.one(connectorId, clusterId, recommendationId);
    }

    /** The Fix as a script to download: {@code format=bash} (default) or {@code powershell}. */
    @GET
    @Path("{recommendationId}/fix")
    @Produces({ "text/x-shellscript", MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON })
    public Response fix(@PathParam("connectorId") UUID connectorId, @PathParam("clusterId") UUID clusterId,
            @PathParam("recommendationId") String recommendationId,
            @QueryParam("format") @DefaultValue(FixScripts.BASH) String format) {
        Recommendation recommendation = recommendations.one(connectorId, clusterId, recommendationId);
        var cluster = clusters.get(connectorId, clusterId);
        String script = FixScripts.script(recommendation, cluster, config.publicGatewayUrl(), format);
        return Response.ok(script, FixScripts.BASH.equals(format) ? "text/x-shellscript" : "text/plain")
                .header("Content-Disposition", "attachment; filename=\""
                        + FixScripts.fileName(recommendation, cluster, format) + "\"")
                .build();
    }
}
