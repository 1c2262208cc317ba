package io.palisade.connector.service;

/** The Containers offering settings of a connector (Defender's DefenderForContainers offering); all on by default. */
public record ContainersOffering(Boolean auditLogAutoProvisioning, Boolean sensorAutoProvisioning,
        Boolean agentlessDiscovery, Boolean policyAgent) {
    public static final ContainersOffering ALL_ON = new ContainersOffering(true, true, true, true);

    /** This offering with every unset setting taken from {@code base}. */
    public ContainersOffering over(ContainersOffering base) {
        return new ContainersOffering(
                auditLogAutoProvisioning != null ? auditLogAutoProvisioning : base.auditLogAutoProvisioning,
                sensorAutoProvisioning != null ? sensorAutoProvisioning : base.sensorAutoProvisioning,
                agentlessDiscovery != null ? agentlessDiscovery : base.agentlessDiscovery,
                policyAgent != null ? policyAgent : base.policyAgent);
    }
}
