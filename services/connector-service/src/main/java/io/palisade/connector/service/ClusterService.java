package io.palisade.connector.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.palisade.common.api.PageRequest;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.IngestTokens;
import io.palisade.connector.messaging.ConnectorStatePublisher;
import io.palisade.connector.persistence.Cluster;
import io.palisade.connector.persistence.ClusterKind;
import io.quarkus.panache.common.Sort;

/** Registers clusters under a connector and issues their ingest tokens. */
@ApplicationScoped
public class ClusterService {
    private final ConnectorService connectors;
    private final ConnectorStatePublisher publisher;

    public ClusterService(ConnectorService connectors, ConnectorStatePublisher publisher) {
        this.connectors = connectors;
        this.publisher = publisher;
    }

    /** A new cluster and the only copy of its ingest token there will ever be. */
    public record RegisteredCluster(Cluster cluster, String ingestToken) {
    }

    public List<Cluster> list(UUID connectorId, PageRequest page) {
        connectors.get(connectorId);
        return Cluster.<Cluster> find("connectorId", Sort.by("createdAt").and("id"), connectorId)
                .range(page.skip(), page.skip() + page.fetchSize() - 1).list();
    }

    public Cluster get(UUID connectorId, UUID clusterId) {
        Cluster cluster = Cluster.findById(clusterId);
        if (cluster == null || !cluster.connectorId.equals(connectorId)) {
            throw ProblemException.notFound("Cluster", clusterId);
        }
        return cluster;
    }

    @Transactional
    public RegisteredCluster register(UUID connectorId, String name, ClusterKind kind, String region, String user) {
        connectors.get(connectorId);
        if (Cluster.count("connectorId = ?1 and name = ?2", connectorId, name) > 0) {
            throw ProblemException.conflict("A cluster named '" + name + "' already exists under connector " + connectorId);
        }
        String token = IngestTokens.generate();
        Cluster c = new Cluster();
        c.id = UUID.randomUUID();
        c.connectorId = connectorId;
        c.name = name;
        c.kind = kind;
        c.region = region;
        c.ingestTokenHash = IngestTokens.hash(token);
        c.createdBy = user;
        c.createdAt = Instant.now();
        c.persist();
        publisher.clusterChanged(c);
        return new RegisteredCluster(c, token);
    }

    @Transactional
    public void delete(UUID connectorId, UUID clusterId) {
        Cluster cluster = get(connectorId, clusterId);
        cluster.delete();
        publisher.deleted(clusterId);
    }
}
