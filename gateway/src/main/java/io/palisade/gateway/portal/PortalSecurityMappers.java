package io.palisade.gateway.portal;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * How the portal answers a browser that is not signed in (the identity provider's login page, through the OIDC
 * mechanism's own challenge) or signed in without a Palisade role (a page saying so). They take precedence over the
 * Problem JSON answers the services give API clients; the gateway's API routes never reach them.
 */
public class PortalSecurityMappers {
    private final Template noRole;

    public PortalSecurityMappers(@Location("portal/no-role") Template noRole) {
        this.noRole = noRole;
    }

    @ServerExceptionMapper(priority = 0)
    public Uni<Response> unauthorized(UnauthorizedException e, RoutingContext ctx) {
        return challenge(ctx);
    }

    @ServerExceptionMapper(priority = 0)
    public Uni<Response> authenticationFailed(AuthenticationFailedException e, RoutingContext ctx) {
        return challenge(ctx);
    }

    @ServerExceptionMapper(priority = 0)
    public Response forbidden(ForbiddenException e) {
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_HTML).entity(noRole.render()).build();
    }

    private static Uni<Response> challenge(RoutingContext ctx) {
        HttpAuthenticator authenticator = ctx.get(HttpAuthenticator.class.getName());
        return authenticator.getChallenge(ctx).map(challenge -> {
            var response = Response.status(challenge.status);
            challenge.getHeaders().forEach((name, value) -> response.header(name.toString(), value));
            return response.build();
        });
    }
}
