package io.palisade.gateway.portal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
 * Environment settings: the connectors (an Azure subscription, AWS account, GCP project or on-premises site), the
 * add-connector wizard, and a connector's page with its clusters (register one: its ingest token is shown once) and
 * its plans (Containers, the deprecated Kubernetes, Servers) with their extensions and audit-log retention.
 */
@Path("/portal/environment")
@RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
@Produces(MediaType.TEXT_HTML)
public class EnvironmentPages {
    static final List<String> CLUSTER_KINDS = List.of("AKS", "EKS", "GKE", "OnPrem");
    static final List<String> PLANS = List.of("Containers", "Kubernetes", "Servers");
    static final Map<String, String> PLAN_NOTES = Map.of(
            "Containers", "Kubernetes threat protection: audit-log detections, the sensor, agentless discovery and "
                    + "the policy agent for every cluster of the connector.",
            "Kubernetes", "Deprecated: may stay on where it is on, cannot be newly enabled. Upgrade to Containers, "
                    + "which includes everything it did.",
            "Servers", "Threat protection for the connector's servers.");
    static final Map<String, String> EXTENSION_NOTES = Map.of(
            "AuditLogCollection", "Collect the clusters' Kubernetes audit logs (needed for control-plane detections)",
            "ContainerSensor", "Install the Palisade sensor on clusters automatically",
            "AgentlessDiscoveryForKubernetes", "Discover clusters and workloads through the cloud APIs",
            "PolicyAgent", "Deploy the admission policy agent");
    /** Plan-service learns of a new connector from connector-service's events, a moment after it is created. */
    private static final Duration PLAN_SERVICE_WAIT = Duration.ofSeconds(8);
    private static final int MAX = 500;

    private final PortalApi api;
    private final Template list;
    private final Template newConnector;
    private final Template connector;

    public EnvironmentPages(PortalApi api, @Location("portal/environment/list") Template list,
            @Location("portal/environment/new") Template newConnector,
            @Location("portal/environment/connector") Template connector) {
        this.api = api;
        this.list = list;
        this.newConnector = newConnector;
        this.connector = connector;
    }

    /** Where a connector's clusters live, and what identifies it there (no identifier label: none asked). */
    public record EnvironmentChoice(String name, String title, String description, String identifierLabel,
            String identifierHint, String clusterKind) {
    }

    static final List<EnvironmentChoice> ENVIRONMENTS = List.of(
            new EnvironmentChoice("AzureSubscription", "Azure", "An Azure subscription with AKS clusters",
                    "Azure subscription id", "00000000-0000-0000-0000-000000000000", "AKS"),
            new EnvironmentChoice("AwsAccount", "AWS", "An AWS account with EKS clusters", "AWS account id",
                    "123456789012", "EKS"),
            new EnvironmentChoice("GcpProject", "GCP", "A Google Cloud project with GKE clusters", "GCP project id",
                    "Project number, e.g. 123456789012", "GKE"),
            new EnvironmentChoice("OnPrem", "On-premises", "Your own Kubernetes clusters, anywhere", null, null,
                    "OnPrem"));

    static EnvironmentChoice environment(Object name) {
        return ENVIRONMENTS.stream().filter(e -> e.name().equals(String.valueOf(name))).findFirst().orElse(null);
    }

    /** A row of the connector list. {@code containers} is On, Off or unknown (plan-service did not answer). */
    public record ConnectorRow(Map<String, Object> connector, String environmentTitle, String regions,
            String clusters, String containers) {
    }

    @GET
    public TemplateInstance connectors() {
        var answer = api.get("/api/connectors?top=" + MAX);
        List<ConnectorRow> rows = new ArrayList<>();
        for (Map<String, Object> c : api.items(answer)) {
            String id = String.valueOf(c.get("id"));
            var clusters = api.get("/api/connectors/" + PortalQuery.segment(id) + "/clusters?top=" + MAX);
            EnvironmentChoice env = environment(c.get("environment"));
            rows.add(new ConnectorRow(c, env == null ? String.valueOf(c.get("environment")) : env.title(),
                    regions(c.get("regions")),
                    clusters.ok() ? Integer.toString(api.items(clusters).size()) : "unknown", containersState(id)));
        }
        return list.data("rows", rows).data("error", api.problem(answer));
    }

