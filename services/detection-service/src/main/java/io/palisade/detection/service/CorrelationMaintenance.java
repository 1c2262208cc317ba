package io.palisade.detection.service;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.palisade.detection.config.DetectionConfig;
import io.palisade.detection.persistence.AlertCorrelations;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Forgets the correlation state of alerts whose window closed long ago (two windows, at least a day): a late event
 * for such a window would open a fresh alert instead of updating one nobody looks at any more.
 */
@ApplicationScoped
public class CorrelationMaintenance {
    private static final Logger LOG = Logger.getLogger(CorrelationMaintenance.class);

    private final AlertCorrelations correlations;
    private final DetectionConfig.Detection config;

    public CorrelationMaintenance(AlertCorrelations correlations, DetectionConfig.Detection config) {
        this.correlations = correlations;
        this.config = config;
    }

    @Scheduled(every = "${palisade.detection.correlation-purge-interval}", delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPurge() {
        purge(Instant.now());
    }

    public int purge(Instant now) {
        Duration keep = config.correlationWindow().multipliedBy(2);
        if (keep.compareTo(Duration.ofDays(1)) < 0) {
            keep = Duration.ofDays(1);
        }
        Instant before = now.minus(keep);
        int purged = QuarkusTransaction.requiringNew().call(() -> correlations.purgeBefore(before));
        if (purged > 0) {
            LOG.infof("Forgot the correlation state of %d alerts not updated since %s", purged, before);
        }
        return purged;
    }
}
