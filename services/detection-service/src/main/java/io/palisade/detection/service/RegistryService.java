package io.palisade.detection.service;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.palisade.common.events.ClusterEvent;
import io.palisade.common.events.ConnectorEvent;
import io.palisade.common.events.PlanStateEvent;
import io.palisade.detection.persistence.ClusterRegistration;
import io.palisade.detection.persistence.ConnectorRegistration;
import io.palisade.detection.persistence.ScopeProtection;

/** What detection knows of clusters and plans, kept current from {@code palisade.connectors} and {@code palisade.plans}. */
@ApplicationScoped
public class RegistryService {
    public void clusterChanged(ClusterEvent event) {
        ClusterRegistration c = ClusterRegistration.findById(event.clusterId());
        if (c == null) {
            c = new ClusterRegistration();
            c.clusterId = event.clusterId();
        }
        c.connectorId = event.connectorId();
        c.name = event.name();
        c.kind = event.kind();
        c.ingestTokenHash = event.ingestTokenHash();
        c.persist();
    }

    public void connectorChanged(ConnectorEvent event) {
        ConnectorRegistration c = ConnectorRegistration.findById(event.connectorId());
        if (c == null) {
            c = new ConnectorRegistration();
            c.connectorId = event.connectorId();
        }
        c.environment = event.environment();
        c.hierarchyIdentifier = event.hierarchyIdentifier();
        c.persist();
    }

    /** A tombstone on palisade.connectors: a cluster, or a connector (whose clusters were removed before it). */
    public void removed(UUID id) {
        ClusterRegistration.deleteById(id);
        ConnectorRegistration.deleteById(id);
    }

    /**
     * The registered AKS cluster a resource id names: an Azure connector of the subscription with a cluster of that
     * name (names compared case-insensitively, as Azure upper-cases resource ids in its logs).
     */
    public Optional<ClusterRegistration> aksCluster(String subscriptionId, String clusterName) {
        for (ConnectorRegistration connector : ConnectorRegistration.byIdentifier("AzureSubscription", subscriptionId)) {
            Optional<ClusterRegistration> cluster = ClusterRegistration
                    .find("connectorId = ?1 and lower(name) = ?2", connector.connectorId, clusterName.toLowerCase(java.util.Locale.ROOT))
                    .firstResultOptional();
            if (cluster.isPresent()) {
                return cluster;
            }
        }
        return Optional.empty();
    }

    public void planStateChanged(PlanStateEvent event) {
        ScopeProtection p = ScopeProtection.findById(event.scopeId());
        if (p == null) {
            p = new ScopeProtection();
            p.scopeId = event.scopeId();
        }
        Optional<PlanStateEvent.PlanEntry> protecting = event.protectingPlan();
        p.protectedSince = protecting.map(PlanStateEvent.PlanEntry::enablementTime).orElse(null);
        p.protectingPlan = protecting.map(PlanStateEvent.PlanEntry::name).orElse(null);
        p.collectsAuditLogs = event.collectsAuditLogs();
        // Turning the plan off stops collection but keeps the archive's retention as it was: what was collected is
        // purged on the schedule its owner chose, not cut to the default.
        if (protecting.isPresent()) {
            p.retentionDays = protecting.get().auditLogRetentionDays();
        }
        p.persist();
    }

    public void scopeRemoved(UUID scopeId) {
        ScopeProtection.deleteById(scopeId);
    }

    public Optional<ClusterRegistration> clusterByTokenHash(String hash) {
        return ClusterRegistration.byTokenHash(hash);
    }

    public Optional<ClusterRegistration> cluster(UUID clusterId) {
        return ClusterRegistration.findByIdOptional(clusterId);
    }

    public Optional<ScopeProtection> protection(UUID scopeId) {
        return ScopeProtection.findByIdOptional(scopeId);
    }

    /** Whether activity at {@code time} in the scope is covered by an enabled plan. */
    public boolean covered(UUID scopeId, Instant time) {
        return protection(scopeId).map(p -> p.covers(time)).orElse(false);
    }
}
