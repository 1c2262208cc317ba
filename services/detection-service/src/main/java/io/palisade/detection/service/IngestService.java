package io.palisade.detection.service;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.events.SensorEventEnvelope;
import io.palisade.common.messaging.MalformedEventException;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.IngestTokens;
import io.palisade.detection.config.DetectionConfig;
import io.palisade.detection.ingest.AuditEvents;
import io.palisade.detection.ingest.AzureResourceLogs;
import io.palisade.detection.ingest.FailedIngestAttempts;
import io.palisade.detection.ingest.FalcoEvents;
import io.palisade.detection.ingest.FirehoseDelivery;
import io.palisade.detection.messaging.AuditEventPublisher;
import io.palisade.detection.messaging.ClusterActivityPublisher;
import io.palisade.detection.persistence.ClusterRegistration;
import io.palisade.detection.persistence.ScopeProtection;
import io.palisade.detection.persistence.StoredJson;

/**
 * Accepts what clusters send, in every delivery format: authenticates the cluster's ingest token, checks that a plan
 * protects its connector (and, for audit logs, that audit-log collection is on) before it reads the body, parses the
 * batch whole, and answers
 * only once every event is acknowledged by Kafka. Nothing is accepted half: a malformed batch is refused whole.
 * Failed authentications are counted per source ({@link FailedIngestAttempts}): a source that made too many is
 * refused with 429 before its token is looked at.
 */