    private String containersState(String connectorId) {
        var plans = api.get("/api/plans/" + PortalQuery.segment(connectorId));
        if (!plans.ok()) {
            return "unknown";
        }
        return api.items(plans).stream().anyMatch(p -> "Containers".equals(p.get("name"))
                && "Standard".equals(p.get("pricingTier"))) ? "On" : "Off";
    }

    private static String regions(Object regions) {
        return regions instanceof List<?> l && !l.isEmpty()
                ? String.join(", ", l.stream().map(String::valueOf).toList()) : "";
    }

    // ----- The add-connector wizard: environment, details, plan ---------------------------------------------------

    /** What the wizard collected so far; {@code containers} is "on" or "off". */
    public record ConnectorDraft(String environment, String displayName, String hierarchyIdentifier, String regions,
            String containers) {
        public boolean containersOn() {
            return !"off".equals(containers);
        }

        /** The details step again, with what was entered. */
        public String detailsLink() {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("environment", environment);
            params.put("displayName", orEmpty(displayName));
            params.put("hierarchyIdentifier", orEmpty(hierarchyIdentifier));
            params.put("regions", orEmpty(regions));
            params.put("containers", containersOn() ? "on" : "off");
            return "/portal/environment/connectors/new?" + PortalQuery.encode(params);
        }
    }

    @GET
    @Path("connectors/new")
    public TemplateInstance wizard(@QueryParam("environment") String environment, @QueryParam("step") String step,
            @QueryParam("displayName") String displayName,
            @QueryParam("hierarchyIdentifier") String hierarchyIdentifier, @QueryParam("regions") String regions,
            @QueryParam("containers") String containers) {
        EnvironmentChoice env = environment(environment);
        var draft = new ConnectorDraft(environment, displayName, hierarchyIdentifier, regions, containers);
        String error = env == null && !blank(environment) ? "Choose one of the environments below" : null;
        String at = env == null ? "environment" : "plan".equals(step) ? "plan" : "details";
        if ("plan".equals(at) && (blank(displayName) || (env.identifierLabel() != null && blank(hierarchyIdentifier)))) {
            error = blank(displayName) ? "Give the connector a display name"
                    : "Give the " + env.identifierLabel();
            at = "details";
        }
        return wizardPage(newConnector.instance(), at, env, draft, error);
    }

    private TemplateInstance wizardPage(TemplateInstance page, String step, EnvironmentChoice env,
            ConnectorDraft draft, String error) {
        return page.data("step", step).data("env", env).data("environments", ENVIRONMENTS).data("draft", draft)
                .data("error", error);
    }

