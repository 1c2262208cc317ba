package io.palisade.detection.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.palisade.common.problem.Problem;

/**
 * The counter of failed ingest authentications, on a clock the test moves: how many failures block a source, for how
 * long, and what it costs in memory.
 */
class FailedIngestAttemptsTest {
    private static final Duration WINDOW = Duration.ofSeconds(60);

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    private FailedIngestAttempts attempts(int maxAttempts, int maxTrackedSources) {
        return new FailedIngestAttempts(maxAttempts, WINDOW, maxTrackedSources, now::get);
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    @Test
    void aSourceIsAllowedUntilItsMaxAttemptsFailedThenRefusedWith429AndRetryAfter() {
        FailedIngestAttempts attempts = attempts(3, 100);
        for (int i = 1; i <= 2; i++) {
            assertFalse(attempts.failed("198.51.100.7"), "failure " + i + " of 3 does not block");
            attempts.checkAllowed("198.51.100.7");
        }
        advance(Duration.ofSeconds(15));
        assertTrue(attempts.failed("198.51.100.7"), "the third failure blocks the source");

        var refused = assertThrows(FailedIngestAttempts.SourceBlocked.class,
                () -> attempts.checkAllowed("198.51.100.7"));
        Problem problem = refused.toProblem();
        assertEquals(429, problem.status());
        assertEquals("Too Many Requests", problem.title());
        assertTrue(problem.detail().contains("198.51.100.7"), problem.detail());
        assertTrue(problem.detail().contains("a correct token waits too"), problem.detail());
        assertEquals(45, refused.retryAfterSeconds(), "the window opened with the first failure, 15 s ago");
    }

    @Test
    void theSourceIsBlockedOnceAndTheBlockingIsReportedOnce() {
        FailedIngestAttempts attempts = attempts(2, 100);
        assertFalse(attempts.failed("198.51.100.7"));
        assertTrue(attempts.failed("198.51.100.7"));
        assertFalse(attempts.failed("198.51.100.7"), "further failures of a blocked source are not a new blocking");
    }

    @Test
    void retryAfterCountsDownAndIsNeverZeroWhileBlocked() {
        FailedIngestAttempts attempts = attempts(1, 100);
        attempts.failed("198.51.100.7");
        assertEquals(60, retryAfter(attempts, "198.51.100.7"));
        advance(Duration.ofMillis(59_001));
        assertEquals(1, retryAfter(attempts, "198.51.100.7"), "rounded up");
        advance(Duration.ofMillis(998));
        assertEquals(1, retryAfter(attempts, "198.51.100.7"));
    }

    @Test
    void theWindowEndingFreesTheSourceWhichThenCountsFromZero() {
        FailedIngestAttempts attempts = attempts(3, 100);
        for (int i = 0; i < 3; i++) {
            attempts.failed("198.51.100.7");
        }
        assertTrue(attempts.blockedFor("198.51.100.7").isPresent());

        advance(WINDOW);
        attempts.checkAllowed("198.51.100.7");
        assertEquals(Optional.empty(), attempts.blockedFor("198.51.100.7"));
        assertFalse(attempts.failed("198.51.100.7"), "a new window: one failure of three");
        assertFalse(attempts.failed("198.51.100.7"));
        assertTrue(attempts.failed("198.51.100.7"));
    }

    @Test
    void failuresOfAnEndedWindowDoNotAddUp() {
        FailedIngestAttempts attempts = attempts(3, 100);
        attempts.failed("198.51.100.7");
        attempts.failed("198.51.100.7");
        advance(WINDOW.plusSeconds(1));
        assertFalse(attempts.failed("198.51.100.7"), "two old failures and one new are not three in a window");
        attempts.checkAllowed("198.51.100.7");
    }

    @Test
    void sourcesAreCountedApart() {
        FailedIngestAttempts attempts = attempts(2, 100);
        attempts.failed("198.51.100.7");
        attempts.failed("198.51.100.7");
        assertTrue(attempts.blockedFor("198.51.100.7").isPresent());
        attempts.checkAllowed("198.51.100.8");
        assertFalse(attempts.failed("198.51.100.8"), "another source's first failure");
        attempts.checkAllowed("198.51.100.8");
    }

    @Test
    void theNumberOfTrackedSourcesIsCappedByForgettingTheOldestWindow() {
        FailedIngestAttempts attempts = attempts(2, 1000);
        for (int i = 0; i < 5000; i++) {
            attempts.failed("10.0." + (i / 256) + "." + (i % 256));
            advance(Duration.ofMillis(1));
            assertTrue(attempts.trackedSources() <= 1000, "at most the cap, at any time");
        }
        assertEquals(1000, attempts.trackedSources());

        // the newest sources are kept, the oldest forgotten
        attempts.failed("10.0.19.135"); // source 4999: its second failure
        assertTrue(attempts.blockedFor("10.0.19.135").isPresent());
        attempts.failed("10.0.0.0"); // source 0, forgotten long ago: a first failure again
        assertFalse(attempts.blockedFor("10.0.0.0").isPresent());
    }

    @Test
    void windowsThatEndedAreDropped() {
        FailedIngestAttempts attempts = attempts(10, 100_000);
        for (int i = 0; i < 500; i++) {
            attempts.failed("192.0." + (i / 250) + "." + (i % 250));
        }
        assertEquals(500, attempts.trackedSources());
        advance(WINDOW.minusSeconds(1));
        attempts.failed("198.51.100.7");
        assertEquals(501, attempts.trackedSources());
        advance(Duration.ofSeconds(1));
        assertEquals(1, attempts.trackedSources(), "only the window that has not ended yet");
        advance(WINDOW);
        assertEquals(0, attempts.trackedSources());
    }

    @Test
    void settingsThatCouldNotWorkAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FailedIngestAttempts(0, WINDOW, 10, now::get));
        assertThrows(IllegalArgumentException.class, () -> new FailedIngestAttempts(1, Duration.ZERO, 10, now::get));
        assertThrows(IllegalArgumentException.class, () -> new FailedIngestAttempts(1, WINDOW, 0, now::get));
    }

    private static long retryAfter(FailedIngestAttempts attempts, String source) {
        return assertThrows(FailedIngestAttempts.SourceBlocked.class, () -> attempts.checkAllowed(source))
                .retryAfterSeconds();
    }
}
