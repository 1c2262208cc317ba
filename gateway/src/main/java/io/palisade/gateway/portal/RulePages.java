package io.palisade.gateway.portal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palisade.common.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;

/**
 * Rules: the detection catalogue (shipped and custom rules, which admins turn off and on), custom rules (admins add
 * them as JSON and delete them) and the alert-service's suppression rules (admins create, simulate and delete them).
 * Readers see the same pages without the controls; the services refuse them anyway.
 */
@Path("/portal/rules")
@RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
@Produces(MediaType.TEXT_HTML)
public class RulePages {
    static final List<String> TABS = List.of("catalogue", "custom", "suppression");
    static final String[] CATALOGUE_FILTERS = { "q", "severity", "tactic", "source", "state" };
    static final List<String> SOURCES = List.of("shipped", "custom");
    static final List<String> STATES = List.of("enabled", "disabled");
    static final List<String> REASONS = List.of("BenignPositive", "FalsePositive", "Other");
    static final List<String> RULE_STATES = List.of("Enabled", "Disabled");
    /** The entity fields a suppression condition may test (alert-service's SuppressionConditions.FIELDS). */
    static final List<String> CONDITION_FIELDS = List.of("namespace", "user", "image", "resourceName",
            "clusterName", "clusterId", "connectorId", "ipAddress", "hostName", "commandLine");
    static final List<String> OPERATORS = List.of("in", "equals", "contains");
    static final int CONDITION_ROWS = 4;
    /** The API pages rules by at most 500; the portal reads a few pages at most. */
    private static final int PAGE = 500;
    private static final int MAX_PAGES = 4;
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /** A custom rule as the detection-service takes it (its RuleManagementTest's example). */
    static final String CUSTOM_RULE_EXAMPLE = """
            {
              "id": "payments-namespace-changed",
              "alertType": "K8S_CrownJewelsTouched",
              "displayName": "Crown-jewels namespace changed",
              "description": "A change in the payments namespace.",
              "severity": "High",
              "intent": ["Impact"],
              "condition": {
                "all": [
                  { "field": "verb", "in": ["create", "update", "patch", "delete"] },
                  { "field": "objectRef.namespace", "equals": "payments" }
                ]
              },
              "entity": ["objectRef.namespace"],
              "remediationSteps": ["Ask the payments team."]
            }""";

    private final PortalApi api;
    private final ObjectMapper json;
    private final Template catalogue;
    private final Template custom;
    private final Template suppression;

    public RulePages(PortalApi api, ObjectMapper json, @Location("portal/rules/catalogue") Template catalogue,
            @Location("portal/rules/custom") Template custom,
            @Location("portal/rules/suppression") Template suppression) {
        this.api = api;
        this.json = json;
        this.catalogue = catalogue;
        this.custom = custom;
        this.suppression = suppression;
    }

    /** Every rule the detection-service lists, or what went wrong reading them. */
    public record RuleList(List<Map<String, Object>> rules, String error) {
    }

    /** The catalogue as filtered by the user. */
    public record CatalogueTable(List<Map<String, Object>> rules, Map<String, String> filters, int total,
            String error, boolean filtered) {
    }

    /** A suppression rule with its connector's name and its conditions in words. */
    public record SuppressionRow(Map<String, Object> rule, String connector, List<String> conditions) {
    }

    /** What a simulation found: the count and a few alert ids (newest first), or what went wrong. */
    public record Simulation(long matchingAlerts, List<Object> sample, String error) {
        public boolean one() {
            return matchingAlerts == 1;
        }
    }

    @GET
    public TemplateInstance page(@QueryParam("tab") String tab, @Context UriInfo uri) {
        return switch (tab == null ? "catalogue" : tab) {
            case "custom" -> customPage();
            case "suppression" -> withSuppressionRules(suppression.data("tab", "suppression"), emptyDraft(), null,
                    null, null);
            default -> {
                RuleList all = allRules();
                CatalogueTable table = table(uri.getQueryParameters(), all);
                yield catalogue.data("tab", "catalogue").data("filters", table.filters())
                        .data("severities", AlertPages.SEVERITIES).data("tactics", tactics(all))
                        .data("sources", SOURCES).data("states", STATES).data("table", table);
            }
        };
    }

    // ---- catalogue

    /** The catalogue table alone: the filter form swaps it in place. */
    @GET
    @Path("catalogue")
    public TemplateInstance catalogueTable(@Context UriInfo uri) {
        return catalogue.getFragment("table").data("table", table(uri.getQueryParameters(), allRules()));
    }

