package io.palisade.gateway.portal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.palisade.common.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;

/**
 * Recommendations: every cluster's assessments (sensor installed, audit logs collected, supported Kubernetes
 * version…), unhealthy first, with why and how to fix them, and their Fix scripts to download.
 */
@Path("/portal/recommendations")
@RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
@Produces(MediaType.TEXT_HTML)
public class RecommendationPages {
    private static final List<String> STATUS_ORDER = List.of("Unhealthy", "Healthy", "NotApplicable");
    private static final List<String> SEVERITY_ORDER = List.of("High", "Medium", "Low", "Informational");

    private final PortalApi api;
    private final Template list;

    public RecommendationPages(PortalApi api, @Location("portal/recommendations/list") Template list) {
        this.api = api;
        this.list = list;
    }

    /** A cluster's recommendations, or why they could not be read. */
    public record ClusterRecommendations(ClusterDirectory.ClusterEntry cluster, List<Map<String, Object>> items,
            String error) {
        public long unhealthy() {
            return items.stream().filter(r -> "Unhealthy".equals(r.get("status"))).count();
        }

        /** Where a Fix of this cluster's recommendations is downloaded: append {@code {id}/fix?format=…}. */
        public String fixBase() {
            return "/portal/recommendations/" + PortalQuery.segment(cluster.connectorId()) + "/"
                    + PortalQuery.segment(cluster.id()) + "/";
        }
    }

    @GET
    public TemplateInstance recommendations() {
        List<ClusterRecommendations> clusters = new ArrayList<>();
        for (var cluster : new ClusterDirectory(api).all()) {
            var answer = api.get(recommendationsPath(cluster.connectorId(), cluster.id()));
            List<Map<String, Object>> items = new ArrayList<>(api.items(answer));
            items.sort(Comparator.comparingInt((Map<String, Object> r) -> rank(STATUS_ORDER, r.get("status")))
                    .thenComparingInt(r -> rank(SEVERITY_ORDER, r.get("severity"))));
            clusters.add(new ClusterRecommendations(cluster, items, api.problem(answer)));
        }
        return list.data("clusters", clusters)
                .data("unhealthy", clusters.stream().mapToLong(ClusterRecommendations::unhealthy).sum());
    }

    /** A recommendation's Fix script as a download, as the service writes it. */
    @GET
    @Path("{connectorId}/{clusterId}/{recommendationId}/fix")
    @Produces(MediaType.WILDCARD)
    public Response fix(@PathParam("connectorId") String connectorId, @PathParam("clusterId") String clusterId,
            @PathParam("recommendationId") String recommendationId, @QueryParam("format") String format) {
        String path = recommendationsPath(connectorId, clusterId) + "/" + PortalQuery.segment(recommendationId)
                + "/fix" + (format == null || format.isBlank() ? "" : "?" + PortalQuery.encode(Map.of("format", format)));
        var answer = api.get(path);
        if (!answer.ok()) {
            return Response.status(answer.status()).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                    .entity(api.problem(answer)).build();
        }
        String disposition = answer.header("Content-Disposition");
        if (disposition == null || !disposition.startsWith("attachment")) {
            disposition = "attachment; filename=\"palisade-fix-" + recommendationId.replaceAll("[^A-Za-z0-9._-]", "")
                    + ("powershell".equals(format) ? ".ps1" : ".sh") + "\"";
        }
        return Response.ok(answer.body())
                .type(answer.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM : answer.contentType())
                .header("Content-Disposition", disposition).build();
    }

    private static String recommendationsPath(String connectorId, String clusterId) {
        return "/api/connectors/" + PortalQuery.segment(connectorId) + "/clusters/" + PortalQuery.segment(clusterId)
                + "/recommendations";
    }

    private static int rank(List<String> order, Object value) {
        int at = order.indexOf(String.valueOf(value));
        return at < 0 ? order.size() : at;
    }
}
