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
}
