package io.palisade.alert.rest;

import java.net.URI;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.alert.persistence.SuppressionRule;
import io.palisade.alert.rest.SuppressionRuleDtos.SimulationView;
import io.palisade.alert.rest.SuppressionRuleDtos.SuppressionRuleRequest;
import io.palisade.alert.rest.SuppressionRuleDtos.SuppressionRuleView;
import io.palisade.common.security.CallerScopes;
import io.palisade.alert.service.SuppressionService;
import io.palisade.common.api.ETags;
import io.palisade.common.api.Page;
import io.palisade.common.api.PageRequest;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Suppression rules, as in Defender: new alerts of a type whose entities match are dismissed on arrival. Readers
 * view; admins create, replace, delete and simulate. A caller limited by {@code palisade_scopes} sees and manages only
 * the rules of their connectors.
 */
@Path("/api/suppression-rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Suppression rules", description = "Dismiss matching new alerts automatically; simulate before saving")
public class SuppressionRuleResource {
    private static final StrictBody<SuppressionRuleRequest> REQUEST = StrictBody.of(SuppressionRuleRequest.class);

    private final SuppressionService rules;
    private final SecurityIdentity identity;
    private final CallerScopes scopes;

    public SuppressionRuleResource(SuppressionService rules, SecurityIdentity identity, CallerScopes scopes) {
        this.rules = rules;
        this.identity = identity;
        this.scopes = scopes;
    }

    @GET
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    @Operation(summary = "List the suppression rules the caller may see, oldest first (value + nextLink)")
    public Page<SuppressionRuleView> list(@QueryParam("alertType") String alertType, @QueryParam("skip") Integer skip,
            @QueryParam("top") Integer top, @Context UriInfo uriInfo) {
        PageRequest page = PageRequest.of(skip, top);
        return Page.of(rules.list(InputText.check("alertType", alertType), scopes, page).stream().map(SuppressionRuleView::of).toList(), page,
                uriInfo);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    @Operation(summary = "One suppression rule, with its ETag")
    @APIResponse(responseCode = "200", description = "The rule")
    @APIResponse(responseCode = "404", description = "No such rule, or not one of the caller's connectors")
    public Response get(@PathParam("id") UUID id) {
        return withTag(Response.ok(), rules.get(id, scopes));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    @Operation(summary = "Create a suppression rule; it dismisses matching alerts that arrive from now on")
    @APIResponse(responseCode = "201", description = "Created; Location names the rule")
    @APIResponse(responseCode = "400", description = "Bad input; the Problem names the field")
    @APIResponse(responseCode = "409", description = "A rule of that name exists for the same connector")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SuppressionRuleRequest.class)))
    public Response create(JsonNode body, @Context UriInfo uriInfo) {
        SuppressionRule created = rules.create(parse(body).toDraft(), user(), scopes);
        URI location = uriInfo.getAbsolutePathBuilder().path(created.id.toString()).build();
        return withTag(Response.created(location), created);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    @Operation(summary = "Replace a suppression rule; send the ETag you read as If-Match (stale → 412)")
    @APIResponse(responseCode = "200", description = "The rule as stored")
    @APIResponse(responseCode = "400", description = "Bad input; the Problem names the field")
    @APIResponse(responseCode = "404", description = "No such rule, or not one of the caller's connectors")
    @APIResponse(responseCode = "412", description = "The rule changed since the caller read it")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SuppressionRuleRequest.class)))
    public Response update(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            JsonNode body) {
        SuppressionRule updated = rules.update(id, ETags.expectedVersion(ifMatch), parse(body).toDraft(), user(),
                scopes);
        return withTag(Response.ok(), updated);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    @Operation(summary = "Delete a suppression rule; alerts it already dismissed stay dismissed")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such rule, or not one of the caller's connectors")
    public Response delete(@PathParam("id") UUID id) {
        rules.delete(id, scopes);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/simulate")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    @Operation(summary = "How many open alerts (Active, InProgress) of the caller's connectors the saved rule "
            + "would dismiss now, whatever its state and expiry; changes nothing")
    @APIResponse(responseCode = "200", description = "{\"matchingAlerts\": n, \"sample\": [alert ids, newest first]}")
    public SimulationView simulateSaved(@PathParam("id") UUID id) {
        return SimulationView.of(rules.simulate(id, scopes));
    }

    @POST
    @Path("simulate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    @Operation(summary = "Simulate an unsaved rule body (name and reason may be left out); changes nothing")
    @APIResponse(responseCode = "200", description = "{\"matchingAlerts\": n, \"sample\": [alert ids, newest first]}")
    @APIResponse(responseCode = "400", description = "Bad input; the Problem names the field")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SuppressionRuleRequest.class)))
    public SimulationView simulateDraft(JsonNode body) {
        return SimulationView.of(rules.simulate(parse(body).toDraft(), scopes));
    }

    private static Response withTag(Response.ResponseBuilder response, SuppressionRule rule) {
        return response.entity(SuppressionRuleView.of(rule)).tag(new EntityTag(String.valueOf(rule.version))).build();
    }

    /** Reads the body strictly (see {@link StrictBody}); a body is required. */
    private static SuppressionRuleRequest parse(JsonNode body) {
        SuppressionRuleRequest request = REQUEST.read(body);
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON body is required");
        }
        return request;
    }

    private String user() {
        return identity.getPrincipal().getName();
    }
}
