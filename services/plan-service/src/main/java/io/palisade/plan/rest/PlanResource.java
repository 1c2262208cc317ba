package io.palisade.plan.rest;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import io.palisade.common.api.Page;
import io.palisade.common.api.PageRequest;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.Roles;
import io.palisade.plan.persistence.Plan;
import io.palisade.plan.persistence.PlanChange;
import io.palisade.plan.persistence.PlanName;
import io.palisade.plan.persistence.PricingTier;
import io.palisade.plan.service.PlanService;
import io.palisade.plan.service.PlanUpdate;
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

    /** An extension and whether it is on, as in Defender's pricings API. */
    public record ExtensionView(String name, Boolean isEnabled) {
    }

    public record PlanView(UUID scopeId, PlanName name, PricingTier pricingTier, Instant enablementTime,
            boolean deprecated, List<ExtensionView> extensions, Integer auditLogRetentionDays, String lastModifiedBy,
            Instant lastModifiedAt) {
        static PlanView of(Plan p) {
            List<ExtensionView> extensions = p.key.name.extensions().stream()
                    .map(e -> new ExtensionView(e.name(), p.isEnabled(e))).toList();
            Integer retention = p.key.name == PlanName.Containers
                    ? (p.auditLogRetentionDays == null ? PlanUpdate.DEFAULT_RETENTION_DAYS : p.auditLogRetentionDays)
                    : null;
            return new PlanView(p.key.scopeId, p.key.name, p.pricingTier, p.enablementTime,
                    p.key.name == PlanName.Kubernetes, extensions, retention, p.lastModifiedBy, p.lastModifiedAt);
        }
    }

    public record SetPlan(
            @NotNull(message = "is required (Free or Standard)") PricingTier pricingTier,
            List<ExtensionView> extensions,
            @Min(value = PlanUpdate.MIN_RETENTION_DAYS, message = "must be at least " + PlanUpdate.MIN_RETENTION_DAYS + " day")
            @Max(value = PlanUpdate.MAX_RETENTION_DAYS, message = "must be at most " + PlanUpdate.MAX_RETENTION_DAYS + " days")
            Integer auditLogRetentionDays) {

        PlanUpdate toUpdate() {
            Map<PlanName.Extension, Boolean> requested = null;
            if (extensions != null) {
                requested = new EnumMap<>(PlanName.Extension.class);
                for (int i = 0; i < extensions.size(); i++) {
                    ExtensionView e = extensions.get(i);
                    String field = "extensions[" + i + "]";
                    if (e == null || e.name() == null || e.isEnabled() == null) {
                        throw ProblemException.badRequest(field, "needs a name and isEnabled");
                    }
                    try {
                        requested.put(PlanName.Extension.valueOf(e.name()), e.isEnabled());
                    } catch (IllegalArgumentException unknown) {
                        throw ProblemException.badRequest(field + ".name", "unknown extension '" + e.name() + "'");
                    }
                }
            }
            return new PlanUpdate(pricingTier, requested, auditLogRetentionDays);
        }
    }

    public record PlanChangeView(PlanName plan, String changedBy, Instant changedAt, PricingTier fromTier,
            PricingTier toTier, String changes) {
        static PlanChangeView of(PlanChange c) {
            return new PlanChangeView(c.plan, c.changedBy, c.changedAt, c.fromTier, c.toTier, c.changes);
        }
    }

    @GET
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public Page<PlanView> list(@PathParam("scopeId") UUID scopeId) {
        return new Page<>(plans.plansOf(scopeId).stream().map(PlanView::of).toList(), null);
    }

    @GET
    @Path("{name}")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public PlanView get(@PathParam("scopeId") UUID scopeId, @PathParam("name") PlanName name) {
        return PlanView.of(plans.get(scopeId, name));
    }

    /** Sets a plan's tier and, optionally, its extensions and (Containers) audit-log retention. */
    @PUT
    @Path("{name}")
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public PlanView set(@PathParam("scopeId") UUID scopeId, @PathParam("name") PlanName name,
            @Valid @NotNull(message = "a JSON body is required") SetPlan request) {
        return PlanView.of(plans.update(scopeId, name, request.toUpdate(), identity.getPrincipal().getName()));
    }

    /** The deprecated Kubernetes plan's upgrade path: Containers on and Kubernetes off in one step. */
    @POST
    @Path("Kubernetes/upgrade")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    public Page<PlanView> upgrade(@PathParam("scopeId") UUID scopeId) {
        return new Page<>(plans.upgradeKubernetesPlan(scopeId, identity.getPrincipal().getName()).stream()
                .map(PlanView::of).toList(), null);
    }

    @GET
    @Path("history")
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    public Page<PlanChangeView> history(@PathParam("scopeId") UUID scopeId, @QueryParam("skip") Integer skip,
            @QueryParam("top") Integer top, @Context UriInfo uriInfo) {
        PageRequest page = PageRequest.of(skip, top);
        return Page.of(plans.history(scopeId, page).stream().map(PlanChangeView::of).toList(), page, uriInfo);
    }
}
