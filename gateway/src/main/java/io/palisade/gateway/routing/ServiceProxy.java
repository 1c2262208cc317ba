package io.palisade.gateway.routing;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.Problem;
import io.palisade.common.security.Roles;
import io.palisade.gateway.config.GatewayConfig;
import io.palisade.gateway.persistence.ApiActivityLog;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Forwards {@code /api/**} with the caller's bearer token, once the token is valid (else 401) and carries a Palisade
 * role (else 403), and {@code /ingest/**} with the cluster's ingest token untouched, to the owning service. Every
 * service checks the token again. A service that is down or slow gives a Problem JSON naming it (503/504), never a
 * hang.
 */
@ApplicationScoped
public class ServiceProxy {
    private static final Logger LOG = Logger.getLogger(ServiceProxy.class);
    /** Hop-by-hop headers (RFC 9110 §7.6.1) are never forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");
    /** Recomputed for the forwarded request. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length");
    private static final Set<String> PALISADE_ROLES = Set.of(Roles.SECURITY_ADMIN, Roles.SECURITY_READER);
    private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    private final RouteTable routes;
    private final GatewayConfig.Routing config;
    private final ApiActivityLog activity;
    private final HttpClient client;

    public ServiceProxy(RouteTable routes, GatewayConfig.Routing config, ApiActivityLog activity, Vertx vertx) {
        this.routes = routes;
        this.config = config;
        this.activity = activity;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(2000)
                .setMaxPoolSize(64)
                .setKeepAlive(true));
    }

    void register(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
        router.route("/api/*").handler(body).handler(this::forwardApi);
        router.route("/ingest/*").handler(body).handler(ctx -> forward(ctx, routes.forIngest(), null));
    }

    private void forwardApi(RoutingContext ctx) {
        QuarkusHttpUser.getSecurityIdentity(ctx, null).subscribe().with(identity -> {
            if (identity.isAnonymous()) {
                unauthenticated(ctx);
            } else if (PALISADE_ROLES.stream().noneMatch(identity::hasRole)) {
                problem(ctx, 403, "Forbidden", "This API needs the security-admin or security-reader role");
            } else {
                forwardAuthorised(ctx, identity.getPrincipal().getName());
            }
        }, failure -> unauthenticated(ctx));
    }

    private static void unauthenticated(RoutingContext ctx) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        problem(ctx, 401, "Unauthorized", "A valid bearer token is required");
    }

    private void forwardAuthorised(RoutingContext ctx, String user) {
        var upstream = routes.forApiPath(ctx.normalizedPath());
        if (upstream.isEmpty()) {
            problem(ctx, 404, "Not Found", "No API resource at " + ctx.normalizedPath() + "; resources: "
                    + routes.apiResources().keySet().stream().map(r -> "/api/" + r).sorted().toList());
            return;
        }
        forward(ctx, upstream.get(), user);
    }

    private void forward(RoutingContext ctx, RouteTable.Upstream upstream, String user) {
        var request = ctx.request();
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setAbsoluteURI(upstream.baseUrl() + request.uri())
                .setTimeout(config.timeout().toMillis());
        MultiMap headers = options.getHeaders() == null ? MultiMap.caseInsensitiveMultiMap() : options.getHeaders();
        request.headers().forEach(h -> {
            String name = h.getKey().toLowerCase();
            if (!HOP_BY_HOP.contains(name) && !NOT_FORWARDED.contains(name)) {
                headers.add(h.getKey(), h.getValue());
            }
        });
        headers.set("X-Forwarded-For", request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress());
        headers.set("X-Forwarded-Proto", request.scheme());
        headers.set("X-Forwarded-Host", request.authority() == null ? "" : request.authority().toString());
        options.setHeaders(headers);

        var payload = ctx.body().buffer();
        client.request(options)
                .compose(upstreamRequest -> payload == null ? upstreamRequest.send() : upstreamRequest.send(payload))
                .onSuccess(response -> relay(ctx, response, upstream, user))
                .onFailure(failure -> unavailable(ctx, upstream, failure));
    }

    private void relay(RoutingContext ctx, HttpClientResponse response, RouteTable.Upstream upstream, String user) {
        var out = ctx.response();
        out.setStatusCode(response.statusCode());
        response.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase())) {
                out.headers().add(h.getKey(), h.getValue());
            }
        });
        if (response.getHeader("content-length") == null) {
            out.setChunked(true);
        }
        // A client that goes away mid-response (a closed live stream, /api/alerts/stream) must not leave the
        // upstream request streaming into nowhere and holding a pooled connection: reset it (no-op once complete).
        out.closeHandler(closed -> response.request().reset());
        response.pipeTo(out);
        if (user != null && MUTATING.contains(ctx.request().method())) {
            activity.record(user, ctx.request().method().name(), ctx.normalizedPath(), response.statusCode(),
                    upstream.name());
        }
    }

    private void unavailable(RoutingContext ctx, RouteTable.Upstream upstream, Throwable failure) {
        boolean timedOut = failure instanceof java.util.concurrent.TimeoutException
                || String.valueOf(failure.getMessage()).contains("timeout");
        LOG.warnf("%s %s → %s failed: %s", ctx.request().method(), ctx.normalizedPath(), upstream.name(), failure);
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        if (timedOut) {
            problem(ctx, 504, "Gateway Timeout", upstream.name() + " did not answer within "
                    + config.timeout().toSeconds() + " s");
        } else {
            ctx.response().putHeader("Retry-After", "5");
            problem(ctx, 503, "Service Unavailable", upstream.name() + " is unavailable (" + failure.getMessage()
                    + "); retry later");
        }
    }

    static void problem(RoutingContext ctx, int status, String title, String detail) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(EventCodec.encode(Problem.of(status, title, detail)));
    }
}