    /** Turns a rule off or on (admins; the detection-service refuses readers with 403) and re-renders its row. */
    @POST
    @Path("{id}/{action: enable|disable}")
    public Response setEnabled(@PathParam("id") String id, @PathParam("action") String action) {
        var change = api.post("/api/rules/" + PortalQuery.segment(id) + "/" + action, null);
        Object rule;
        if (change.ok()) {
            rule = api.data(change);
        } else {
            var current = api.get("/api/rules/" + PortalQuery.segment(id));
            rule = current.ok() ? api.data(current) : null;
        }
        return Response.status(change.ok() ? 200 : change.status())
                .entity(catalogue.getFragment("row").data("r", rule).data("rowError", api.problem(change))).build();
    }

    private static CatalogueTable table(MultivaluedMap<String, String> params, RuleList all) {
        Map<String, String> filters = PortalQuery.pick(params, CATALOGUE_FILTERS);
        String q = filters.getOrDefault("q", "").toLowerCase(Locale.ROOT);
        List<Map<String, Object>> shown = all.rules().stream()
                .filter(r -> q.isEmpty() || text(r).contains(q))
                .filter(r -> !filters.containsKey("severity") || filters.get("severity").equals(r.get("severity")))
                .filter(r -> !filters.containsKey("tactic") || strings(r.get("intent")).contains(filters.get("tactic")))
                .filter(r -> !filters.containsKey("source") || filters.get("source").equals(r.get("source")))
                .filter(r -> !filters.containsKey("state")
                        || filters.get("state").equals(Boolean.TRUE.equals(r.get("enabled")) ? "enabled" : "disabled"))
                .toList();
        return new CatalogueTable(shown, filters, all.rules().size(), all.error(), !filters.isEmpty());
    }

    /** The tactics the alerts page filters by and any other the catalogue's rules name, for the filter. */
    private static List<String> tactics(RuleList all) {
        var tactics = new LinkedHashSet<>(AlertPages.TACTICS);
        all.rules().forEach(r -> tactics.addAll(strings(r.get("intent"))));
        return List.copyOf(tactics);
    }

