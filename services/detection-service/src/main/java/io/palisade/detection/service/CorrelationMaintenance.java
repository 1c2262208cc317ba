package io.palisade.detection.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.palisade.detection.config.DetectionConfig;
import io.palisade.detection.persistence.AlertCorrelations;
import io.palisade.common.scheduling.ScheduledJobs;
import io.palisade.detection.persistence.DetectionJobs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Forgets the correlation state of alerts whose window closed long ago (two windows, at least a day): a late event
 * for such a window would open a fresh alert instead of updating one nobody looks at any more. However many replicas
 * run, one purges at a time, about once per purge interval ({@link ScheduledJobs}).
 */
@ApplicationScoped
public class CorrelationMaintenance {
    private static final Logger LOG = Logger.getLogger(CorrelationMaintenance.class);

    private final AlertCorrelations correlations;
    private final DetectionConfig.Detection config;
    private final ScheduledJobs jobs;

    public CorrelationMaintenance(AlertCorrelations correlations, DetectionConfig.Detection config,
            ScheduledJobs jobs) {
        this.correlations = correlations;
        this.config = config;
        this.jobs = jobs;
    }

    @Scheduled(every = "${palisade.detection.correlation-purge-interval}", delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPurge() {
        jobs.callOnOneReplica(DetectionJobs.CORRELATION_PURGE,
                ScheduledJobs.interval(config.correlationPurgeInterval()), () -> purgeOnThisReplica(Instant.now()));
    }

    /**
     * Forgets the correlation state not updated since well before {@code now}; how many alerts', or empty when a
     * purge is running already (on this or another replica).
     */
    public Optional<Integer> purge(Instant now) {
        return jobs.callOnOneReplica(DetectionJobs.CORRELATION_PURGE, Duration.ZERO,
                () -> purgeOnThisReplica(now));
    }

    private int purgeOnThisReplica(Instant now) {
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
