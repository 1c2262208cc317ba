package io.palisade.plan.service;

import java.util.Map;

import io.palisade.plan.persistence.PlanName;
import io.palisade.plan.persistence.PricingTier;

/**
 * A requested change of one plan. Null extensions or retention mean "leave as they are"; extensions not named keep
 * their state.
 */
public record PlanUpdate(PricingTier pricingTier, Map<PlanName.Extension, Boolean> extensions,
        Integer auditLogRetentionDays) {

    /** Audit-log retention bounds for Containers, in days. */
    public static final int DEFAULT_RETENTION_DAYS = 30;
    public static final int MIN_RETENTION_DAYS = 1;
    public static final int MAX_RETENTION_DAYS = 365;
}