    private static String text(Map<String, Object> rule) {
        return String.join(" ", Objects.toString(rule.get("id"), ""), Objects.toString(rule.get("displayName"), ""),
                Objects.toString(rule.get("alertType"), ""), Objects.toString(rule.get("description"), ""),
                String.join(" ", strings(rule.get("intent"))), String.join(" ", strings(rule.get("techniques"))))
                .toLowerCase(Locale.ROOT);
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    private RuleList allRules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            var answer = api.get("/api/rules?skip=" + page * PAGE + "&top=" + PAGE);
            if (!answer.ok()) {
                return new RuleList(rules, api.problem(answer));
            }
            rules.addAll(api.items(answer));
            if (!(api.data(answer) instanceof Map<?, ?> body) || body.get("nextLink") == null) {
                break;
            }
        }
        return new RuleList(rules, null);
    }

    // ---- custom rules

    /** Adds a custom rule from its JSON definition; a refusal (400 names the rule and the field) keeps the text. */
    @POST
    @Path("custom")
    public Response createCustom(@FormParam("definition") String definition) {
        String text = definition == null ? "" : definition.strip();
        JsonNode parsed;
        try {
            parsed = text.isEmpty() ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            return customSection(400, text, null, null, "The definition is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? ""
                            : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                                    + ")"));
        }
        if (parsed == null || !parsed.isObject()) {
            return customSection(400, text, null, null, "The definition must be a JSON object, like the example");
        }
        var created = api.post("/api/rules", parsed);
        if (!created.ok()) {
            return customSection(created.status(), text, null, null, api.problem(created));
        }
        Object id = api.data(created) instanceof Map<?, ?> rule ? rule.get("id") : parsed.path("id").asText();
        return customSection(200, null, "Custom rule '" + id + "' created; it is in force now", null, null);
    }

    @DELETE
    @Path("custom/{id}")
    public Response deleteCustom(@PathParam("id") String id) {
        var deleted = api.delete("/api/rules/" + PortalQuery.segment(id));
        return deleted.ok() ? customSection(200, null, "Custom rule '" + id + "' deleted", null, null)
                : customSection(deleted.status(), null, null, api.problem(deleted), null);
    }

    /** The custom-rules tab, with the field catalogue for rule authors. */
    private TemplateInstance customPage() {
        var fields = api.get("/api/rules/fields");
        return withCustomRules(custom.data("tab", "custom"), null, null, null, null)
                .data("fields", fields.ok() ? api.data(fields) : null);
    }

    /** The list and the form again after a change: {@code error} for the list, {@code formError} for the form. */
    private Response customSection(int status, String definition, String notice, String error, String formError) {
        return Response.status(status).entity(withCustomRules(custom.getFragment("section").instance(), definition,
                notice, error, formError)).build();
    }

    private TemplateInstance withCustomRules(TemplateInstance page, String definition, String notice,
            String error, String formError) {
        RuleList all = allRules();
        return page.data("rules", all.rules().stream().filter(r -> "custom".equals(r.get("source"))).toList())
                .data("listError", all.error()).data("definition", definition).data("notice", notice)
                .data("error", error).data("formError", formError).data("example", CUSTOM_RULE_EXAMPLE);
    }

    // ---- suppression rules

    /** Creates a suppression rule from the form; a refusal re-renders the form as filled with the service's reason. */
    @POST
    @Path("suppression")
    public Response createSuppression(@BeanParam SuppressionForm form) {
        Map<String, Object> draft = form.draft();
        var created = api.post("/api/suppression-rules", body(draft, true));
        if (!created.ok()) {
            return suppressionSection(created.status(), draft, null, null, api.problem(created));
        }
        return suppressionSection(200, emptyDraft(), "Suppression rule '" + draft.get("name")
                + "' created: matching alerts that arrive from now on are dismissed", null, null);
    }

    @DELETE
    @Path("suppression/{id}")
    public Response deleteSuppression(@PathParam("id") String id) {
        var deleted = api.delete("/api/suppression-rules/" + PortalQuery.segment(id));
        return deleted.ok()
                ? suppressionSection(200, emptyDraft(), "Suppression rule deleted; the alerts it dismissed stay "
                        + "dismissed", null, null)
                : suppressionSection(deleted.status(), emptyDraft(), null, api.problem(deleted), null);
    }

    /** How many open alerts the rule being written would dismiss now (changes nothing). */
    @POST
    @Path("suppression/simulate")
    public Response simulateDraft(@BeanParam SuppressionForm form) {
        Map<String, Object> draft = form.draft();
        return simulation(api.post("/api/suppression-rules/simulate", body(draft, false)));
    }

    /** How many open alerts a saved rule would dismiss now, whatever its state and expiry. */
    @POST
    @Path("suppression/{id}/simulate")
    public Response simulateSaved(@PathParam("id") String id) {
        return simulation(api.post("/api/suppression-rules/" + PortalQuery.segment(id) + "/simulate", null));
    }

    @SuppressWarnings("unchecked")
    private Response simulation(PortalApi.Answer answer) {
        Map<String, Object> result = answer.ok() && api.data(answer) instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of();
        Simulation simulation = new Simulation(
                result.get("matchingAlerts") instanceof Number n ? n.longValue() : 0,
                result.get("sample") instanceof List<?> sample ? List.copyOf(sample) : List.of(),
                api.problem(answer));
        return Response.status(answer.ok() ? 200 : answer.status())
                .entity(suppression.getFragment("simulation").data("simulation", simulation)).build();
    }

    /** The list and the form again after a change: {@code error} for the list, {@code formError} for the form. */
    private Response suppressionSection(int status, Map<String, Object> draft, String notice, String error,
            String formError) {
        return Response.status(status).entity(withSuppressionRules(suppression.getFragment("section").instance(),
                draft, notice, error, formError)).build();
    }

    private TemplateInstance withSuppressionRules(TemplateInstance page, Map<String, Object> draft, String notice,
            String error, String formError) {
        var answer = api.get("/api/suppression-rules?top=" + PAGE);
        boolean more = api.data(answer) instanceof Map<?, ?> body && body.get("nextLink") != null;
        List<Map<String, Object>> connectors = new ClusterDirectory(api).connectors();
        Map<String, String> connectorNames = new LinkedHashMap<>();
        connectors.forEach(c -> connectorNames.put(String.valueOf(c.get("id")), String.valueOf(c.get("displayName"))));
        List<SuppressionRow> rows = api.items(answer).stream().map(r -> new SuppressionRow(r,
                r.get("connectorId") == null ? null
                        : connectorNames.getOrDefault(String.valueOf(r.get("connectorId")),
                                String.valueOf(r.get("connectorId"))),
                conditions(r))).toList();
        TreeSet<String> alertTypes = new TreeSet<>();
        allRules().rules().forEach(r -> alertTypes.add(String.valueOf(r.get("alertType"))));
        return page.data("rows", rows).data("listError", api.problem(answer)).data("more", more)
                .data("connectors", connectors).data("alertTypes", alertTypes).data("reasons", REASONS)
                .data("ruleStates", RULE_STATES).data("conditionFields", CONDITION_FIELDS)
                .data("operators", OPERATORS).data("draft", draft).data("notice", notice).data("error", error)
                .data("formError", formError);
    }

    /** A saved rule's conditions in words: {@code namespace in ci, ci-staging}, {@code user contains deployer}. */
    private static List<String> conditions(Map<String, Object> rule) {
        if (!(rule.get("suppressionAlertsScope") instanceof Map<?, ?> scope)
                || !(scope.get("allOf") instanceof List<?> allOf)) {
            return List.of();
        }
        List<String> words = new ArrayList<>();
        for (Object item : allOf) {
            if (item instanceof Map<?, ?> c) {
                String field = String.valueOf(c.get("field"));
                if (c.get("contains") != null) {
                    words.add(field + " contains “" + c.get("contains") + "”");
                } else if (c.get("equals") != null) {
                    words.add(field + " = " + c.get("equals"));
                } else {
                    words.add(field + " in " + String.join(", ", strings(c.get("in"))));
                }
            }
        }
        return words;
    }

    /** The form as the user filled it, to fill it again after a refusal. */
    /** The suppression-rule form as posted (create and simulate read the same fields). */
    public static class SuppressionForm {
        @FormParam("name") String name;
        @FormParam("connectorId") String connectorId;
        @FormParam("alertType") String alertType;
        @FormParam("state") String state;
        @FormParam("reason") String reason;
        @FormParam("comment") String comment;
        @FormParam("expires") String expires;
        @FormParam("conditionField") List<String> fields;
        @FormParam("conditionOperator") List<String> operators;
        @FormParam("conditionValue") List<String> values;

        Map<String, Object> draft() {
            return RulePages.draft(name, connectorId, alertType, state, reason, comment, expires, fields, operators,
                    values);
        }
    }

    private static Map<String, Object> draft(String name, String connectorId, String alertType, String state,
            String reason, String comment, String expires, List<String> fields, List<String> operators,
            List<String> values) {
        Map<String, Object> draft = new LinkedHashMap<>();
        draft.put("name", trim(name));
        draft.put("connectorId", trim(connectorId));
        draft.put("alertType", trim(alertType));
        draft.put("state", trim(state));
        draft.put("reason", trim(reason));
        draft.put("comment", comment == null ? "" : comment.strip());
        draft.put("expires", trim(expires));
        List<Map<String, String>> rows = new ArrayList<>();
        int count = Math.max(CONDITION_ROWS, fields == null ? 0 : fields.size());
        for (int i = 0; i < count; i++) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("field", trim(at(fields, i)));
            row.put("operator", at(operators, i) == null ? "in" : trim(at(operators, i)));
            row.put("value", trim(at(values, i)));
            rows.add(row);
        }
        draft.put("conditions", rows);
        return draft;
    }

    private static Map<String, Object> emptyDraft() {
        return draft(null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * The API body of a draft: blank fields are left out (so the service names what is missing), a condition row
     * counts when it has a field or a value (half a row is the service's to refuse); {@code in} takes comma-separated
     * values. A simulation leaves the state, reason and comment out (the service does not need them).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Map<String, Object> draft, boolean saving) {
        Map<String, Object> body = new LinkedHashMap<>();
        List<String> keys = saving ? List.of("name", "connectorId", "alertType", "state", "reason", "comment")
                : List.of("name", "connectorId", "alertType");
        for (String key : keys) {
            if (draft.get(key) instanceof String value && !value.isEmpty()) {
                body.put(key, value);
            }
        }
        if (draft.get("expires") instanceof String expires && !expires.isEmpty()) {
            // a date input gives the day; the rule expires at its start (UTC)
            body.put("expirationDateUtc", DATE.matcher(expires).matches() ? expires + "T00:00:00Z" : expires);
        }
        List<Map<String, Object>> allOf = new ArrayList<>();
        for (Map<String, String> row : (List<Map<String, String>>) draft.get("conditions")) {
            if (row.get("field").isEmpty() && row.get("value").isEmpty()) {
                continue;
            }
            Map<String, Object> condition = new LinkedHashMap<>();
            condition.put("field", row.get("field").isEmpty() ? null : row.get("field"));
            switch (row.get("operator")) {
                case "equals" -> condition.put("equals", row.get("value"));
                case "contains" -> condition.put("contains", row.get("value"));
                default -> condition.put("in", List.of(row.get("value").split("\\s*,\\s*")).stream()
                        .map(String::strip).filter(v -> !v.isEmpty()).toList());
            }
            allOf.add(condition);
        }
        if (!allOf.isEmpty()) {
            body.put("suppressionAlertsScope", Map.of("allOf", allOf));
        }
        return body;
    }

    private static String at(List<String> values, int index) {
        return values == null || index >= values.size() ? null : values.get(index);
    }

    private static String trim(String value) {
        return value == null ? "" : value.strip();
    }
}
