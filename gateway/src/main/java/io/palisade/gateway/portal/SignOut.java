package io.palisade.gateway.portal;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;

/**
 * Signing out. The OIDC mechanism answers this path itself — it ends the portal session and sends the browser to
 * Keycloak's logout, which returns to {@code /signed-out} — but authentication is lazy, so the path must ask for it.
 */
@Path("/portal/logout")
public class SignOut {
    @GET
    @Authenticated
    public Response signOut() {
        return Response.seeOther(URI.create("/signed-out")).build();
    }
}
