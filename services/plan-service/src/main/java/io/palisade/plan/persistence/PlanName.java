package io.palisade.plan.persistence;

import java.util.List;

/** The plans a scope can have, as Defender names its pricings, with the extensions each offers. */
public enum PlanName {
    /** The current plan for Kubernetes threat protection. */
    Containers(List.of(Extension.AuditLogCollection, Extension.ContainerSensor,
            Extension.AgentlessDiscoveryForKubernetes, Extension.PolicyAgent)),
    /** Deprecated: may stay on where it is on; cannot be newly enabled; upgrade to Containers. */
    Kubernetes(List.of(Extension.AuditLogCollection)),
    Servers(List.of());

    private final List<Extension> extensions;

    PlanName(List<Extension> extensions) {
        this.extensions = extensions;
    }

    /** The extensions this plan offers; all are on unless turned off. */
    public List<Extension> extensions() {
        return extensions;
    }

    /** Optional capabilities of a plan. */
    public enum Extension {
        /** Collect the clusters' Kubernetes audit logs (needed for control-plane detections). */
        AuditLogCollection,
        /** Install the Palisade sensor on clusters automatically. */
        ContainerSensor,
        /** Discover clusters and workloads through the cloud APIs, without an agent. */
        AgentlessDiscoveryForKubernetes,
        /** Deploy the admission policy agent. */
        PolicyAgent
    }
}
