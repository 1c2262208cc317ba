package io.palisade.detection.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.IngestTokens;
import io.palisade.detection.config.DetectionConfig;
import io.palisade.detection.ingest.AuditEvents;
import io.palisade.detection.messaging.AuditEventPublisher;
import io.palisade.detection.messaging.ClusterActivityPublisher;
import io.palisade.detection.persistence.ClusterRegistration;

/**
 * Accepts audit logs from a cluster: authenticates its ingest token, checks that its connector has a protecting plan,
 * parses the batch, and answers only once every event is on Kafka.
 */
@ApplicationScoped
public class IngestService {
    private final RegistryService registry;
    private final AuditEventPublisher publisher;
    private final DetectionConfig.Ingest config;
    private final MeterRegistry metrics;
    private final ClusterActivityPublisher activity;

    public IngestService(RegistryService registry, AuditEventPublisher publisher, DetectionConfig.Ingest config,
            MeterRegistry metrics, ClusterActivityPublisher activity) {
        this.registry = registry;
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
        this.activity = activity;
    }

    /** What was accepted, for the response. */
    public record Accepted(int accepted, String format) {
    }

    public Accepted ingestAudit(String authorization, byte[] body) {
        ClusterRegistration cluster = authenticate(authorization);
        var protection = registry.protection(cluster.connectorId);
        if (protection.isEmpty() || !protection.get().isProtected()) {
            throw new ProblemException(403, "Forbidden", "Cluster '" + cluster.name + "' belongs to connector "
                    + cluster.connectorId + ", which has neither the Containers nor the Kubernetes plan at Standard; "
                    + "audit logs are collected only while a plan protects the connector (enable Containers)");
        }
        AuditEvents.Batch batch = AuditEvents.parse(body);
        int max = config.maxEventsPerRequest();
        if (batch.events().size() > max) {
            throw new ProblemException(413, "Payload Too Large", "The request carries " + batch.events().size()
                    + " audit events; at most " + max + " are accepted per request (send smaller batches)");
        }
        Instant receivedAt = Instant.now();
        List<AuditEventEnvelope> envelopes = new ArrayList<>(batch.events().size());
        for (var event : batch.events()) {
            envelopes.add(AuditEventEnvelope.of(cluster.clusterId, cluster.connectorId, batch.format(), receivedAt,
                    event));
        }
        publisher.publishAll(envelopes);
        activity.auditEventsAccepted(cluster.clusterId, cluster.connectorId, receivedAt);
        metrics.counter("palisade.ingest.events", "format", batch.format()).increment(envelopes.size());
        return new Accepted(envelopes.size(), batch.format());
    }

    private ClusterRegistration authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.length() <= 7) {
            throw unauthenticated("An ingest token is required: send 'Authorization: Bearer <cluster ingest token>'");
        }
        String token = authorization.substring(7).trim();
        return registry.clusterByTokenHash(IngestTokens.hash(token))
                .orElseThrow(() -> unauthenticated("The ingest token is not valid for any registered cluster"));
    }

    private static ProblemException unauthenticated(String detail) {
        return new ProblemException(401, "Unauthorized", detail);
    }
}
