package io.palisade.connector.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.palisade.connector.OtherReplica;
import io.palisade.common.scheduling.ScheduledJobs;
import io.palisade.common.scheduling.ScheduledJobs.Job;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** Scheduled jobs across replicas: never two runs at once, about one run per interval. */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class ScheduledJobsTest {
    private static final Job JOB = ConnectorJobs.CLUSTER_CHECK_ROUND;

    @Inject
    ScheduledJobs jobs;

    @Test
    void aJobAnotherReplicaIsRunningIsSkipped() throws SQLException {
        AtomicInteger runs = new AtomicInteger();
        try (Connection otherReplica = OtherReplica.connection()) {
            assertTrue(tryLock(otherReplica), "the other replica runs the job");
            assertFalse(jobs.runOnOneReplica(JOB, Duration.ZERO, runs::incrementAndGet));
            assertEquals(0, runs.get());
        }
        // that replica is gone, and its lock with its connection once the server has noticed (a moment later)
        assertTrue(withinSeconds(5, () -> jobs.runOnOneReplica(JOB, Duration.ZERO, runs::incrementAndGet)),
                "the lock of a replica that is gone is free again");
        assertEquals(1, runs.get());
    }

    @Test
    void aJobRunsAboutOncePerIntervalWhicheverReplicaRunsIt() throws SQLException {
        AtomicInteger runs = new AtomicInteger();
        lastStarted("10 minutes");
        assertFalse(jobs.runOnOneReplica(JOB, Duration.ofHours(1), runs::incrementAndGet),
                "another replica ran it 10 minutes ago");
        lastStarted("55 minutes");
        assertTrue(jobs.runOnOneReplica(JOB, Duration.ofHours(1), runs::incrementAndGet),
                "due a moment before the full hour: a replica's own next run is never skipped");
        assertFalse(jobs.runOnOneReplica(JOB, Duration.ofHours(1), runs::incrementAndGet), "it just ran");
        assertEquals(1, runs.get());
    }

    @Test
    void theLockIsReleasedWhenTheWorkFails() throws SQLException {
        assertThrows(IllegalStateException.class, () -> jobs.runOnOneReplica(JOB, Duration.ZERO, () -> {
            throw new IllegalStateException("the job failed");
        }));
        try (Connection otherReplica = OtherReplica.connection()) {
            assertTrue(tryLock(otherReplica), "another replica can take the job");
            // and gives it back at once, so that no later test meets a lock its closing connection still holds
            try (PreparedStatement unlock = otherReplica.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, JOB.lockKey());
                unlock.execute();
            }
        }
    }

    @Test
    void intervalsAreReadAsTheSchedulerReadsThem() {
        assertEquals(Duration.ofMinutes(5), ScheduledJobs.interval("5m"));
        assertEquals(Duration.ofHours(1), ScheduledJobs.interval("1h"));
        assertEquals(Duration.ofDays(1), ScheduledJobs.interval("1d"));
        assertEquals(Duration.ofSeconds(30), ScheduledJobs.interval("PT30S"));
        assertEquals(Duration.ZERO, ScheduledJobs.interval("off"));
    }

    static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, JOB.lockKey());
            try (ResultSet taken = lock.executeQuery()) {
                taken.next();
                return taken.getBoolean(1);
            }
        }
    }

    static void lastStarted(String ago) throws SQLException {
        try (Connection otherReplica = OtherReplica.connection(); PreparedStatement set = otherReplica.prepareStatement(
                "INSERT INTO scheduled_job_run (job, last_started_at) VALUES (?, now() - CAST(? AS interval)) "
                        + "ON CONFLICT (job) DO UPDATE SET last_started_at = EXCLUDED.last_started_at")) {
            set.setString(1, JOB.id());
            set.setString(2, ago);
            set.executeUpdate();
        }
    }

    /** Whether the attempt succeeds within the time, tried every 50 ms. */
    static boolean withinSeconds(int seconds, java.util.function.BooleanSupplier attempt) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
        while (!attempt.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
