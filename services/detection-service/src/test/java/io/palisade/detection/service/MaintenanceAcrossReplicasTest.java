package io.palisade.detection.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.palisade.detection.persistence.ArchivePartitions;
import io.palisade.common.scheduling.ScheduledJobs;
import io.palisade.common.scheduling.ScheduledJobs.Job;
import io.palisade.detection.persistence.DetectionJobs;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Archive and correlation maintenance with several replicas on one database: one replica purges at a time, and a
 * partition another replica drops meanwhile does not fail a purge. "Another replica" is a database connection of its
 * own.
 */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class MaintenanceAcrossReplicasTest {
    @Inject
    ArchiveMaintenance archiveMaintenance;

    @Inject
    CorrelationMaintenance correlationMaintenance;

    @Inject
    ArchivePartitions partitions;

    @Inject
    ScheduledJobs jobs;

    @Test
    void whileAnotherReplicaPurgesTheArchiveThisOneSkips() throws SQLException {
        try (Connection otherReplica = connection()) {
            assertTrue(tryLock(otherReplica, DetectionJobs.ARCHIVE_PURGE), "the other replica is purging");
            assertTrue(archiveMaintenance.purge().isEmpty(), "no second purge at the same time");
            // the other replica's purge ends (closing the connection would too, but the server notices that later)
            unlock(otherReplica, DetectionJobs.ARCHIVE_PURGE);
        }
        assertTrue(archiveMaintenance.purge().isPresent(), "that purge is over: this replica purges");
    }

    @Test
    void whileAnotherReplicaPurgesCorrelationStateThisOneSkips() throws SQLException {
        try (Connection otherReplica = connection()) {
            assertTrue(tryLock(otherReplica, DetectionJobs.CORRELATION_PURGE), "the other replica is purging");
            assertTrue(correlationMaintenance.purge(Instant.now()).isEmpty(), "no second purge at the same time");
            // the other replica's purge ends (closing the connection would too, but the server notices that later)
            unlock(otherReplica, DetectionJobs.CORRELATION_PURGE);
        }
        assertTrue(correlationMaintenance.purge(Instant.now()).isPresent(), "that purge is over: this replica purges");
    }

    @Test
    void aJobRunsAboutOncePerIntervalWhicheverReplicaRunsIt() throws SQLException {
        AtomicInteger runs = new AtomicInteger();
        lastStarted(DetectionJobs.CORRELATION_PURGE, "10 minutes");
        assertFalse(jobs.runOnOneReplica(DetectionJobs.CORRELATION_PURGE, Duration.ofHours(1), runs::incrementAndGet),
                "another replica ran it 10 minutes ago");
        lastStarted(DetectionJobs.CORRELATION_PURGE, "55 minutes");
        assertTrue(jobs.runOnOneReplica(DetectionJobs.CORRELATION_PURGE, Duration.ofHours(1), runs::incrementAndGet),
                "due a moment before the full hour: a replica's own next run is never skipped");
        assertFalse(jobs.runOnOneReplica(DetectionJobs.CORRELATION_PURGE, Duration.ofHours(1), runs::incrementAndGet),
                "it just ran");
        assertEquals(1, runs.get());
    }

    @Test
    void aPartitionAnotherReplicaDropsMeanwhileIsSkippedNotAnError() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate expired = today.minusDays(500);
        LocalDate emptyPastDay = today.minusDays(123);
        assertTrue(partitions.create(expired));
        assertTrue(partitions.create(emptyPastDay));

        assertEquals(-1L, (long) whileAnotherReplicaDrops(expired, () -> partitions.drop(expired)));
        assertFalse(whileAnotherReplicaDrops(emptyPastDay, () -> partitions.dropIfEmpty(emptyPastDay)));

        assertFalse(partitions.days().contains(expired));
        assertFalse(partitions.days().contains(emptyPastDay));
    }

    /**
     * Runs {@code step} while another replica is dropping the day's partition: the step's transaction has seen the
     * partition and then waits for that replica's lock on the archive, which commits the drop.
     */
    <T> T whileAnotherReplicaDrops(LocalDate day, java.util.function.Supplier<T> step) throws Exception {
        try (Connection otherReplica = connection()) {
            otherReplica.setAutoCommit(false);
            try (Statement drop = otherReplica.createStatement()) {
                drop.execute("LOCK TABLE " + ArchivePartitions.TABLE + " IN ACCESS EXCLUSIVE MODE");
                drop.execute("DROP TABLE " + ArchivePartitions.nameOf(day));
            }
            CompletableFuture<T> result = CompletableFuture.supplyAsync(step);
            awaitQueryBlockedBy(otherReplica);
            otherReplica.commit();
            return result.get(30, TimeUnit.SECONDS);
        }
    }

    static boolean tryLock(Connection connection, Job job) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, job.lockKey());
            try (ResultSet taken = lock.executeQuery()) {
                taken.next();
                return taken.getBoolean(1);
            }
        }
    }

    static void unlock(Connection connection, Job job) throws SQLException {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, job.lockKey());
            try (ResultSet released = unlock.executeQuery()) {
                released.next();
                assertTrue(released.getBoolean(1), "the other replica held the lock");
            }
        }
    }

    static void lastStarted(Job job, String ago) throws SQLException {
        try (Connection otherReplica = connection(); PreparedStatement set = otherReplica.prepareStatement(
                "INSERT INTO scheduled_job_run (job, last_started_at) VALUES (?, now() - CAST(? AS interval)) "
                        + "ON CONFLICT (job) DO UPDATE SET last_started_at = EXCLUDED.last_started_at")) {
            set.setString(1, job.id());
            set.setString(2, ago);
            set.executeUpdate();
        }
    }

    /**
     * Waits until a query (not the archiver's inserts, say) waits for a lock that {@code holder}'s uncommitted work
     * holds.
     */
    static void awaitQueryBlockedBy(Connection holder) throws SQLException {
        int pid;
        try (Statement statement = holder.createStatement();
                ResultSet r = statement.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            pid = r.getInt(1);
        }
        try (Connection observer = connection()) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                try (PreparedStatement blocked = observer.prepareStatement("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE ? = ANY (pg_blocking_pids(pid)) AND query ILIKE 'SELECT%'""")) {
                    blocked.setInt(1, pid);
                    try (ResultSet r = blocked.executeQuery()) {
                        r.next();
                        return r.getInt(1) > 0;
                    }
                }
            });
        }
    }

    /** A database connection of its own, as another replica has. */
    static Connection connection() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }
}
