package io.palisade.plan.persistence;

/** Free means off; Standard means the plan protects the scope. */
public enum PricingTier {
    Free, Standard
}
