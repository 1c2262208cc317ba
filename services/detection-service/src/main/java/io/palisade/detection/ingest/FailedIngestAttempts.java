package io.palisade.detection.ingest;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.palisade.common.problem.ProblemException;
import io.palisade.detection.config.DetectionConfig;

/**
 * Failed ingest authentications (no token, or a token no cluster has) counted per source address, so that nobody can
 * try tokens at speed. A source's window opens with its first failure and lasts {@code window}; once it has made
 * {@code maxAttempts} failures in it, every ingest request of that source is refused (429) until the window ends,
 * before its token is even looked at, so a correct token waits too. Then the source starts again from zero.
 * Successful requests reset no count: an attacker sharing an address with a real cluster gains nothing from the
 * cluster's traffic. Requests in flight when a source is blocked still finish, so a source may exceed the limit by
 * the few requests it has under way at once.
 *
 * <p>Memory is bounded: at most {@code maxTrackedSources} sources are tracked; windows that ended are dropped, and
 * when the table is full the oldest window is forgotten (its source starts again from zero, which a flood from that
 * many addresses could force; the tokens themselves are 256 random bits, so the limit slows guessing, it is not what
 * makes guessing hopeless). This is per replica: each replica of detection-service counts what it sees.
 */
@ApplicationScoped
public class FailedIngestAttempts {
    private static final Logger LOG = Logger.getLogger(FailedIngestAttempts.class);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int maxAttempts;
    private final Duration window;
    private final long windowNanos;
    private final int maxTrackedSources;
    private final LongSupplier nanoTime;
    /** Insertion order is the order windows opened (a restarted window is re-inserted): the head ends first. */
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();
    private long lastFullWarning;
    private boolean warnedFull;

    private static final class Window {
        final long start;
        int failures;

        Window(long start) {
            this.start = start;
        }
    }

    @Inject
    public FailedIngestAttempts(DetectionConfig.Ingest config) {
        this(config.failedAuth().maxAttempts(), config.failedAuth().window(), config.failedAuth().maxTrackedSources(),
                System::nanoTime);
    }

    /** With a clock of its own ({@code nanoTime}: monotonic nanoseconds, as {@link System#nanoTime()}). */
    public FailedIngestAttempts(int maxAttempts, Duration window, int maxTrackedSources, LongSupplier nanoTime) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("palisade.ingest.failed-auth.max-attempts must be at least 1");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("palisade.ingest.failed-auth.window must be positive");
        }
        if (maxTrackedSources < 1) {
            throw new IllegalArgumentException("palisade.ingest.failed-auth.max-tracked-sources must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.window = window;
        this.windowNanos = window.toNanos();
        this.maxTrackedSources = maxTrackedSources;
        this.nanoTime = nanoTime;
    }

    /** The answer to a request of a blocked source: 429, with the seconds until its window ends (Retry-After). */
    public static final class SourceBlocked extends ProblemException {
        private final long retryAfterSeconds;

        SourceBlocked(String source, int failures, Duration window, long retryAfterSeconds) {
            super(429, "Too Many Requests", "Too many failed ingest authentications from " + source + ": " + failures
                    + " requests without a valid ingest token within " + window.toSeconds() + " s. Every ingest "
                    + "request from this address is refused for " + retryAfterSeconds + " s more (Retry-After), "
                    + "before its token is checked, so a correct token waits too. Check the cluster's ingest token "
                    + "(rotate the cluster's token if it is lost).");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** Refuses (429) a request of a source that made too many failed attempts in its current window. */
    public void checkAllowed(String source) {
        Optional<Duration> blocked = blockedFor(source);
        if (blocked.isPresent()) {
            throw new SourceBlocked(source, maxAttempts, window, seconds(blocked.get().toNanos()));
        }
    }

    /** How much longer the source is blocked, if it is. */
    public synchronized Optional<Duration> blockedFor(String source) {
        long now = nanoTime.getAsLong();
        dropEnded(now);
        Window w = windows.get(source);
        if (w == null || w.failures < maxAttempts) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(windowNanos - (now - w.start)));
    }

    /**
     * Counts a failed authentication of the source.
     *
     * @return whether this failure blocked the source (true once per window)
     */
    public boolean failed(String source) {
        int failures;
        long remaining;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            dropEnded(now);
            Window w = windows.get(source);
            if (w == null) {
                makeRoom(now);
                w = new Window(now);
                windows.put(source, w);
            }
            w.failures++;
            if (w.failures != maxAttempts) {
                return false;
            }
            failures = w.failures;
            remaining = windowNanos - (now - w.start);
        }
        // the source only: the token it sent is never logged
        LOG.infof("Ingest source %s is blocked for %d s: %d failed authentications (no or an unknown ingest token) "
                + "within %d s (palisade.ingest.failed-auth.max-attempts); its ingest requests get 429 until then",
                source, seconds(remaining), failures, window.toSeconds());
        return true;
    }

    /** How many sources are tracked now (windows not yet ended). */
    public synchronized int trackedSources() {
        dropEnded(nanoTime.getAsLong());
        return windows.size();
    }

    private void dropEnded(long now) {
        Iterator<Window> it = windows.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().start >= windowNanos) {
                it.remove();
            } else {
                return; // the rest opened later, so they end later
            }
        }
    }

    private void makeRoom(long now) {
        if (windows.size() < maxTrackedSources) {
            return;
        }
        Iterator<Map.Entry<String, Window>> oldest = windows.entrySet().iterator();
        oldest.next();
        oldest.remove();
        if (!warnedFull || now - lastFullWarning >= windowNanos) {
            warnedFull = true;
            lastFullWarning = now;
            LOG.warnf("Failed ingest authentications come from more than %d sources within %d s "
                    + "(palisade.ingest.failed-auth.max-tracked-sources): the oldest are forgotten", maxTrackedSources,
                    window.toSeconds());
        }
    }

    private static long seconds(long nanos) {
        return Math.max(1, (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }
}
