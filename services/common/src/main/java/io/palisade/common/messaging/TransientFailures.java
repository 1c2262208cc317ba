package io.palisade.common.messaging;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

import io.palisade.common.problem.ProblemException;

/**
 * The consumers' answer to a database or broker that is away (restarted, failed over, its pool exhausted, an alert
 * Kafka did not acknowledge: 503 from {@link StatePublisher}): the record is not broken, so it must not go to a
 * dead-letter topic. The work is tried again, with a growing pause, until it succeeds; the consumer holds its place
 * in the partition meanwhile (lag grows, nothing is lost, nothing is skipped). Any other failure is the record's own
 * and goes on to the caller (and so to the dead-letter topic). The REST mappers answer the same failures 503.
 */
public final class TransientFailures {
    private static final Logger LOG = Logger.getLogger(TransientFailures.class);
    /** SQLSTATE: 08xxx connection exceptions, 57P01-03 server shutting down or starting, 53300 too many connections. */
    private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03", "53300");
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

    private TransientFailures() {
    }

    /** Whether the failure, or one of its causes, says the database or the broker (or the network) is away for now. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof ConnectException || t instanceof RetriableException
                    || t instanceof ProblemException problem && problem.status() == 503
                    || t instanceof io.smallrye.mutiny.TimeoutException // no acknowledgement from the broker in time
                    || t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state))) {
                    return true;
                }
                if (String.valueOf(sql.getMessage()).contains("Acquisition timeout")) {
                    return true; // Agroal: no connection could be had from the pool in time
                }
            }
        }
        return false;
    }

    /** Whether the failure or one of its causes is of the type. */
    public static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Runs the work; while it fails transiently, waits and runs it again. */
    public static void retryWhileTransient(String what, Runnable work) {
        retryWhileTransient(what, () -> {
            work.run();
            return null;
        });
    }

    /** Runs the work; while it fails transiently, waits and runs it again; returns its result. */
    public static <T> T retryWhileTransient(String what, Supplier<T> work) {
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1;; attempt++) {
            try {
                T result = work.get();
                if (attempt > 1) {
                    LOG.infof("%s succeeded after %d attempts", what, attempt);
                }
                return result;
            } catch (RuntimeException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warnf("%s failed, the database or broker seems away (%s); trying again every %d s until it is back",
                            what, rootMessage(e), LONGEST_PAUSE.toSeconds());
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
