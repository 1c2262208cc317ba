package io.palisade.gateway.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import io.palisade.common.security.Roles;
import io.palisade.gateway.security.CsrfGuard;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * What every portal page needs to know about the request: who is signed in, whether they may change things, and the
 * page's CSRF token. Templates read it as {@code inject:portal}.
 */
@RequestScoped
@Named("portal")
public class PortalContext {
    private final SecurityIdentity identity;
    private final CurrentVertxRequest request;

    public PortalContext(SecurityIdentity identity, CurrentVertxRequest request) {
        this.identity = identity;
        this.request = request;
    }

    public String user() {
        return identity.isAnonymous() ? "" : identity.getPrincipal().getName();
    }

    /** Security admins see the controls that change things; readers never do (the API refuses them anyway). */
    public boolean admin() {
        return identity.hasRole(Roles.SECURITY_ADMIN);
    }

    public String role() {
        return admin() ? "Security admin" : "Security reader";
    }

    public String csrf() {
        Object token = request.getCurrent() == null ? null : request.getCurrent().get(CsrfGuard.CONTEXT_KEY);
        return token == null ? "" : token.toString();
    }

    /** The headers every htmx request of the page sends (CSRF token; a 499 instead of a login redirect). */
    public String htmxHeaders() {
        return "{\"" + CsrfGuard.HEADER + "\":\"" + csrf() + "\",\"X-Requested-With\":\"JavaScript\"}";
    }

    /** The gateway's own address as the browser sees it: the base of the ingest URLs shown in empty states. */
    public String gatewayUrl() {
        if (request.getCurrent() == null) {
            return "";
        }
        var r = request.getCurrent().request();
        String proto = r.getHeader("X-Forwarded-Proto") != null ? r.getHeader("X-Forwarded-Proto") : r.scheme();
        String host = r.getHeader("X-Forwarded-Host") != null ? r.getHeader("X-Forwarded-Host")
                : String.valueOf(r.authority());
        return proto + "://" + host;
    }
}
