package io.palisade.alert.service;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Alert retention: alerts whose activity ended more than {@code palisade.alerts.retention-days} (90) ago are deleted
 * with their state history, every {@code palisade.alerts.purge-interval} (1h; {@code off} disables).
 */
@ApplicationScoped
public class AlertRetention {
    private static final Logger LOG = Logger.getLogger(AlertRetention.class);
    private static final int BATCH = 5000;

    private final AlertService alerts;
    private final int retentionDays;
    private final Counter purged;

    public AlertRetention(AlertService alerts, @ConfigProperty(name = "palisade.alerts.retention-days") int retentionDays,
            MeterRegistry metrics) {
        if (retentionDays < 1) {
            throw new IllegalArgumentException("palisade.alerts.retention-days must be at least 1, not " + retentionDays);
        }
        this.alerts = alerts;
        this.retentionDays = retentionDays;
        this.purged = Counter.builder("palisade.alerts.purged")
                .description("Alerts deleted because they were past the retention period").register(metrics);
    }

    @Scheduled(every = "${palisade.alerts.purge-interval}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPurge() {
        purge(Instant.now());
    }

    /** Deletes the alerts past retention as of {@code now}; returns how many. */
    public int purge(Instant now) {
        Instant before = now.minus(Duration.ofDays(retentionDays));
        int deleted = 0;
        int batch;
        do {
            batch = alerts.purgeEndedBefore(before, BATCH);
            deleted += batch;
        } while (batch == BATCH);
        purged.increment(deleted);
        if (deleted > 0) {
            LOG.infof("Deleted %d alerts whose activity ended before %s (retention %d days)", deleted, before,
                    retentionDays);
        }
        return deleted;
    }
}