@ApplicationScoped
public class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class);

    private final RegistryService registry;
    private final AuditEventPublisher publisher;
    private final DetectionConfig.Ingest config;
    private final MeterRegistry metrics;
    private final ClusterActivityPublisher activity;
    private final FailedIngestAttempts failedAttempts;
    private final Semaphore turns;

    public IngestService(RegistryService registry, AuditEventPublisher publisher, DetectionConfig.Ingest config,
            MeterRegistry metrics, ClusterActivityPublisher activity, FailedIngestAttempts failedAttempts) {
        this.registry = registry;
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
        this.activity = activity;
        this.failedAttempts = failedAttempts;
        this.turns = new Semaphore(config.maxConcurrentBatches(), true);
    }

    /** What was accepted, for the response. */
    public record Accepted(int accepted, String format, int skipped) {
    }

    /**
     * The API server's audit webhook: EventList (v1, v1beta1), Event, JSON array or JSON Lines. {@code source} is
     * the sender's address (see IngestSources), against which failed authentications count.
     */
    public Accepted ingestAudit(String source, String authorization, Supplier<byte[]> body) {
        ClusterRegistration cluster = collectingCluster(source, bearer(authorization));
        return inTurn(() -> {
            AuditEvents.Batch batch = AuditEvents.parse(body.get());
            return acceptAudit(cluster, batch.events(), batch.format(), 0);
        });
    }

    /** Amazon Data Firehose HTTP-endpoint delivery of EKS audit logs (CloudWatch Logs subscription records). */
    public FirehoseDelivery.Delivery ingestFirehose(String source, String accessKey, String authorization,
            Supplier<byte[]> body) {
        String token = accessKey != null && !accessKey.isBlank() ? accessKey.trim() : bearer(authorization);
        ClusterRegistration cluster = collectingCluster(source, token);
        return inTurn(() -> {
            FirehoseDelivery.Delivery delivery = FirehoseDelivery.parse(body.get(), config.maxDecompressedBytes());
            // No event cap here: Firehose sizes its deliveries by compressed bytes (bounded by the decompression
            // limit), and a refused delivery would only be retried whole and end in Firehose's S3 backup.
            publish(cluster, delivery.events(), "EksFirehose", delivery.skipped());
            return delivery;
        });
    }

    /** AKS diagnostic-log records ({@code kube-audit}, {@code kube-audit-admin}) posted over HTTP. */
    public Accepted ingestAks(String source, String authorization, Supplier<byte[]> body) {
        ClusterRegistration cluster = collectingCluster(source, bearer(authorization));
        return inTurn(() -> {
            AzureResourceLogs.Parsed parsed = AzureResourceLogs.parse(body.get());
            List<JsonNode> events = parsed.records().stream().map(AzureResourceLogs.AksRecord::event).toList();
            return acceptAudit(cluster, events, "AksResourceLogs", parsed.skipped());
        });
    }

    /** Falco events of the cluster's node sensor ({@code http_output} JSON or Falcosidekick's webhook). */
    public Accepted ingestFalco(String source, String authorization, Supplier<byte[]> body) {
        ClusterRegistration cluster = protectedCluster(source, bearer(authorization));
        return inTurn(() -> falco(cluster, FalcoEvents.parse(body.get())));
    }

    private Accepted falco(ClusterRegistration cluster, List<JsonNode> events) {
        checkCount(events.size(), "Falco events");
        Instant receivedAt = Instant.now();
        List<SensorEventEnvelope> envelopes = new ArrayList<>(events.size());
        for (JsonNode event : events) {
            envelopes.add(SensorEventEnvelope.of(cluster.clusterId, cluster.connectorId, "FalcoJson", receivedAt,
                    StoredJson.withoutNul(event)));
        }
        publisher.publishAll(cluster.clusterId, envelopes);
        metrics.counter("palisade.ingest.events", "format", "FalcoJson").increment(envelopes.size());
        return new Accepted(envelopes.size(), "FalcoJson", 0);
    }

    /**
     * AKS records consumed from an Event Hub (Kafka protocol): each record names its cluster by Azure resource id,
     * which must be a registered AKS cluster of an Azure connector. A message naming an unknown cluster is refused
     * whole (it goes to the dead-letter topic with the reason); records of clusters whose plan does not collect audit
     * logs are counted as refused and not collected.
     */
    public int ingestAksMessage(byte[] body) {
        AzureResourceLogs.Parsed parsed;
        try {
            parsed = AzureResourceLogs.parse(body);
        } catch (ProblemException e) {
            throw new MalformedEventException(e.getMessage());
        }
        Map<ClusterRegistration, List<JsonNode>> byCluster = new LinkedHashMap<>();
        Map<String, ClusterRegistration> resolved = new LinkedHashMap<>();
        for (AzureResourceLogs.AksRecord record : parsed.records()) {
            if (record.resourceId() == null || record.resourceId().isBlank()) {
                throw new MalformedEventException("a kube-audit record has no resourceId, so its cluster is unknown");
            }
            ClusterRegistration cluster = resolved.computeIfAbsent(record.resourceId().toLowerCase(Locale.ROOT),
                    id -> aksCluster(record.resourceId()));
            byCluster.computeIfAbsent(cluster, c -> new ArrayList<>()).add(record.event());
        }
        int accepted = 0;
        for (Map.Entry<ClusterRegistration, List<JsonNode>> entry : byCluster.entrySet()) {
            ClusterRegistration cluster = entry.getKey();
            if (refusal(cluster, true).isPresent()) {
                metrics.counter("palisade.ingest.refused", "format", "AksEventHub", "reason", "not-collecting")
                        .increment(entry.getValue().size());
                continue;
            }
            accepted += acceptAudit(cluster, entry.getValue(), "AksEventHub", 0).accepted();
        }
        return accepted;
    }

    private ClusterRegistration aksCluster(String resourceId) {
        AzureResourceLogs.AksClusterRef ref = AzureResourceLogs.clusterRef(resourceId)
                .orElseThrow(() -> new MalformedEventException("resourceId '" + resourceId
                        + "' is not an AKS managed cluster (…/providers/Microsoft.ContainerService/managedClusters/…)"));
        return registry.aksCluster(ref.subscriptionId(), ref.clusterName())
                .orElseThrow(() -> new MalformedEventException("no registered AKS cluster '" + ref.clusterName()
                        + "' under an Azure connector of subscription " + ref.subscriptionId()
                        + " (resourceId " + resourceId + ")"));
    }

    private Accepted acceptAudit(ClusterRegistration cluster, List<JsonNode> events, String format, int skipped) {
        checkCount(events.size(), "audit events");
        return publish(cluster, events, format, skipped);
    }

    private Accepted publish(ClusterRegistration cluster, List<JsonNode> events, String format, int skipped) {
        Instant receivedAt = Instant.now();
        List<AuditEventEnvelope> envelopes = new ArrayList<>(events.size());
        for (JsonNode event : events) {
            // NUL (which Kubernetes allows in values) can be neither stored nor put in an alert: replaced once here
            envelopes.add(AuditEventEnvelope.of(cluster.clusterId, cluster.connectorId, format, receivedAt,
                    StoredJson.withoutNul(event)));
        }
        publisher.publishAll(cluster.clusterId, envelopes);
        if (!envelopes.isEmpty()) {
            activity.auditEventsAccepted(cluster.clusterId, cluster.connectorId, receivedAt);
        }
        metrics.counter("palisade.ingest.events", "format", format).increment(envelopes.size());
        if (skipped > 0) {
            metrics.counter("palisade.ingest.skipped", "format", format).increment(skipped);
        }
        return new Accepted(envelopes.size(), format, skipped);
    }

    /**
     * Runs one request's read, parse and publish when its turn comes ({@code maxConcurrentBatches} at once); a
     * request that waited {@code maxWait} for it is refused with 503 (the sender retries), nothing of it read.
     */
    private <T> T inTurn(Supplier<T> work) {
        boolean admitted;
        try {
            admitted = turns.tryAcquire(config.maxWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            metrics.counter("palisade.ingest.refused", "format", "any", "reason", "busy").increment();
            throw new ProblemException(503, "Service Unavailable", "Ingest is busy: " + config.maxConcurrentBatches()
                    + " batches are being stored and this one waited " + config.maxWait().toSeconds()
                    + " s for its turn; retry it");
        }
        try {
            return work.get();
        } finally {
            turns.release();
        }
    }

    private void checkCount(int count, String what) {
        int max = config.maxEventsPerRequest();
        if (count > max) {
            throw new ProblemException(413, "Payload Too Large", "The request carries " + count + " " + what
                    + "; at most " + max + " are accepted per request (send smaller batches)");
        }
    }

    private ClusterRegistration collectingCluster(String source, String token) {
        ClusterRegistration cluster = authenticate(source, token);
        refusal(cluster, true).ifPresent(reason -> {
            throw new ProblemException(403, "Forbidden", reason);
        });
        return cluster;
    }

    private ClusterRegistration protectedCluster(String source, String token) {
        ClusterRegistration cluster = authenticate(source, token);
        refusal(cluster, false).ifPresent(reason -> {
            throw new ProblemException(403, "Forbidden", reason);
        });
        return cluster;
    }

    /** Why the cluster's data is not collected, if it is not. */
    private Optional<String> refusal(ClusterRegistration cluster, boolean auditLogs) {
        Optional<ScopeProtection> protection = registry.protection(cluster.connectorId);
        if (protection.isEmpty() || !protection.get().isProtected()) {
            return Optional.of("Cluster '" + cluster.name + "' belongs to connector " + cluster.connectorId
                    + ", which has neither the Containers nor the Kubernetes plan at Standard; its data is collected "
                    + "only while a plan protects the connector (enable Containers)");
        }
        if (auditLogs && !protection.get().collectsAuditLogs) {
            return Optional.of("Audit-log collection is off for connector " + cluster.connectorId
                    + " (the AuditLogCollection extension of its " + protection.get().protectingPlan
                    + " plan); turn the extension on to send audit logs");
        }
        return Optional.empty();
    }

    /** The bearer token, or null when there is none. */
    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /**
     * The cluster whose ingest token this is. A source blocked for its failed attempts is refused first (429), so a
     * correct token from it waits too; no token or an unknown one is 401 and counts against the source.
     */
    private ClusterRegistration authenticate(String source, String token) {
        try {
            failedAttempts.checkAllowed(source);
        } catch (FailedIngestAttempts.SourceBlocked e) {
            metrics.counter("palisade.ingest.refused", "format", "any", "reason", "failed-auth-blocked").increment();
            throw e;
        }
        if (token == null) {
            throw failedAuthentication(source,
                    "An ingest token is required: send 'Authorization: Bearer <cluster ingest token>'");
        }
        String hash = IngestTokens.hash(token);
        byte[] presented = HexFormat.of().parseHex(hash);
        Optional<ClusterRegistration> cluster = registry.clusterByTokenHash(hash);
        // The lookup compares hashes (an indexed equality in PostgreSQL): its timing can tell at most how much of a
        // stored SHA-256 a guess's hash shares, which does not help find a token. The decision itself compares the
        // stored hash with the presented one in constant time (MessageDigest.isEqual, no early exit on the first
        // differing byte) and does not trust the lookup's notion of "equal" (collation, case, padding): only
        // byte-identical hashes authenticate.
        if (cluster.isEmpty() || !MessageDigest.isEqual(storedHash(cluster.get()), presented)) {
            throw failedAuthentication(source, "The ingest token is not valid for any registered cluster");
        }
        return cluster.get();
    }

    /** The stored hash's bytes; a malformed one (never written by connector-service) matches nothing. */
    private static byte[] storedHash(ClusterRegistration cluster) {
        try {
            return cluster.ingestTokenHash == null ? new byte[0] : HexFormat.of().parseHex(cluster.ingestTokenHash);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Cluster %s has a malformed ingest-token hash; its ingest is refused", cluster.clusterId);
            return new byte[0];
        }
    }

    private ProblemException failedAuthentication(String source, String detail) {
        failedAttempts.failed(source);
        metrics.counter("palisade.ingest.unauthenticated").increment();
        return unauthenticated(detail);
    }

    private static ProblemException unauthenticated(String detail) {
        return new ProblemException(401, "Unauthorized", detail);
    }
}
