package io.palisade.gateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the services are, and how the gateway forwards to them. */
public final class GatewayConfig {
    private GatewayConfig() {
    }

    /** {@code palisade.services.<name>.url}: base URL of each service, e.g. http://127.0.0.1:8081 */
    @ConfigMapping(prefix = "palisade.services")
    public interface Services {
        Service connector();

        Service plan();

        Service detection();

        Service alert();

        interface Service {
            String url();
        }
    }

    @ConfigMapping(prefix = "palisade.routing")
    public interface Routing {
        /** How long an upstream service may stay silent before the caller gets 504. */
        @WithDefault("PT30S")
        Duration timeout();

        /** How long connecting to an upstream service may take before the caller gets 503. */
        @WithDefault("PT2S")
        Duration connectTimeout();

        /** Largest {@code /api/**} request body forwarded; larger ones get 413. */
        @WithDefault("4194304")
        long maxBodyBytes();

        /** One circuit breaker per service: it opens when too many calls fail, and answers 503 at once while open. */
        CircuitBreaker circuitBreaker();

        interface CircuitBreaker {
            /** Calls in the rolling window the failure ratio is judged on. */
            @WithDefault("10")
            int requestVolume();

            /** Share of failed calls (no connection, timeout) in the window that opens the circuit. */
            @WithDefault("0.5")
            double failureRatio();

            /** How long the circuit stays open before one trial call is let through. */
            @WithDefault("PT10S")
            Duration openFor();
        }
    }

    @ConfigMapping(prefix = "palisade.ingest")
    public interface Ingest {
        /** Largest {@code /ingest/**} body forwarded (detection-service's own limit is 12 MiB); larger → 413. */
        @WithDefault("12582912")
        long maxBodyBytes();

        RateLimit rateLimit();

        /** Per-cluster (per ingest token) token bucket: beyond it a request gets 429 with {@code Retry-After}. */
        interface RateLimit {
            /** Sustained ingest requests per second per cluster (each request carries up to 5000 events). */
            @WithDefault("50")
            double requestsPerSecond();

            /** Requests a cluster may send at once after a quiet spell. */
            @WithDefault("100")
            int burst();
        }
    }
}
