package io.palisade.gateway.routing;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.Problem;
import io.palisade.common.security.Roles;
import io.palisade.gateway.config.GatewayConfig;
import io.palisade.gateway.ingest.IngestCredential;
import io.palisade.gateway.ingest.IngestRateLimiter;
import io.palisade.gateway.persistence.ApiActivityLog;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.MultiMap;
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
 * hang. Ingest is limited per cluster (429 with {@code Retry-After}) and never accepts a user's token.
 */
@ApplicationScoped
public class ServiceProxy {
    private static final Logger LOG = Logger.getLogger(ServiceProxy.class);
    /** Hop-by-hop headers (RFC 9110 §7.6.1) are never forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");
    /** Recomputed for the forwarded request, or the gateway's own business: the portal's session never leaves it. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "cookie");
    private static final Set<String> PALISADE_ROLES = Set.of(Roles.SECURITY_ADMIN, Roles.SECURITY_READER);
    public static final String PORTAL_ALERT_STREAM = "/portal/alerts/stream";
    private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);
    /** The methods whose form bodies Vert.x decodes: the mutating ones. */
    private static final Set<HttpMethod> FORM_METHODS = MUTATING;

    private final RouteTable routes;
    private final UpstreamClient upstreams;
    private final ApiActivityLog activity;
    private final IngestRateLimiter rateLimiter;
    private final GatewayConfig.Routing routing;
    private final GatewayConfig.Ingest ingest;

    public ServiceProxy(RouteTable routes, UpstreamClient upstreams, ApiActivityLog activity,
            IngestRateLimiter rateLimiter, GatewayConfig.Routing routing, GatewayConfig.Ingest ingest) {
        this.routes = routes;
        this.upstreams = upstreams;
        this.activity = activity;
        this.rateLimiter = rateLimiter;
        this.routing = routing;
        this.ingest = ingest;
    }

    void register(@Observes Router router) {
        router.route("/api/*").handler(ServiceProxy::refuseFormBodyOfBodilessMethod);
        router.route("/ingest/*").handler(ServiceProxy::refuseFormBodyOfBodilessMethod);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(routing.maxBodyBytes()))
                .handler(this::forwardApi).failureHandler(ctx -> tooLargeOrFailed(ctx, routing.maxBodyBytes()));
        // The ingest credential and the cluster's rate are checked before the body is read (a route of its own:
        // Vert.x wants the body handler first on a route).
        router.route("/ingest/*").handler(this::admitIngest);
        router.route("/ingest/*").handler(BodyHandler.create(false).setBodyLimit(ingest.maxBodyBytes()))
                .handler(ctx -> forward(ctx, routes.forIngest(), null))
                .failureHandler(ctx -> tooLargeOrFailed(ctx, ingest.maxBodyBytes()));
        router.get(PORTAL_ALERT_STREAM).handler(this::portalAlertStream);
    }

    /**
     * The portal's live alerts: alert-service's stream, opened with the access token of the user's portal session
     * (a browser's EventSource cannot send a bearer token itself).
     */
    private void portalAlertStream(RoutingContext ctx) {
        QuarkusHttpUser.getSecurityIdentity(ctx, null).subscribe().with(identity -> {
            AccessTokenCredential token = identity.isAnonymous() ? null
                    : identity.getCredential(AccessTokenCredential.class);
            if (token == null) {
                problem(ctx, 401, "Unauthorized", "Sign in to the portal to follow alerts live");
            } else if (PALISADE_ROLES.stream().noneMatch(identity::hasRole)) {
                problem(ctx, 403, "Forbidden", "Following alerts needs the security-admin or security-reader role");
            } else {
                MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                        .add("Authorization", "Bearer " + token.getToken())
                        .add("Accept", "text/event-stream");
                var options = new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/alerts/stream")
                        .setHeaders(headers);
                var upstream = routes.forApiPath("/api/alerts/stream").orElseThrow();
                upstreams.send(upstream, options, null)
                        .onSuccess(response -> relay(ctx, response, upstream, null))
                        .onFailure(failure -> unavailable(ctx, upstream, failure));
            }
        }, failure -> problem(ctx, 401, "Unauthorized", "Sign in to the portal to follow alerts live"));
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

    private void admitIngest(RoutingContext ctx) {
        var credential = IngestCredential.of(ctx.request());
        if (credential.isEmpty()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            problem(ctx, 401, "Unauthorized", "A cluster ingest token is required (Authorization: Bearer <token>, "
                    + "or " + IngestCredential.FIREHOSE_ACCESS_KEY + " for Amazon Data Firehose)");
        } else if (credential.get().looksLikeUserToken()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            problem(ctx, 401, "Unauthorized", "User tokens are not accepted on /ingest: send the cluster's ingest "
                    + "token (shown when the cluster was registered, or rotate it)");
        } else {
            var wait = rateLimiter.acquire(credential.get().clusterKey());
            if (wait.isPresent()) {
                long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                ctx.response().putHeader("Retry-After", Long.toString(seconds));
                problem(ctx, 429, "Too Many Requests", "This cluster sends more than "
                        + ingest.rateLimit().requestsPerSecond() + " ingest requests per second; retry after "
                        + seconds + " s");
            } else {
                ctx.next();
            }
        }
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
        RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.uri());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
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

        upstreams.send(upstream, options, ctx.body().buffer())
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
        LOG.warnf("%s %s → %s failed: %s", ctx.request().method(), ctx.normalizedPath(), upstream.name(), failure);
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        var described = upstreams.describe(upstream, failure);
        if (described.retryable()) {
            ctx.response().putHeader("Retry-After", Long.toString(upstreams.retryAfterSeconds()));
        }
        problem(ctx, described.status(), described.title(), described.detail());
    }

    /**
     * Vert.x's body handler decodes a form or multipart body only for POST, PUT, PATCH and DELETE, and fails
     * otherwise: such a request (a GET with a form) is the caller's mistake, said as such, not a gateway failure.
     */
    private static void refuseFormBodyOfBodilessMethod(RoutingContext ctx) {
        String type = String.valueOf(ctx.request().getHeader("Content-Type")).toLowerCase(java.util.Locale.ROOT);
        boolean form = type.startsWith("multipart/") || type.startsWith("application/x-www-form-urlencoded");
        if (form && !FORM_METHODS.contains(ctx.request().method())) {
            problem(ctx, 400, "Bad Request", "A " + ctx.request().method() + " request cannot carry a form body ("
                    + "Content-Type " + type + "); send it without a body, or with the method the operation takes");
        } else {
            ctx.next();
        }
    }

    private static void tooLargeOrFailed(RoutingContext ctx, long limit) {
        if (ctx.response().ended()) {
            return;
        } else if (ctx.response().headWritten()) {
            ctx.response().reset();
        } else if (ctx.failure() instanceof io.quarkus.security.AuthenticationFailedException) {
            unauthenticated(ctx);
        } else if (ctx.statusCode() == 413) {
            problem(ctx, 413, "Content Too Large", "The request body is larger than " + limit + " bytes");
        } else {
            LOG.warnf(ctx.failure(), "%s %s failed in the gateway", ctx.request().method(), ctx.normalizedPath());
            int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
            problem(ctx, status, status == 400 ? "Bad Request" : "Internal Server Error",
                    status == 400 ? "The request could not be read" : "The gateway could not forward the request");
        }
    }

    public static void problem(RoutingContext ctx, int status, String title, String detail) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(EventCodec.encode(Problem.of(status, title, detail)));
    }
}
