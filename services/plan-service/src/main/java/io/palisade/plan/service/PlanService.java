package io.palisade.plan.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.palisade.common.problem.ProblemException;
import io.palisade.plan.messaging.PlanStatePublisher;
import io.palisade.plan.persistence.KnownConnector;
import io.palisade.plan.persistence.Plan;
import io.palisade.plan.persistence.PlanName;
import io.palisade.plan.persistence.PricingTier;

/** Turns plans on and off per scope; every change is on {@code palisade.plans} before it commits. */
@ApplicationScoped
public class PlanService {
    private final PlanStatePublisher publisher;

    public PlanService(PlanStatePublisher publisher) {
        this.publisher = publisher;
    }

    /** All plans of a scope, Free where never enabled. */
    public List<Plan> plansOf(UUID scopeId) {
        requireKnown(scopeId);
        List<Plan> result = new ArrayList<>();
        for (PlanName name : PlanName.values()) {
            result.add(current(scopeId, name));
        }
        return result;
    }

    public Plan get(UUID scopeId, PlanName name) {
        requireKnown(scopeId);
        return current(scopeId, name);
    }

    @Transactional
    public Plan setTier(UUID scopeId, PlanName name, PricingTier tier, String user) {
        requireKnown(scopeId);
        Plan plan = Plan.findById(new Plan.Key(scopeId, name));
        boolean wasStandard = plan != null && plan.pricingTier == PricingTier.Standard;
        if (name == PlanName.Kubernetes && tier == PricingTier.Standard && !wasStandard) {
            throw new ProblemException(409, "Conflict", "The Kubernetes plan is deprecated and cannot be newly "
                    + "enabled; enable the Containers plan instead (it includes everything the Kubernetes plan did)");
        }
        if (plan == null) {
            plan = new Plan();
            plan.key = new Plan.Key(scopeId, name);
        }
        Instant now = Instant.now();
        if (tier == PricingTier.Standard && !wasStandard) {
            plan.enablementTime = now;
        } else if (tier == PricingTier.Free) {
            plan.enablementTime = null;
        }
        plan.pricingTier = tier;
        plan.lastModifiedBy = user;
        plan.lastModifiedAt = now;
        plan.persist();
        publisher.scopeChanged(scopeId, Plan.list("key.scopeId", scopeId));
        return plan;
    }

    public void rememberConnector(UUID id, String environment) {
        KnownConnector known = KnownConnector.findById(id);
        if (known == null) {
            known = new KnownConnector();
            known.id = id;
        }
        known.environment = environment;
        known.persist();
    }

    /** The connector is gone: so are its plans. */
    public void forgetScope(UUID id) {
        if (KnownConnector.deleteById(id)) {
            Plan.delete("key.scopeId", id);
            publisher.scopeDeleted(id);
        }
    }

    private Plan current(UUID scopeId, PlanName name) {
        Plan plan = Plan.findById(new Plan.Key(scopeId, name));
        if (plan != null) {
            return plan;
        }
        Plan free = new Plan();
        free.key = new Plan.Key(scopeId, name);
        free.pricingTier = PricingTier.Free;
        return free;
    }

    private void requireKnown(UUID scopeId) {
        if (KnownConnector.findById(scopeId) == null) {
            throw new ProblemException(404, "Not Found", "Connector " + scopeId + " is not known to plan-service; "
                    + "if it was created a moment ago, retry shortly");
        }
    }
}
