package io.palisade.plan.persistence;

/** The plans a scope can have, as Defender names its pricings. */
public enum PlanName {
    /** The current plan for Kubernetes threat protection. */
    Containers,
    /** Deprecated: may stay on where it is on; cannot be newly enabled; upgrade to Containers. */
    Kubernetes,
    Servers
}
