package io.palisade.gateway.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.palisade.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;

/**
 * A token bucket per cluster (keyed by a digest of its ingest token, which belongs to exactly one cluster): one noisy
 * or misconfigured cluster cannot starve the others. Idle buckets are forgotten, so the map stays small.
 */
@ApplicationScoped
public class IngestRateLimiter {
    private static final long IDLE_NANOS = Duration.ofMinutes(10).toNanos();

    private final double perSecond;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public IngestRateLimiter(GatewayConfig.Ingest config) {
        this.perSecond = config.rateLimit().requestsPerSecond();
        this.burst = Math.max(1, config.rateLimit().burst());
    }

    /** Takes one request from the cluster's bucket: empty when allowed, else how long to wait before retrying. */
    public java.util.Optional<Duration> acquire(String clusterKey) {
        return buckets.computeIfAbsent(clusterKey, k -> new Bucket(burst, System.nanoTime())).take(perSecond, burst);
    }

    @Scheduled(every = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetIdleClusters() {
        long now = System.nanoTime();
        buckets.values().removeIf(b -> b.idleSince(now) > IDLE_NANOS);
    }

    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        synchronized java.util.Optional<Duration> take(double perSecond, double burst) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - updated) / 1e9 * perSecond);
            updated = now;
            if (tokens >= 1) {
                tokens -= 1;
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(Duration.ofMillis((long) Math.ceil((1 - tokens) / perSecond * 1000)));
        }

        synchronized long idleSince(long now) {
            return now - updated;
        }
    }
}
