package io.palisade.gateway.portal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.palisade.common.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;

/**
 * Alerts: the filterable list (live: new alerts appear without a reload), an alert's detail with its entities,
 * evidence and history, and — for security admins — dismiss, resolve, activate and in-progress.
 */
@Path("/portal/alerts")
@RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
@Produces(MediaType.TEXT_HTML)
public class AlertPages {
    static final String[] FILTERS = { "severity", "status", "clusterId", "resourceType", "tactic", "from", "to", "q" };
    static final List<String> SEVERITIES = List.of("High", "Medium", "Low", "Informational");
    static final List<String> STATUSES = List.of("Active", "InProgress", "Resolved", "Dismissed");
    static final List<String> TACTICS = List.of("InitialAccess", "Execution", "Persistence", "PrivilegeEscalation",
            "DefenseEvasion", "CredentialAccess", "Discovery", "LateralMovement", "Collection", "Exfiltration",
            "CommandAndControl", "Impact");
    static final List<String> RESOURCE_TYPES = List.of("Kubernetes control plane", "Kubernetes node");
    private static final Set<String> ACTIONS = Set.of("dismiss", "resolve", "activate", "inProgress");
    private static final int PAGE_SIZE = 25;

    private final PortalApi api;
    private final Template list;
    private final Template detail;

    public AlertPages(PortalApi api, @Location("portal/alerts/list") Template list,
            @Location("portal/alerts/detail") Template detail) {
        this.api = api;
        this.list = list;
        this.detail = detail;
    }

    /** One page of the alert list with what the user filtered by. */
    public record AlertTable(List<Map<String, Object>> alerts, Map<String, String> filters, String query, int skip,
            boolean more, String error, boolean filtered) {
        public int from() {
            return alerts.isEmpty() ? 0 : skip + 1;
        }

        public int to() {
            return skip + alerts.size();
        }

        public String previous() {
            return "/portal/alerts/table?" + pageQuery(Math.max(0, skip - PAGE_SIZE));
        }

        public String next() {
            return "/portal/alerts/table?" + pageQuery(skip + PAGE_SIZE);
        }

        private String pageQuery(int at) {
            Map<String, String> params = new LinkedHashMap<>(filters);
            params.put("skip", Integer.toString(at));
            return PortalQuery.encode(params);
        }
    }

    @GET
    public TemplateInstance list(@Context UriInfo uri) {
        AlertTable table = table(uri);
        var clusters = new ClusterDirectory(api).all();
        return list.data("filters", table.filters()).data("clusters", clusters).data("severities", SEVERITIES)
                .data("statuses", STATUSES).data("tactics", TACTICS).data("resourceTypes", RESOURCE_TYPES)
                .data("table", table);
    }

    /** The table alone: the filter form, paging and the live stream swap it in place. */
    @GET
    @Path("table")
    public TemplateInstance tableFragment(@Context UriInfo uri) {
        return list.getFragment("table").data("table", table(uri));
    }

    private AlertTable table(UriInfo uri) {
        var params = uri.getQueryParameters();
        Map<String, String> filters = PortalQuery.pick(params, FILTERS);
        int skip = parseSkip(params.getFirst("skip"));
        Map<String, String> query = new LinkedHashMap<>(filters);
        query.put("orderBy", "time");
        query.put("skip", Integer.toString(skip));
        query.put("top", Integer.toString(PAGE_SIZE + 1));
        var answer = api.get(PortalQuery.withQuery("/api/alerts", toApiTimes(query)));
        List<Map<String, Object>> alerts = api.items(answer);
        boolean more = alerts.size() > PAGE_SIZE;
        return new AlertTable(more ? alerts.subList(0, PAGE_SIZE) : alerts, filters, PortalQuery.encode(filters),
                skip, more, api.problem(answer), !filters.isEmpty());
    }

    /** The page's date-time inputs give local minutes ({@code 2026-11-21T10:00}); the API takes instants in UTC. */
    private static Map<String, String> toApiTimes(Map<String, String> query) {
        for (String key : List.of("from", "to")) {
            String value = query.get(key);
            if (value != null && value.length() == 16) {
                query.put(key, value + ":00Z");
            }
        }
        return query;
    }

    private static int parseSkip(String skip) {
        try {
            return skip == null ? 0 : Math.max(0, Integer.parseInt(skip));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @GET
    @Path("{id}")
    public Response detail(@PathParam("id") String id) {
        var answer = api.get("/api/alerts/" + PortalQuery.segment(id));
        if (answer.status() == 404) {
            return Response.status(404).entity(detail.data("alert", null)
                    .data("error", "No alert " + id + " (or it is outside your scope)")).build();
        }
        return Response.status(answer.ok() ? 200 : answer.status())
                .entity(detail.data("alert", answer.ok() ? api.data(answer) : null).data("error", api.problem(answer)))
                .build();
    }

    /** Changes the alert's status (admins; the alert-service refuses readers with 403 whatever the page shows). */
    @POST
    @Path("{id}/{action}")
    public Response changeStatus(@PathParam("id") String id, @PathParam("action") String action,
            @FormParam("comment") String comment) {
        if (!ACTIONS.contains(action)) {
            return Response.status(404).build();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (comment != null && !comment.isBlank()) {
            body.put("comment", comment.trim());
        }
        var change = api.post("/api/alerts/" + PortalQuery.segment(id) + "/" + action, body);
        var current = api.get("/api/alerts/" + PortalQuery.segment(id));
        String error = change.ok() ? null : api.problem(change);
        return Response.status(change.ok() ? 200 : change.status())
                .entity(detail.getFragment("body").data("alert", current.ok() ? api.data(current) : null)
                        .data("error", error)).build();
    }
}
