package io.palisade.connector.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.palisade.common.api.ETags;
import io.palisade.common.api.PageRequest;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.IngestTokens;
import io.palisade.connector.kubernetes.ClusterClients;
import io.palisade.connector.messaging.ConnectorStatePublisher;
import io.palisade.connector.persistence.Cluster;
import io.palisade.connector.persistence.ClusterKind;
import io.quarkus.panache.common.Sort;

/** Registers clusters under a connector and issues their ingest tokens. */
@ApplicationScoped
public class ClusterService {
    private static final Logger LOG = Logger.getLogger(ClusterService.class);
    private final ConnectorService connectors;
    private final ConnectorStatePublisher publisher;
    private final CredentialCipher cipher;
    private final ClusterClients clients;

    public ClusterService(ConnectorService connectors, ConnectorStatePublisher publisher, CredentialCipher cipher,
            ClusterClients clients) {
        this.connectors = connectors;
        this.publisher = publisher;
        this.cipher = cipher;
        this.clients = clients;
    }

    /** A cluster and the only copy of its (new) ingest token there will ever be. */
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
    public RegisteredCluster register(UUID connectorId, String name, ClusterKind kind, String region,
            KubernetesApiAccess access, String user) {
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
        c.ingestTokenIssuedAt = c.createdAt;
        setAccess(c, access);
        c.persist();
        publisher.clusterChanged(c);
        LOG.infof("Cluster '%s' (%s) registered under connector %s by %s%s", c.name, c.id, connectorId, user,
                access == null ? "" : ", with Kubernetes API access to " + c.kubernetesApiServer);
        return new RegisteredCluster(c, token);
    }

    /** Changes a cluster's name, region and Kubernetes API access (null access: leave it as it is). */
    @Transactional
    public Cluster update(UUID connectorId, UUID clusterId, Long expectedVersion, String name, String region,
            KubernetesApiAccess access) {
        Cluster c = get(connectorId, clusterId);
        ETags.check(expectedVersion, c.version, "Cluster " + clusterId);
        if (!c.name.equals(name) && Cluster.count("connectorId = ?1 and name = ?2", connectorId, name) > 0) {
            throw ProblemException.conflict("A cluster named '" + name + "' already exists under connector " + connectorId);
        }
        c.name = name;
        c.region = region;
        if (access != null) {
            setAccess(c, access);
        }
        Cluster.getEntityManager().flush();
        publisher.clusterChanged(c);
        return c;
    }

    /** Removes the cluster's Kubernetes API access (and its stored credentials). */
    @Transactional
    public Cluster removeAccess(UUID connectorId, UUID clusterId) {
        Cluster c = get(connectorId, clusterId);
        c.kubernetesApiServer = null;
        c.kubernetesApiCredentials = null;
        clients.forget(clusterId);
        return c;
    }

    /**
     * Issues a new ingest token; the old one stops working as soon as detection-service reads the change from
     * {@code palisade.connectors} (seconds).
     */
    @Transactional
    public RegisteredCluster rotateIngestToken(UUID connectorId, UUID clusterId) {
        Cluster c = get(connectorId, clusterId);
        String token = IngestTokens.generate();
        c.ingestTokenHash = IngestTokens.hash(token);
        c.ingestTokenIssuedAt = Instant.now();
        Cluster.getEntityManager().flush();
        publisher.clusterChanged(c);
        LOG.infof("Ingest token of cluster '%s' (%s) rotated: the previous one is refused from now on", c.name, c.id);
        return new RegisteredCluster(c, token);
    }

    /** The decrypted access of a cluster, for the Kubernetes API integration; never for an API response. */
    public KubernetesApiAccess access(Cluster c) {
        if (c.kubernetesApiCredentials == null) {
            return null;
        }
        try {
            return EventCodec.mapper().readValue(cipher.decrypt(c.kubernetesApiCredentials), KubernetesApiAccess.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored Kubernetes API access of cluster " + c.id + " is not readable");
        }
    }

    private void setAccess(Cluster c, KubernetesApiAccess access) {
        if (access == null) {
            return;
        }
        c.kubernetesApiServer = access.validatedServer();
        c.kubernetesApiCredentials = cipher.encrypt(EventCodec.encode(access));
    }

    @Transactional
    public void delete(UUID connectorId, UUID clusterId) {
        Cluster cluster = get(connectorId, clusterId);
        cluster.delete();
        clients.forget(clusterId);
        publisher.deleted(clusterId);
    }
}
