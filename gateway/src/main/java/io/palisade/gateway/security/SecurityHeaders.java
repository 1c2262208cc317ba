package io.palisade.gateway.security;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Security headers on every answer of the gateway — portal pages, API answers relayed from the services, errors and
 * redirects alike. The portal loads nothing from elsewhere (no CDN, no inline script), so the policy is strict.
 */
@ApplicationScoped
public class SecurityHeaders {
    private final String contentSecurityPolicy;

    /** The identity provider's origin: the portal's login and logout forms are answered by a redirect to it. */
    public SecurityHeaders(@ConfigProperty(name = "quarkus.oidc.auth-server-url") String identityProvider) {
        this.contentSecurityPolicy = contentSecurityPolicy(URI.create(identityProvider));
    }

    static String contentSecurityPolicy(URI identityProvider) {
        String origin = identityProvider.getScheme() + "://" + identityProvider.getRawAuthority();
        return String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self' " + origin,
            "frame-ancestors 'none'");
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::addOnResponse);
    }

    private void addOnResponse(RoutingContext ctx) {
        ctx.addHeadersEndHandler(ignored -> {
            var headers = ctx.response().headers();
            headers.set("Content-Security-Policy", contentSecurityPolicy);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("Cross-Origin-Opener-Policy", "same-origin");
            headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
            if (isHttps(ctx)) {
                headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
            }
            String path = ctx.normalizedPath();
            if ((path.startsWith("/portal") || path.startsWith("/api/")) && !headers.contains("Cache-Control")) {
                headers.set("Cache-Control", "no-store");
            }
        });
        ctx.next();
    }

    private static boolean isHttps(RoutingContext ctx) {
        return "https".equals(ctx.request().scheme())
                || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
    }
}
