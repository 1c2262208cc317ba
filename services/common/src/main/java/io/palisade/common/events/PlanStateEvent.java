package io.palisade.common.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Latest plan state of one scope (a connector) on {@code palisade.plans}, keyed by scope id. */
public record PlanStateEvent(String type, int version, UUID scopeId, List<PlanEntry> plans, Instant changedAt)
        implements VersionedEvent {
    public static final String TYPE = "plan-state";
    public static final int VERSION = 1;

    /**
     * One plan of the scope: {@code Containers}, {@code Kubernetes} or {@code Servers}, at tier Free or Standard, with
     * its extensions (name → on) and, for Containers, the audit-log retention in days (null otherwise).
     */
    public record PlanEntry(String name, String pricingTier, Instant enablementTime, Map<String, Boolean> extensions,
            Integer auditLogRetentionDays) {
        public PlanEntry(String name, String pricingTier, Instant enablementTime) {
            this(name, pricingTier, enablementTime, Map.of(), null);
        }
    }

    public static PlanStateEvent of(UUID scopeId, List<PlanEntry> plans, Instant changedAt) {
        return new PlanStateEvent(TYPE, VERSION, scopeId, List.copyOf(plans), changedAt);
    }

    /** Plans that protect Kubernetes clusters; the Kubernetes plan is the deprecated predecessor of Containers. */
    public static final java.util.Set<String> PROTECTING_PLANS = java.util.Set.of("Containers", "Kubernetes");

    /** The protecting plan at Standard that has been on longest, if any: the scope is protected since then. */
    public java.util.Optional<PlanEntry> protectingPlan() {
        return plans.stream()
                .filter(e -> PROTECTING_PLANS.contains(e.name()) && "Standard".equals(e.pricingTier()))
                .filter(e -> e.enablementTime() != null)
                .min(java.util.Comparator.comparing(PlanEntry::enablementTime));
    }

    /** Whether audit logs are collected for the scope: a protecting plan is on with its AuditLogCollection extension. */
    public boolean collectsAuditLogs() {
        return protectingPlan().map(p -> p.extensions() == null
                || p.extensions().getOrDefault("AuditLogCollection", Boolean.TRUE)).orElse(false);
    }
}
