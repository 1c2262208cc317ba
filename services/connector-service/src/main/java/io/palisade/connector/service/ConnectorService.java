package io.palisade.connector.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.palisade.common.api.PageRequest;
import io.palisade.common.problem.ProblemException;
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

    public List<Connector> list(PageRequest page) {
        return Connector.<Connector> findAll(io.quarkus.panache.common.Sort.by("createdAt").and("id"))
                .range(page.skip(), page.skip() + page.fetchSize() - 1).list();
    }

    public Connector get(UUID id) {
        Connector connector = Connector.findById(id);
        if (connector == null) {
            throw ProblemException.notFound("Connector", id);
        }
        return connector;
    }

    @Transactional
    public Connector create(Environment environment, String displayName, String hierarchyIdentifier, String user) {
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
        c.createdBy = user;
        c.createdAt = now;
        c.lastModifiedBy = user;
        c.lastModifiedAt = now;
        c.persist();
        publisher.connectorChanged(c);
        return c;
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
