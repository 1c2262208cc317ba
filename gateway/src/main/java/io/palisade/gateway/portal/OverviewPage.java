package io.palisade.gateway.portal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.palisade.common.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;

/** Overview: alerts by severity and status, clusters protected and unprotected, the most recent alerts. */
@Path("/portal")
@RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
@Produces(MediaType.TEXT_HTML)
public class OverviewPage {
    private static final int RECENT = 8;
    private final PortalApi api;
    private final Template overview;

    public OverviewPage(PortalApi api, @Location("portal/overview") Template overview) {
        this.api = api;
        this.overview = overview;
    }

    /** A cluster and whether its connector's plan protects it (Containers, or the deprecated Kubernetes, at Standard). */
    public record ClusterProtection(ClusterDirectory.ClusterEntry cluster, boolean protectedByPlan, String plan) {
    }

    @GET
    public TemplateInstance overview() {
        var summary = api.get("/api/alerts/summary");
        var recent = api.get("/api/alerts?orderBy=time&top=" + RECENT);
        List<ClusterProtection> clusters = protection(new ClusterDirectory(api).all());
        long protectedCount = clusters.stream().filter(ClusterProtection::protectedByPlan).count();
        return overview.data("summary", summary.ok() ? api.data(summary) : null)
                .data("summaryError", api.problem(summary))
                .data("recent", api.items(recent))
                .data("recentError", api.problem(recent))
                .data("clusters", clusters)
                .data("protectedCount", protectedCount)
                .data("unprotectedCount", clusters.size() - protectedCount)
                .data("recentTable", recent.ok());
    }

    /** The fragment the live stream refreshes when an alert arrives. */
    @GET
    @Path("overview/recent")
    public TemplateInstance recentAlerts() {
        var recent = api.get("/api/alerts?orderBy=time&top=" + RECENT);
        return overview.getFragment("recent").data("recent", api.items(recent))
                .data("recentError", api.problem(recent));
    }

    private List<ClusterProtection> protection(List<ClusterDirectory.ClusterEntry> clusters) {
        List<ClusterProtection> result = new ArrayList<>();
        Map<String, String> planOfConnector = new java.util.HashMap<>();
        for (var cluster : clusters) {
            String plan = planOfConnector.computeIfAbsent(cluster.connectorId(), this::protectingPlan);
            result.add(new ClusterProtection(cluster, plan != null, plan));
        }
        return result;
    }

    /** The connector's plan that protects its clusters, or null when none is on at Standard. */
    private String protectingPlan(String connectorId) {
        for (Map<String, Object> plan : api.items(api.get("/api/plans/" + connectorId))) {
            String name = String.valueOf(plan.get("name"));
            if (("Containers".equals(name) || "Kubernetes".equals(name))
                    && "Standard".equals(String.valueOf(plan.get("pricingTier")))) {
                return name;
            }
        }
        return null;
    }
}
