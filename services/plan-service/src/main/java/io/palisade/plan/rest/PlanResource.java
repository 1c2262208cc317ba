package io.palisade.plan.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.palisade.common.api.Page;
import io.palisade.common.security.Roles;
import io.palisade.plan.persistence.Plan;
import io.palisade.plan.persistence.PlanName;
import io.palisade.plan.persistence.PricingTier;
import io.palisade.plan.service.PlanService;
import io.quarkus.security.identity.SecurityIdentity;

/** Plans of a scope (connector), like Defender's pricings: {@code /api/plans/{scopeId}/{Containers|Kubernetes|Servers}}. */
@Path("/api/plans/{scopeId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PlanResource {
    private final PlanService plans;
    private final SecurityIdentity identity;

    public PlanResource(PlanService plans, SecurityIdentity identity) {
        this.plans = plans;
        this.identity = identity;
    }

    public record PlanView(UUID scopeId, PlanName name, PricingTier pricingTier, Instant enablementTime,
            boolean deprecated, String lastModifiedBy, Instant lastModifiedAt) {
        static PlanView of(Plan p) {
            return new PlanView(p.key.scopeId, p.key.name, p.pricingTier, p.enablementTime,
                    p.key.name == PlanName.Kubernetes, p.lastModifiedBy, p.lastModifiedAt);
        }
    }

    public record SetPricingTier(@NotNull(message = "is required (Free or Standard)") PricingTier pricingTier) {
    }

    @GET
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public Page<PlanView> list(@PathParam("scopeId") UUID scopeId) {
        List<PlanView> views = plans.plansOf(scopeId).stream().map(PlanView::of).toList();
        return new Page<>(views, null);
    }

    @GET
    @Path("{name}")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public PlanView get(@PathParam("scopeId") UUID scopeId, @PathParam("name") PlanName name) {
        return PlanView.of(plans.get(scopeId, name));
    }

    @PUT
    @Path("{name}")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public PlanView set(@PathParam("scopeId") UUID scopeId, @PathParam("name") PlanName name,
            @Valid @NotNull(message = "a JSON body is required") SetPricingTier request) {
        return PlanView.of(plans.setTier(scopeId, name, request.pricingTier(), identity.getPrincipal().getName()));
    }
}
