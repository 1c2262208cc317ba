package io.palisade.detection.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.events.SensorEventEnvelope;
import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.config.DetectionConfig;
import io.palisade.detection.engine.BoundedRegex;
import io.palisade.detection.engine.DetectionEngine;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.ingest.AuditEvents;
import io.palisade.detection.ingest.FalcoEvents;
import io.palisade.detection.messaging.AlertPublisher;
import io.palisade.detection.messaging.AuditEventRecord;
import io.palisade.detection.persistence.AlertCorrelations;
import io.palisade.detection.persistence.Baselines;
import io.palisade.detection.persistence.StoredKeys;
import io.palisade.detection.sensor.NodeAlertMapping;

/**
 * Runs the rule catalogue over audit events and the node mapping over sensor events, correlates what fires into
 * alerts and publishes each alert's current state. Alerts are raised only for activity at or after the enablement of
 * the plan protecting the cluster's connector.
 */
@ApplicationScoped
public class DetectionService {
    private static final Logger LOG = Logger.getLogger(DetectionService.class);
    /** Simulated alerts correlate apart: a synthetic event never counts into a real alert, nor a real one into them. */
    static final String SIMULATION_RULE_KEY_PREFIX = "simulation:";

    private final RuleCatalogue catalogue;
    private final RegistryService registry;
    private final AlertPublisher alerts;
    private final AlertCorrelations correlations;
    private final Baselines baselines;
    private final DetectionConfig.Detection config;
    private final MeterRegistry metrics;

    public DetectionService(RuleCatalogue catalogue, RegistryService registry, AlertPublisher alerts,
            AlertCorrelations correlations, Baselines baselines, DetectionConfig.Detection config,
            MeterRegistry metrics) {
        this.catalogue = catalogue;
        this.registry = registry;
        this.alerts = alerts;
        this.correlations = correlations;
        this.baselines = baselines;
        this.config = config;
        this.metrics = metrics;
        FunctionCounter.builder("palisade.detection.regex.aborted", BoundedRegex.class,
                c -> BoundedRegex.abortedMatches())
                .description("Rule pattern searches stopped by the backtracking budget (counted as no match)")
                .register(metrics);
    }

    /**
     * Judges one record of {@code palisade.audit-events}. The event is read only as far as the rules read it
     * ({@link DetectionEngine#read}); the whole event is read when a rule fires, to raise the alert from. Most events
     * fire nothing: a transaction is begun only for what needs the database (an anomaly rule's baseline, and raising
     * what fired), not for every event.
     */
    public void detect(byte[] auditEventRecord) {
        DetectionEngine engine = catalogue.engine(); // one engine reads and judges: its rules say what is read
        AuditEventRecord record = AuditEventRecord.read(auditEventRecord, engine.fields());
        AuditEventEnvelope envelope = record.envelope();
        // A simulation's synthetic events are judged like any, but teach no baseline (anomaly rules never fire on
        // them), correlate apart from real activity and raise alerts marked simulated.
        boolean simulated = envelope.simulated();
        metrics.counter("palisade.detection.events", "source", simulated ? "simulation" : "audit").increment();
        List<DetectionRule> fired = engine.evaluate(envelope.event(), simulated
                ? DetectionEngine.BaselineJudge.NOTHING_IS_RARE
                : (rule, e) -> baselines.isRare(envelope.clusterId(), rule, e));
        if (!fired.isEmpty()) {
            AuditEventEnvelope whole = envelope.withEvent(record.wholeEvent());
            QuarkusTransaction.joiningExisting().run(() -> raise(whole, fired));
        }
    }

    private void raise(AuditEventEnvelope envelope, List<DetectionRule> fired) {
        boolean simulated = envelope.simulated();
        JsonNode event = envelope.event();
        if (simulated && !registry.cluster(envelope.clusterId())
                .map(c -> c.connectorId.equals(envelope.connectorId())).orElse(false)) {
            LOG.infof("Ignoring simulated event for cluster %s: not a registered cluster of connector %s",
                    envelope.clusterId(), envelope.connectorId());
            return;
        }
        Instant activity = AuditEvents.eventTime(event);
        Optional<AlertFactory.Scope> scope = coveredScope(envelope.clusterId(), envelope.connectorId(), activity);
        if (scope.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        String auditKey = AuditEvents.auditKey(event);
        Instant requested = AuditEvents.requestTime(event);
        for (DetectionRule rule : fired) {
            String ruleKey = simulated ? SIMULATION_RULE_KEY_PREFIX + rule.id() : rule.id();
            var correlation = correlations.record(envelope.clusterId(), ruleKey, rule.entityKey(event), requested,
                    activity, auditKey, event, config.correlationWindow());
            var alert = AlertFactory.controlPlaneAlert(rule, event, scope.get(), correlation, now);
            alerts.publish(simulated ? AlertFactory.simulated(alert) : alert);
            metrics.counter(simulated ? "palisade.detection.simulated-alerts" : "palisade.detection.alerts",
                    "alertType", rule.alertType()).increment();
        }
    }

    @Transactional
    public void detect(SensorEventEnvelope envelope) {
        metrics.counter("palisade.detection.events", "source", "sensor").increment();
        JsonNode event = envelope.event();
        Optional<NodeAlertMapping.NodeAlert> mapped = catalogue.nodeMapping().map(event);
        if (mapped.isEmpty()) {
            return;
        }
        Instant activity = FalcoEvents.eventTime(event);
        Optional<AlertFactory.Scope> scope = coveredScope(envelope.clusterId(), envelope.connectorId(), activity);
        if (scope.isEmpty()) {
            return;
        }
        JsonNode fields = event.path("output_fields");
        String entity = event.path("hostname").asText("") + "|" + fields.path("k8s.ns.name").asText("") + "|"
                + fields.path("k8s.pod.name").asText("") + "|" + fields.path("container.id").asText("");
        NodeAlertMapping.NodeAlert alert = mapped.get();
        var correlation = correlations.record(envelope.clusterId(), "falco:" + alert.alertType(), entity, activity,
                activity, sensorEventId(event), event, config.correlationWindow());
        alerts.publish(AlertFactory.nodeAlert(alert, event, scope.get(), correlation, Instant.now()));
        metrics.counter("palisade.detection.alerts", "alertType", alert.alertType()).increment();
    }

    private Optional<AlertFactory.Scope> coveredScope(UUID clusterId, UUID connectorId, Instant activity) {
        if (!registry.covered(connectorId, activity)) {
            LOG.debugf("Not alerting on %s: activity at %s is not covered by an enabled plan", clusterId, activity);
            metrics.counter("palisade.detection.not-covered").increment();
            return Optional.empty();
        }
        var cluster = registry.cluster(clusterId);
        return Optional.of(new AlertFactory.Scope(clusterId, connectorId, cluster.map(c -> c.name).orElse(null),
                cluster.map(c -> c.kind).orElse(null)));
    }

    /**
     * Falcosidekick's uuid (by digest if longer than an audit id may be), else a digest of the event: the same event
     * is counted once.
     */
    static String sensorEventId(JsonNode event) {
        if (event.hasNonNull("uuid")) {
            return AuditEvents.auditKey(event.get("uuid").asText());
        }
        return StoredKeys.digest(EventCodec.encode(event));
    }
}