    /** Creates the connector, then (when chosen) turns its Containers plan on; on success, its page. */
    @POST
    @Path("connectors")
    public Response create(@FormParam("environment") String environment, @FormParam("displayName") String displayName,
            @FormParam("hierarchyIdentifier") String hierarchyIdentifier, @FormParam("regions") String regions,
            @FormParam("containers") String containers, @HeaderParam("HX-Request") String htmx) {
        EnvironmentChoice env = environment(environment);
        boolean containersOn = "on".equals(containers) || "true".equals(containers);
        var draft = new ConnectorDraft(environment, displayName, hierarchyIdentifier, regions,
                containersOn ? "on" : "off");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("environment", environment);
        body.put("displayName", displayName == null ? null : displayName.trim());
        body.put("hierarchyIdentifier", env == null || env.identifierLabel() == null || blank(hierarchyIdentifier)
                ? null : hierarchyIdentifier.trim());
        body.put("regions", regions == null ? List.of()
                : Arrays.stream(regions.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList());
        var created = api.post("/api/connectors", body);
        if (!created.ok()) {
            return Response.status(created.status()).entity(wizardPage(newConnector.getFragment("wizard").instance(),
                    env == null ? "environment" : "details", env, draft, api.problem(created))).build();
        }
        String id = api.data(created) instanceof Map<?, ?> c ? String.valueOf(c.get("id")) : "";
        String target = "/portal/environment/connectors/" + PortalQuery.segment(id);
        var known = plansOnceKnown(id);
        if (containersOn) {
            var plan = known.ok() ? api.put("/api/plans/" + PortalQuery.segment(id) + "/Containers",
                    Map.of("pricingTier", "Standard")) : known;
            if (!plan.ok()) {
                target += "?containers=failed";
            }
        }
        return "true".equals(htmx) ? Response.ok().header("HX-Redirect", target).build()
                : Response.seeOther(URI.create(target)).build();
    }

    private PortalApi.Answer plansOnceKnown(String connectorId) {
        long deadline = System.nanoTime() + PLAN_SERVICE_WAIT.toNanos();
        var answer = api.get("/api/plans/" + PortalQuery.segment(connectorId));
        while (answer.status() == 404 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            answer = api.get("/api/plans/" + PortalQuery.segment(connectorId));
        }
        return answer;
    }

    // ----- A connector: facts, clusters, plans ---------------------------------------------------------------------

    /** A cluster and what Palisade last saw of it; {@code status} is null when the service did not say. */
    public record ClusterRow(Map<String, Object> cluster, Object status) {
    }

    @GET
    @Path("connectors/{id}")
    public Response connector(@PathParam("id") String id, @QueryParam("containers") String containers) {
        var answer = api.get(connectorPath(id));
        if (!answer.ok()) {
            String error = answer.status() == 404 ? "No connector " + id + " (or it is outside your scope)"
                    : api.problem(answer);
            return Response.status(answer.status()).entity(connector.data("connector", null).data("error", error))
                    .build();
        }
        Map<?, ?> c = (Map<?, ?>) api.data(answer);
        EnvironmentChoice env = environment(c.get("environment"));
        TemplateInstance page = connector.data("connector", c).data("env", env).data("regions", regions(c.get("regions")))
                .data("containersFailed", "failed".equals(containers));
        clusters(page, id, null, Map.of("kind", env == null ? "OnPrem" : env.clusterKind()), null);
        plans(page, id, null);
        return Response.ok(page).build();
    }

    /** Registers a cluster; the answer shows its ingest token, this once. */
    @POST
    @Path("connectors/{id}/clusters")
    public Response registerCluster(@PathParam("id") String id, @FormParam("name") String name,
            @FormParam("kind") String kind, @FormParam("region") String region) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name == null ? null : name.trim());
        body.put("kind", blank(kind) ? null : kind);
        body.put("region", blank(region) ? null : region.trim());
        var registered = api.post(connectorPath(id) + "/clusters", body);
        Map<String, Object> form = new LinkedHashMap<>(body);
        form.replaceAll((k, v) -> v == null ? "" : v);
        var fragment = connector.getFragment("clusters").instance();
        if (registered.ok()) {
            clusters(fragment, id, api.data(registered), Map.of("kind", form.get("kind")), null);
            return Response.ok(fragment).build();
        }
        clusters(fragment, id, null, form, api.problem(registered));
        return Response.status(registered.status()).entity(fragment).build();
    }

    private void clusters(TemplateInstance page, String connectorId, Object registered, Map<String, Object> form,
            String error) {
        var answer = api.get(connectorPath(connectorId) + "/clusters?top=" + MAX);
        List<ClusterRow> rows = new ArrayList<>();
        for (Map<String, Object> cluster : api.items(answer)) {
            var status = api.get(connectorPath(connectorId) + "/clusters/"
                    + PortalQuery.segment(String.valueOf(cluster.get("id"))) + "/status");
            rows.add(new ClusterRow(cluster, status.ok() ? api.data(status) : null));
        }
        page.data("connectorId", connectorId).data("clusters", rows).data("clustersError", api.problem(answer))
                .data("registered", registered).data("form", form).data("kinds", CLUSTER_KINDS)
                .data("clusterError", error);
    }

    @GET
    @Path("connectors/{id}/plans")
    public TemplateInstance plansFragment(@PathParam("id") String id) {
        return plans(connector.getFragment("plans").instance(), id, null);
    }

    /** Turns a plan on (Standard) or off (Free): the switch's form sends {@code on}, or {@code tier} itself. */
    @PUT
    @Path("connectors/{id}/plans/{name}")
    public Response setTier(@PathParam("id") String id, @PathParam("name") String name, @FormParam("on") String on,
            @FormParam("tier") String tier) {
        String pricingTier = "Standard".equals(tier) || "Free".equals(tier) ? tier : on != null ? "Standard" : "Free";
        return changePlan(id, name, Map.of("pricingTier", pricingTier));
    }

    /** Sets the plan's extensions: those sent are on, the plan's others off; the tier stays as it is. */
    @PUT
    @Path("connectors/{id}/plans/{name}/extensions")
    public Response setExtensions(@PathParam("id") String id, @PathParam("name") String name,
            @FormParam("extension") List<String> enabled) {
        if (!PLANS.contains(name)) {
            return noSuchPlan(id, name);
        }
        var current = api.get(planPath(id, name));
        if (!current.ok()) {
            return planFailure(id, current);
        }
        Map<?, ?> plan = (Map<?, ?>) api.data(current);
        List<Map<String, Object>> extensions = new ArrayList<>();
        if (plan.get("extensions") instanceof List<?> offered) {
            for (Object e : offered) {
                Map<String, Object> extension = new LinkedHashMap<>();
                extension.put("name", ((Map<?, ?>) e).get("name"));
                extension.put("isEnabled", enabled != null && enabled.contains(extension.get("name")));
                extensions.add(extension);
            }
        }
        return changePlan(id, name, sameTier(plan, "extensions", extensions));
    }

    /** Sets how many days the Containers plan keeps audit logs; the tier stays as it is. */
    @PUT
    @Path("connectors/{id}/plans/{name}/retention")
    public Response setRetention(@PathParam("id") String id, @PathParam("name") String name,
            @FormParam("auditLogRetentionDays") String days) {
        int retention;
        try {
            retention = Integer.parseInt(days == null ? "" : days.trim());
        } catch (NumberFormatException e) {
            return Response.status(400).entity(plans(connector.getFragment("plans").instance(), id,
                    "Audit-log retention must be a whole number of days")).build();
        }
        if (!PLANS.contains(name)) {
            return noSuchPlan(id, name);
        }
        var current = api.get(planPath(id, name));
        if (!current.ok()) {
            return planFailure(id, current);
        }
        return changePlan(id, name, sameTier((Map<?, ?>) api.data(current), "auditLogRetentionDays", retention));
    }

    /** The deprecated Kubernetes plan's way out: Containers on and Kubernetes off in one step. */
    @POST
    @Path("connectors/{id}/plans/upgrade")
    public Response upgradeKubernetesPlan(@PathParam("id") String id) {
        var answer = api.post("/api/plans/" + PortalQuery.segment(id) + "/Kubernetes/upgrade", null);
        return Response.status(answer.ok() ? 200 : answer.status())
                .entity(plans(connector.getFragment("plans").instance(), id, api.problem(answer))).build();
    }

    private Response changePlan(String id, String name, Map<String, Object> body) {
        if (!PLANS.contains(name)) {
            return noSuchPlan(id, name);
        }
        var answer = api.put(planPath(id, name), body);
        return Response.status(answer.ok() ? 200 : answer.status())
                .entity(plans(connector.getFragment("plans").instance(), id, api.problem(answer))).build();
    }

    /** A plan change that keeps the plan's tier and changes one more setting. */
    private static Map<String, Object> sameTier(Map<?, ?> plan, String setting, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pricingTier", plan.get("pricingTier"));
        body.put(setting, value);
        return body;
    }

    private Response noSuchPlan(String id, String name) {
        return Response.status(404).entity(plans(connector.getFragment("plans").instance(), id,
                "There is no plan " + name + "; plans are " + String.join(", ", PLANS))).build();
    }

    private Response planFailure(String id, PortalApi.Answer answer) {
        return Response.status(answer.status())
                .entity(plans(connector.getFragment("plans").instance(), id, api.problem(answer))).build();
    }

    /** The plans as they are stored now (so a switch shows the real state), and what went wrong, if anything. */
    private TemplateInstance plans(TemplateInstance page, String connectorId, String error) {
        var answer = api.get("/api/plans/" + PortalQuery.segment(connectorId));
        String problem = error != null ? error : api.problem(answer);
        if (error != null && !answer.ok()) {
            problem = error + " — " + api.problem(answer);
        }
        return page.data("connectorId", connectorId).data("plans", api.items(answer)).data("plansError", problem)
                .data("plansUnknown", answer.status() == 404).data("planNotes", PLAN_NOTES)
                .data("extensionNotes", EXTENSION_NOTES);
    }

    private static String connectorPath(String id) {
        return "/api/connectors/" + PortalQuery.segment(id);
    }

    private static String planPath(String id, String name) {
        return "/api/plans/" + PortalQuery.segment(id) + "/" + PortalQuery.segment(name);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
