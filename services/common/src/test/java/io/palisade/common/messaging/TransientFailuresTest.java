package io.palisade.common.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class TransientFailuresTest {

    @Test
    void aDatabaseThatIsAwayIsTransientWhereverItSitsInTheCauses() {
        assertTrue(TransientFailures.isTransient(new SQLException("connection refused", "08001")));
        assertTrue(TransientFailures.isTransient(new SQLException("terminating connection", "57P01")));
        assertTrue(TransientFailures.isTransient(new SQLException("too many clients", "53300")));
        assertTrue(TransientFailures.isTransient(new SQLTransientConnectionException("pool closed")));
        assertTrue(TransientFailures.isTransient(new SQLException("Acquisition timeout while waiting for new connection")));
        assertTrue(TransientFailures.isTransient(
                new IllegalStateException("wrapped", new RuntimeException(new ConnectException("refused")))));
        assertTrue(TransientFailures.isTransient(
                new org.apache.kafka.common.errors.TimeoutException("Topic palisade.alerts not present in metadata")));
        assertTrue(TransientFailures.isTransient(new io.palisade.common.problem.ProblemException(503,
                "Service Unavailable", "The change could not be published to Kafka topic palisade.alerts")));
        // a dead letter whose send the broker did not acknowledge in time
        assertTrue(TransientFailures.isTransient(new io.smallrye.mutiny.TimeoutException()));
    }

    @Test
    void aRecordsOwnFailureIsNot() {
        assertFalse(TransientFailures.isTransient(new SQLException("duplicate key", "23505")));
        assertFalse(TransientFailures.isTransient(new SQLException("invalid byte sequence", "22021")));
        assertFalse(TransientFailures.isTransient(new IllegalArgumentException("not an audit event")));
        assertFalse(TransientFailures.isTransient(io.palisade.common.problem.ProblemException.badRequest("x", "y")));
        // too large for its topic: no retry makes it fit
        assertFalse(TransientFailures.isTransient(new org.apache.kafka.common.errors.RecordTooLargeException("big")));
    }

    @Test
    void transientFailuresAreRetriedUntilTheWorkSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        String result = TransientFailures.retryWhileTransient("test work", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException(new SQLException("connection refused", "08001"));
            }
            return "done";
        });
        assertEquals("done", result);
        assertEquals(3, attempts.get());
    }

    @Test
    void anyOtherFailureGoesOnAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        IllegalArgumentException broken = new IllegalArgumentException("not an audit event");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () ->
                TransientFailures.retryWhileTransient("test work", () -> {
                    attempts.incrementAndGet();
                    throw broken;
                }));
        assertSame(broken, thrown);
        assertEquals(1, attempts.get());
    }
}
