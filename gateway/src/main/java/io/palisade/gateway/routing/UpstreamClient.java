package io.palisade.gateway.routing;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import io.palisade.gateway.config.GatewayConfig;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

/**
 * The one way the gateway calls a service, for the API proxy and the portal alike: a pooled HTTP client with a connect
 * and an idle timeout, behind a circuit breaker per service. A service that keeps failing is not called at all for a
 * while (503 at once) instead of every caller waiting on it.
 */
@ApplicationScoped
public class UpstreamClient {
    private static final Logger LOG = Logger.getLogger(UpstreamClient.class);
    private static final TypeLiteral<CompletionStage<HttpClientResponse>> RESPONSE = new TypeLiteral<>() {
    };

    private final GatewayConfig.Routing config;
    private final HttpClient client;
    private final Map<String, Guard> breakers = new ConcurrentHashMap<>();

    public UpstreamClient(GatewayConfig.Routing config, Vertx vertx) {
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxPoolSize(64)
                .setKeepAlive(true));
    }

    /** Sends the request to the service; the response is not read yet (the proxy streams it). */
    public Future<HttpClientResponse> send(RouteTable.Upstream upstream, RequestOptions options, Buffer body) {
        options.setAbsoluteURI(upstream.baseUrl() + options.getURI()).setIdleTimeout(config.timeout().toMillis());
        // Paused as soon as it arrives: the caller attaches its handlers later (after the circuit breaker has seen
        // the outcome), and a response that flows before that would lose its first bytes.
        CompletionStage<HttpClientResponse> call = breaker(upstream).get(() -> client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .map(response -> {
                    response.pause();
                    return response;
                })
                .toCompletionStage(), RESPONSE);
        return Future.fromCompletionStage(call);
    }

    private Guard breaker(RouteTable.Upstream upstream) {
        return breakers.computeIfAbsent(upstream.name(), name -> {
            var settings = config.circuitBreaker();
            return Guard.create()
                    .withDescription("calls to " + name)
                    .withCircuitBreaker()
                    .name("gateway-" + name)
                    .requestVolumeThreshold(settings.requestVolume())
                    .failureRatio(settings.failureRatio())
                    .delay(settings.openFor().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(1)
                    .onStateChange(state -> LOG.warnf("Circuit breaker for %s is now %s", name, state))
                    .done()
                    .withThreadOffload(false)
                    .build();
        });
    }

    /** What a caller is told when a call to a service failed before it answered. */
    public record Failure(int status, String title, String detail, boolean retryable) {
    }

    public Failure describe(RouteTable.Upstream upstream, Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof CircuitBreakerOpenException)
                && !(cause instanceof TimeoutException)) {
            cause = cause.getCause();
        }
        if (cause instanceof CircuitBreakerOpenException) {
            return new Failure(503, "Service Unavailable", upstream.name() + " is failing; the gateway stopped "
                    + "calling it for up to " + config.circuitBreaker().openFor().toSeconds() + " s (circuit open)",
                    true);
        }
        boolean timedOut = cause instanceof TimeoutException
                || String.valueOf(cause.getMessage()).toLowerCase().contains("timeout")
                || String.valueOf(cause.getMessage()).toLowerCase().contains("timed out");
        if (timedOut && !String.valueOf(cause.getMessage()).toLowerCase().contains("connect")) {
            return new Failure(504, "Gateway Timeout", upstream.name() + " did not answer within "
                    + config.timeout().toSeconds() + " s", false);
        }
        return new Failure(503, "Service Unavailable", upstream.name() + " is unavailable (" + cause.getMessage()
                + "); retry later", true);
    }

    /** Seconds a caller should wait before retrying a failed call. */
    public long retryAfterSeconds() {
        return Math.max(1, Math.min(5, config.circuitBreaker().openFor().toSeconds()));
    }
}
