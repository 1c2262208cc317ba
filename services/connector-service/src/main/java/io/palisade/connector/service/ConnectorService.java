package io.palisade.connector.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;
import jakarta.transaction.Transactional;

import io.palisade.common.api.ETags;
import io.palisade.common.api.PageRequest;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.CallerScopes;
import io.palisade.connector.messaging.ConnectorStatePublisher;
import io.palisade.connector.persistence.Cluster;
import io.palisade.connector.persistence.Connector;
import io.palisade.connector.persistence.Environment;

/** Creates, changes and removes connectors; every change is on {@code palisade.connectors} before it commits. */
@ApplicationScoped
public class ConnectorService {
    private final ConnectorStatePublisher publisher;

    public ConnectorService(ConnectorStatePublisher publisher) {
        this.publisher = publisher;
    }

    /** The connectors the caller's scopes cover, oldest first. */
    public List<Connector> list(PageRequest page, CallerScopes scopes) {
        var oldestFirst = io.quarkus.panache.common.Sort.by("createdAt").and("id");
        var query = scopes.all() ? Connector.<Connector> findAll(oldestFirst)
                : Connector.<Connector> find("id in ?1", oldestFirst, scopes.connectorIds());
        return query.range(page.skip(), page.skip() + page.fetchSize() - 1).list();
    }

    public Connector get(UUID id) {
        Connector connector = Connector.findById(id);
        if (connector == null) {
            throw ProblemException.notFound("Connector", id);
        }
        return connector;
    }

    @Transactional
    public Connector create(Environment environment, String displayName, String hierarchyIdentifier,
            List<String> regions, ContainersOffering offering, String user) {
        String problem = environment.checkHierarchyIdentifier(hierarchyIdentifier);
        if (problem != null) {
            throw ProblemException.badRequest("hierarchyIdentifier", problem);
        }
        Instant now = Instant.now();
        Connector c = new Connector();
        c.id = UUID.randomUUID();
        c.environment = environment;
        c.displayName = displayName;
        c.hierarchyIdentifier = hierarchyIdentifier == null || hierarchyIdentifier.isBlank() ? null : hierarchyIdentifier;
        c.regions = regions == null ? List.of() : List.copyOf(regions);
        apply(c, offering == null ? ContainersOffering.ALL_ON : offering.over(ContainersOffering.ALL_ON));
        c.createdBy = user;
        c.createdAt = now;
        c.lastModifiedBy = user;
        c.lastModifiedAt = now;
        c.persist();
        publisher.connectorChanged(c);
        return c;
    }

    /**
     * Changes what may change of a connector: its name, regions and offering settings (environment and identifier
     * are what the connector is; a different one is a new connector). {@code expectedVersion} from If-Match guards
     * against overwriting someone else's change.
     */
    @Transactional
    public Connector update(UUID id, Long expectedVersion, Environment environment, String hierarchyIdentifier,
            String displayName, List<String> regions, ContainersOffering offering, String user) {
        Connector c = get(id);
        ETags.check(expectedVersion, c.version, "Connector " + id);
        if (environment != null && environment != c.environment) {
            throw ProblemException.badRequest("environment", "cannot be changed (create a new connector)");
        }
        if (hierarchyIdentifier != null && !hierarchyIdentifier.equals(c.hierarchyIdentifier)) {
            throw ProblemException.badRequest("hierarchyIdentifier", "cannot be changed (create a new connector)");
        }
        c.displayName = displayName;
        if (regions != null) {
            c.regions = List.copyOf(regions);
        }
        if (offering != null) {
            apply(c, offering.over(offeringOf(c)));
        }
        c.lastModifiedBy = user;
        c.lastModifiedAt = Instant.now();
        try {
            Connector.getEntityManager().flush();
        } catch (OptimisticLockException e) {
            throw new ProblemException(409, "Conflict", "Connector " + id + " was changed at the same time; retry");
        }
        publisher.connectorChanged(c);
        return c;
    }

    public static ContainersOffering offeringOf(Connector c) {
        return new ContainersOffering(c.auditLogAutoProvisioning, c.sensorAutoProvisioning, c.agentlessDiscovery,
                c.policyAgent);
    }

    private static void apply(Connector c, ContainersOffering offering) {
        c.auditLogAutoProvisioning = offering.auditLogAutoProvisioning();
        c.sensorAutoProvisioning = offering.sensorAutoProvisioning();
        c.agentlessDiscovery = offering.agentlessDiscovery();
        c.policyAgent = offering.policyAgent();
    }

    @Transactional
    public void delete(UUID id) {
        Connector connector = get(id);
        List<Cluster> clusters = Cluster.list("connectorId", id);
        for (Cluster cluster : clusters) {
            publisher.deleted(cluster.id);
            cluster.delete();
        }
        connector.delete();
        publisher.deleted(id);
    }
}
