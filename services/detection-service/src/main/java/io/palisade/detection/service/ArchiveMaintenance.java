package io.palisade.detection.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.palisade.detection.config.ArchiveConfig;
import io.palisade.detection.persistence.ArchivePartitions;
import io.palisade.detection.persistence.AuditArchive;
import io.palisade.common.scheduling.ScheduledJobs;
import io.palisade.detection.persistence.DetectionJobs;
import io.palisade.detection.persistence.ScopeProtection;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the audit archive in shape: daily partitions exist ahead of time, and events past their scope's retention
 * are purged. Every step runs in its own transaction, so a long purge never holds one open and a failed step is
 * retried by the next run. However many replicas run, one purges at a time, about once per purge interval
 * ({@link ScheduledJobs}); creating partitions is idempotent and cheap, so every replica does it.
 */
@ApplicationScoped
public class ArchiveMaintenance {
    private static final Logger LOG = Logger.getLogger(ArchiveMaintenance.class);

    private final ArchivePartitions partitions;
    private final AuditArchive archive;
    private final ArchiveConfig config;
    private final ScheduledJobs jobs;
    private final Counter purged;

    public ArchiveMaintenance(ArchivePartitions partitions, AuditArchive archive, ArchiveConfig config,
            ScheduledJobs jobs, MeterRegistry metrics) {
        this.partitions = partitions;
        this.archive = archive;
        this.config = config;
        this.jobs = jobs;
        this.purged = Counter.builder("palisade.archive.purged")
                .description("Archived audit events removed because they were past their scope's retention")
                .register(metrics);
    }

    /** What one purge removed. */
    public record PurgeResult(Map<UUID, Long> deletedByScope, long deletedAtDefaultRetention,
            List<String> droppedPartitions, long eventsInDroppedPartitions) {
        public long total() {
            return deletedByScope.values().stream().mapToLong(Long::longValue).sum() + deletedAtDefaultRetention
                    + eventsInDroppedPartitions;
        }
    }

    void onStart(@Observes StartupEvent start) {
        try {
            ensurePartitions();
        } catch (RuntimeException e) {
            // not fatal: events of days without a partition go to the default partition until the next run
            LOG.warnf(e, "Could not create the audit archive's partitions at start; retrying on schedule");
        }
    }

    @Scheduled(cron = "${palisade.archive.partition-cron}", timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPartitions() {
        ensurePartitions();
    }

    @Scheduled(every = "${palisade.archive.purge-interval}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPurge() {
        // the partitions too: a missed daily run must not leave the coming days without partitions
        ensurePartitions();
        jobs.callOnOneReplica(DetectionJobs.ARCHIVE_PURGE, ScheduledJobs.interval(config.purgeInterval()),
                () -> purgeOnThisReplica(Instant.now()));
    }

    /** Creates the partitions of yesterday through today plus {@code partitions-ahead} days; the days it created. */
    public synchronized List<LocalDate> ensurePartitions() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<LocalDate> created = new ArrayList<>();
        for (LocalDate day = today.minusDays(1); !day.isAfter(today.plusDays(config.partitionsAhead()));
                day = day.plusDays(1)) {
            if (partitions.create(day)) {
                created.add(day);
            }
        }
        if (!created.isEmpty()) {
            LOG.infof("Created audit archive partitions for %s", created);
        }
        return created;
    }

    /** Purges now; what it removed, or empty when a purge is running already (on this or another replica). */
    public Optional<PurgeResult> purge() {
        return purge(Instant.now());
    }

    /**
     * Removes archived events older than their scope's retention, unless a purge is running already (on this or
     * another replica); what it removed, or empty when it did not run. Whole days older than every scope's retention
     * are dropped as partitions (cheap, no dead rows); then each scope with a retention of its own, and all others
     * at the default retention, have their older events deleted; last, partitions of past days left empty are
     * dropped.
     */
    public Optional<PurgeResult> purge(Instant now) {
        return jobs.callOnOneReplica(DetectionJobs.ARCHIVE_PURGE, Duration.ZERO, () -> purgeOnThisReplica(now));
    }

    private PurgeResult purgeOnThisReplica(Instant now) {
        List<ScopeProtection> ownRetention = QuarkusTransaction.requiringNew()
                .call(() -> ScopeProtection.<ScopeProtection> list("retentionDays is not null"));
        int longest = days(null);
        for (ScopeProtection scope : ownRetention) {
            longest = Math.max(longest, days(scope.retentionDays));
        }

        List<String> dropped = new ArrayList<>();
        long droppedEvents = 0;
        Instant beyondEveryRetention = now.minus(Duration.ofDays(longest));
        LocalDate yesterday = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1);
        for (LocalDate day : partitions.days()) {
            Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            if (!dayEnd.isAfter(beyondEveryRetention)) {
                long events = partitions.drop(day);
                if (events >= 0) {
                    dropped.add(ArchivePartitions.nameOf(day));
                    droppedEvents += events;
                }
            }
        }

        Map<UUID, Long> byScope = new LinkedHashMap<>();
        for (ScopeProtection scope : ownRetention) {
            Instant cutoff = now.minus(Duration.ofDays(days(scope.retentionDays)));
            long deleted = QuarkusTransaction.requiringNew().call(() -> archive.deleteBefore(scope.scopeId, cutoff));
            if (deleted > 0) {
                byScope.put(scope.scopeId, deleted);
            }
        }
        Instant defaultCutoff = now.minus(Duration.ofDays(days(null)));
        long atDefault = QuarkusTransaction.requiringNew()
                .call(() -> archive.deleteBeforeWhereDefaultRetention(defaultCutoff));

        for (LocalDate day : partitions.days()) {
            if (day.isBefore(yesterday) && partitions.dropIfEmpty(day)) {
                dropped.add(ArchivePartitions.nameOf(day));
            }
        }

        PurgeResult result = new PurgeResult(byScope, atDefault, List.copyOf(dropped), droppedEvents);
        purged.increment(result.total());
        if (result.total() > 0 || !dropped.isEmpty()) {
            LOG.infof("Audit archive purge: %d events removed; by scope with own retention %s, %d at the default "
                    + "retention of %d days, %d in dropped partitions %s", result.total(), byScope, atDefault,
                    days(null), droppedEvents, dropped);
        } else {
            LOG.debug("Audit archive purge: nothing past its retention");
        }
        return result;
    }

    /** A scope's retention in days: its own, or the default; never beyond the longest allowed. */
    private int days(Integer own) {
        int days = own == null ? config.defaultRetentionDays() : own;
        return Math.max(1, Math.min(days, config.maxRetentionDays()));
    }
}
