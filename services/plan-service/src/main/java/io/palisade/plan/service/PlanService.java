package io.palisade.plan.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.palisade.common.api.PageRequest;
import io.palisade.common.problem.ProblemException;
import io.palisade.plan.messaging.PlanStatePublisher;
import io.palisade.plan.persistence.KnownConnector;
import io.palisade.plan.persistence.Plan;
import io.palisade.plan.persistence.PlanChange;
import io.palisade.plan.persistence.PlanName;
import io.palisade.plan.persistence.PricingTier;
import io.quarkus.panache.common.Sort;

/**
 * Turns plans on and off per scope, with their extensions and retention; every change is in the scope's history
 * and on {@code palisade.plans} before it commits.
 *
 * <p>
 * What is published is the state of all of a scope's plans, so changes of one scope are serialized, across replicas
 * too: each first locks the scope's {@link KnownConnector} row. A change then reads the plans as the previous one
 * committed them, and publishes after it; the last record on the compacted topic is the committed state. Without the
 * lock, two changes of different plans of one scope would each publish a state without the other's change.
 */
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

    public List<PlanChange> history(UUID scopeId, PageRequest page) {
        requireKnown(scopeId);
        return PlanChange.<PlanChange> find("scopeId", Sort.descending("changedAt", "id"), scopeId)
                .range(page.skip(), page.skip() + page.fetchSize() - 1).list();
    }

    @Transactional
    public Plan update(UUID scopeId, PlanName name, PlanUpdate update, String user) {
        lockScope(scopeId);
        Plan plan = current(scopeId, name);
        if (name == PlanName.Kubernetes && update.pricingTier() == PricingTier.Standard
                && plan.pricingTier != PricingTier.Standard) {
            throw new ProblemException(409, "Conflict", "The Kubernetes plan is deprecated and cannot be newly "
                    + "enabled; enable the Containers plan instead (it includes everything the Kubernetes plan did)");
        }
        if (update.auditLogRetentionDays() != null && name != PlanName.Containers) {
            throw ProblemException.badRequest("auditLogRetentionDays", "is set on the Containers plan only");
        }
        if (update.extensions() != null) {
            for (PlanName.Extension extension : update.extensions().keySet()) {
                if (!name.extensions().contains(extension)) {
                    throw ProblemException.badRequest("extensions", "the " + name + " plan has no extension "
                            + extension + "; it offers " + name.extensions());
                }
            }
        }
        apply(plan, update, user, Instant.now());
        publish(scopeId);
        return plan;
    }

    /**
     * The Kubernetes plan's upgrade path: Containers on (continuing the Kubernetes plan's protection, so no gap in
     * alerting) and Kubernetes off, in one step.
     */
    @Transactional
    public List<Plan> upgradeKubernetesPlan(UUID scopeId, String user) {
        lockScope(scopeId);
        Plan kubernetes = current(scopeId, PlanName.Kubernetes);
        if (kubernetes.pricingTier != PricingTier.Standard) {
            throw ProblemException.conflict("The Kubernetes plan is not on for connector " + scopeId
                    + "; there is nothing to upgrade (enable Containers directly)");
        }
        Instant now = Instant.now();
        Instant protectedSince = kubernetes.enablementTime;
        Plan containers = current(scopeId, PlanName.Containers);
        boolean containersWasOn = containers.pricingTier == PricingTier.Standard;
        apply(containers, new PlanUpdate(PricingTier.Standard, null, null), user, now);
        if (!containersWasOn && protectedSince != null) {
            containers.enablementTime = protectedSince;
        }
        apply(kubernetes, new PlanUpdate(PricingTier.Free, null, null), user, now);
        publish(scopeId);
        return plansOf(scopeId);
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

    /** The connector is gone: so are its plans (their history stays for the record). */
    public void forgetScope(UUID id) {
        KnownConnector known = KnownConnector.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (known == null) {
            return;
        }
        known.delete();
        Plan.delete("key.scopeId", id);
        publisher.scopeDeleted(id);
    }

    private void apply(Plan plan, PlanUpdate update, String user, Instant now) {
        PricingTier fromTier = plan.pricingTier;
        List<String> changes = new ArrayList<>();
        if (update.pricingTier() == PricingTier.Standard && fromTier != PricingTier.Standard) {
            plan.enablementTime = now;
        } else if (update.pricingTier() == PricingTier.Free) {
            plan.enablementTime = null;
        }
        plan.pricingTier = update.pricingTier();
        if (plan.key.name == PlanName.Containers) {
            Integer before = plan.auditLogRetentionDays;
            int after = update.auditLogRetentionDays() != null ? update.auditLogRetentionDays()
                    : before != null ? before : PlanUpdate.DEFAULT_RETENTION_DAYS;
            if (before == null || before != after) {
                changes.add("auditLogRetentionDays " + (before == null ? "unset" : before) + " → " + after);
            }
            plan.auditLogRetentionDays = after;
        }
        if (update.extensions() != null) {
            Map<PlanName.Extension, Boolean> extensions = new EnumMap<>(PlanName.Extension.class);
            extensions.putAll(plan.extensions);
            update.extensions().forEach((extension, on) -> {
                if (plan.isEnabled(extension) != on) {
                    changes.add(extension + " " + (on ? "off → on" : "on → off"));
                }
                extensions.put(extension, on);
            });
            plan.extensions = extensions;
        }
        if (fromTier == plan.pricingTier && changes.isEmpty()) {
            return;
        }
        plan.lastModifiedBy = user;
        plan.lastModifiedAt = now;
        plan.persist();
        PlanChange change = new PlanChange();
        change.scopeId = plan.key.scopeId;
        change.plan = plan.key.name;
        change.changedBy = user;
        change.changedAt = now;
        change.fromTier = fromTier;
        change.toTier = plan.pricingTier;
        change.changes = String.join("; ", changes);
        change.persist();
    }

    private void publish(UUID scopeId) {
        publisher.scopeChanged(scopeId, Plan.list("key.scopeId", scopeId));
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
            throw notKnown(scopeId);
        }
    }

    /** Waits for the scope's other changes (on any replica) to commit, and holds them off until this one does. */
    private void lockScope(UUID scopeId) {
        if (KnownConnector.findById(scopeId, LockModeType.PESSIMISTIC_WRITE) == null) {
            throw notKnown(scopeId);
        }
    }

    private static ProblemException notKnown(UUID scopeId) {
        return new ProblemException(404, "Not Found", "Connector " + scopeId + " is not known to plan-service; "
                + "if it was created a moment ago, retry shortly");
    }
}
