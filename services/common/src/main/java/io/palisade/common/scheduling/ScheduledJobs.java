package io.palisade.common.scheduling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * Scheduled jobs that, however many replicas run, one replica at a time runs, about once per interval.
 *
 * <p>
 * Every replica's scheduler fires, each on its own phase (replicas start at different times). A run first takes the
 * job's PostgreSQL advisory lock, so runs never overlap; then it claims the run in {@code scheduled_job_run}, which
 * succeeds only if no run of the job started within the last nine tenths of the interval (by the database's clock),
 * so the replicas together run the job about once per interval instead of once each. The tenth left over keeps a
 * replica's own next run, fired a moment early, from being skipped.
 *
 * <p>
 * The lock is a session lock held on a connection of its own for the whole run, so the job may use transactions of
 * its own and make network calls between them without keeping one open. It is released when the run ends, or by
 * PostgreSQL when that connection is lost: a replica that dies mid-run cannot keep it.
 *
 */
@ApplicationScoped
public class ScheduledJobs {
    private static final Logger LOG = Logger.getLogger(ScheduledJobs.class);

    /**
     * A job: its row in {@code scheduled_job_run} (each service using this class has that table, see its migrations)
     * and its advisory-lock key. Keys read {@code 7_SSS_JJJ}: service {@code SSS} (001 connector-service, 002
     * detection-service), job {@code JJJ}; unique across Palisade, so they stay distinct should services ever share a
     * database. A key is never reused for another job. Each service lists its jobs as constants.
     */
    public record Job(String id, long lockKey) {
    }

    private final DataSource dataSource;

    public ScheduledJobs(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code work} unless another replica (or thread) is running the job, or a run of it started less than
     * about {@code interval} ago (zero: whenever none is running); whether it ran. Call it outside a transaction.
     */
    public boolean runOnOneReplica(Job job, Duration interval, Runnable work) {
        return callOnOneReplica(job, interval, () -> {
            work.run();
            return Boolean.TRUE;
        }).isPresent();
    }

    /** As {@link #runOnOneReplica}, for work with a result (not null); empty when it did not run. */
    public <T> Optional<T> callOnOneReplica(Job job, Duration interval, Supplier<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            if (!lock(connection, job)) {
                LOG.debugf("%s: running on another replica; skipped", job.id());
                return Optional.empty();
            }
            try {
                if (!claim(connection, job, interval)) {
                    LOG.debugf("%s: ran less than %s ago; skipped", job.id(), interval);
                    return Optional.empty();
                }
                return Optional.of(work.get());
            } finally {
                unlock(connection, job);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not coordinate " + job.id() + " with other replicas: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The interval of a scheduler expression as {@code @Scheduled(every = ...)} reads it ({@code 5m}, {@code 1h},
     * {@code 1d}, {@code PT30S}); zero when it is {@code off} or {@code disabled}.
     */
    public static Duration interval(String every) {
        String value = every.trim().toLowerCase(Locale.ROOT);
        if (value.equals("off") || value.equals("disabled")) {
            return Duration.ZERO;
        }
        if (Character.isDigit(value.charAt(0))) {
            value = value.endsWith("d") ? "p" + value : "pt" + value;
        }
        return Duration.parse(value);
    }

    private static boolean lock(Connection connection, Job job) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, job.lockKey());
            return single(statement);
        }
    }

    private static boolean claim(Connection connection, Job job, Duration interval) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO scheduled_job_run AS r (job, last_started_at) VALUES (?, now())
                ON CONFLICT (job) DO UPDATE SET last_started_at = now()
                WHERE r.last_started_at <= now() - make_interval(secs => ?)
                RETURNING true""")) {
            statement.setString(1, job.id());
            statement.setDouble(2, interval.toMillis() * 0.9 / 1000);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    private static void unlock(Connection connection, Job job) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, job.lockKey());
            if (!single(statement)) {
                LOG.warnf("%s: its advisory lock was not held at the end of the run", job.id());
            }
        } catch (SQLException e) {
            // only a broken connection fails here, and its session ends with the lock
            LOG.warnf("%s: could not release its advisory lock: %s", job.id(), e.getMessage());
        }
    }

    private static boolean single(PreparedStatement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getBoolean(1);
        }
    }
}
