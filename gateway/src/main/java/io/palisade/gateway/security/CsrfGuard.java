package io.palisade.gateway.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.palisade.gateway.routing.ServiceProxy;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * CSRF protection for the portal's cookie session (double submit): every portal page carries a random token that is
 * also in a strict same-site cookie; a state-changing portal request must send it back in {@value #HEADER}. The session
 * cookie itself is same-site lax, so this is the second wall, not the only one. Bearer-token API calls need none.
 */
@ApplicationScoped
public class CsrfGuard {
    public static final String HEADER = "X-CSRF-Token";
    public static final String COOKIE = "palisade-csrf";
    /** Where a handler finds the token for the page it renders. */
    public static final String CONTEXT_KEY = "palisade.csrf";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    /** Logging out changes nothing worth forging (and the lax session cookie is not sent cross-site). */
    private static final String LOGOUT = "/portal/logout";
    private final SecureRandom random = new SecureRandom();

    void register(@Observes Router router) {
        router.route("/portal/*").order(Integer.MIN_VALUE + 10).handler(this::guard);
        router.route("/portal").order(Integer.MIN_VALUE + 10).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(COOKIE);
        String token = cookie == null ? null : cookie.getValue();
        if (SAFE.contains(ctx.request().method()) || LOGOUT.equals(ctx.normalizedPath())) {
            if (token == null || token.length() < 32) {
                token = newToken();
                ctx.response().addCookie(Cookie.cookie(COOKIE, token).setPath("/portal").setHttpOnly(true)
                        .setSameSite(CookieSameSite.STRICT).setSecure(isHttps(ctx)));
            }
            ctx.put(CONTEXT_KEY, token);
            ctx.next();
            return;
        }
        String sent = ctx.request().getHeader(HEADER);
        if ("cross-site".equals(ctx.request().getHeader("Sec-Fetch-Site")) || token == null || sent == null
                || !MessageDigest.isEqual(token.getBytes(), sent.getBytes())) {
            ServiceProxy.problem(ctx, 403, "Forbidden", "Missing or wrong " + HEADER
                    + ": state-changing portal requests must come from a Palisade page; reload it and try again");
            return;
        }
        ctx.put(CONTEXT_KEY, token);
        ctx.next();
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean isHttps(RoutingContext ctx) {
        return "https".equals(ctx.request().scheme())
                || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
    }
}
