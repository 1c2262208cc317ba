package io.palisade.detection.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.ingest.AuditEvents;
import io.palisade.detection.messaging.AlertPublisher;

/** Runs the rule catalogue over one audit event and publishes an alert for each rule that fires. */
@ApplicationScoped
public class DetectionService {
    private static final Logger LOG = Logger.getLogger(DetectionService.class);

    private final RuleCatalogue catalogue;
    private final RegistryService registry;
    private final AlertPublisher alerts;
    private final MeterRegistry metrics;

    public DetectionService(RuleCatalogue catalogue, RegistryService registry, AlertPublisher alerts,
            MeterRegistry metrics) {
        this.catalogue = catalogue;
        this.registry = registry;
        this.alerts = alerts;
        this.metrics = metrics;
    }

    @Transactional
    public void detect(AuditEventEnvelope envelope) {
        metrics.counter("palisade.detection.events").increment();
        List<DetectionRule> fired = catalogue.engine().evaluate(envelope.event());
        if (fired.isEmpty()) {
            return;
        }
        Instant activity = AuditEvents.eventTime(envelope.event());
        if (!registry.covered(envelope.connectorId(), activity)) {
            // Alerts are raised only for activity after a protecting plan was enabled for the connector.
            LOG.debugf("Not alerting on %s: activity at %s is not covered by an enabled plan", envelope.clusterId(),
                    activity);
            return;
        }
        String clusterName = registry.cluster(envelope.clusterId()).map(c -> c.name).orElse(null);
        Instant now = Instant.now();
        for (DetectionRule rule : fired) {
            alerts.publish(AlertFactory.alertFor(rule, envelope, clusterName, now));
            metrics.counter("palisade.detection.alerts", "alertType", rule.alertType()).increment();
        }
    }
}
