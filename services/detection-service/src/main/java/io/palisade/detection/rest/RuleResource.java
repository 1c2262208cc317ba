package io.palisade.detection.rest;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.api.Page;
import io.palisade.common.api.PageRequest;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.Roles;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.engine.FieldCatalogue;
import io.palisade.detection.service.RuleCatalogue;
import io.palisade.detection.service.RuleService;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The detection rules: the shipped catalogue and custom rules. Readers list them; admins create, update, delete
 * (custom rules) and turn any rule off or on. Changes take effect without a restart.
 */
@Path("/api/rules")
@Produces(MediaType.APPLICATION_JSON)
public class RuleResource {
    private final RuleCatalogue catalogue;
    private final RuleService rules;
    private final SecurityIdentity identity;

    public RuleResource(RuleCatalogue catalogue, RuleService rules, SecurityIdentity identity) {
        this.catalogue = catalogue;
        this.rules = rules;
        this.identity = identity;
    }

    public record RuleView(String id, String source, boolean enabled, String alertType, String displayName,
            String description, String severity, List<String> intent, List<String> techniques,
            List<String> exceptions, List<String> remediationSteps, List<String> falcoRules, boolean anomaly,
            JsonNode definition) {
        static RuleView of(RuleCatalogue.CatalogueRule c) {
            DetectionRule r = c.rule();
            return new RuleView(r.id(), c.source().name(), c.enabled(), r.alertType(), r.displayName(),
                    r.description(), r.severity().name(), r.intent(), r.techniques(),
                    r.exceptions().stream().map(DetectionRule.RuleException::name).toList(), r.remediationSteps(),
                    r.falcoRules(), r.baseline() != null, c.definition());
        }
    }

    public record FieldsView(Map<String, String> fields, Map<String, String> pathPrefixes, String operators) {
    }

    @GET
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public Page<RuleView> list(@QueryParam("skip") Integer skip, @QueryParam("top") Integer top,
            @Context UriInfo uriInfo) {
        PageRequest page = PageRequest.of(skip, top);
        List<RuleView> all = catalogue.rules().stream().map(RuleView::of)
                .sorted(Comparator.comparing(RuleView::source).reversed().thenComparing(RuleView::id)).toList();
        List<RuleView> fetched = all.subList(Math.min(page.skip(), all.size()),
                Math.min(page.skip() + page.fetchSize(), all.size()));
        return Page.of(fetched, page, uriInfo);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public RuleView get(@PathParam("id") String id) {
        return RuleView.of(existing(id));
    }

    @GET
    @Path("fields")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public FieldsView fields() {
        return new FieldsView(FieldCatalogue.FIELDS, FieldCatalogue.PREFIXES,
                "exists, equals, in, allIn, startsWith, allStartWith, contains, matches, allMatches, inIpList");
    }

    /** The named lists shipped rules (and custom ones) may use as operands: "@name". */
    @GET
    @Path("lists")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public Map<String, List<String>> lists() {
        return catalogue.lists();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response create(JsonNode definition) {
        RuleView created = view(rules.create(definition, user()), definition.path("id").asText());
        return Response.created(URI.create("/api/rules/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public RuleView update(@PathParam("id") String id, JsonNode definition) {
        return view(rules.update(id, definition, user()), id);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Response delete(@PathParam("id") String id) {
        rules.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/disable")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public RuleView disable(@PathParam("id") String id) {
        existing(id);
        return view(rules.setEnabled(id, false, user()), id);
    }

    @POST
    @Path("{id}/enable")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public RuleView enable(@PathParam("id") String id) {
        existing(id);
        return view(rules.setEnabled(id, true, user()), id);
    }

    /** The rule as it is in force after a change; gone (deleted meanwhile) is a 404. */
    private static RuleView view(RuleCatalogue.CatalogueRule rule, String id) {
        if (rule == null) {
            throw ProblemException.notFound("Rule", id);
        }
        return RuleView.of(rule);
    }

    private RuleCatalogue.CatalogueRule existing(String id) {
        RuleCatalogue.CatalogueRule rule = catalogue.rule(id);
        if (rule == null) {
            throw ProblemException.notFound("Rule", id);
        }
        return rule;
    }

    private String user() {
        return identity.getPrincipal().getName();
    }
}
